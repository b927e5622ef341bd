"""Rewrite stored masks to the current mask (security review D3): 5101**********1234 → 5101************34.

Reporter numbers on cases and the numbers in stored notice texts (the notice snapshot keeps its
wording; only the masked numbers in it change).
"""

import re

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD = re.compile(r"\b(\d{4})\*{10}\d{2}([\dX]{2})\b")


def remask(model, field):
    qs = model.objects.annotate(_mid=Substr(field, 5, 10), _keep=Substr(field, 15, 1)).filter(
        _mid="*" * 10
    ).exclude(_keep="*")
    qs.update(**{field: Concat(Substr(field, 1, 4), Value("*" * 12), Substr(field, 17, 2))})


def forwards(apps, schema_editor):
    remask(apps.get_model("casework", "Case"), "reporter_id_masked")
    remask(apps.get_model("casework", "HistoricalCase"), "reporter_id_masked")
    notice = apps.get_model("casework", "PublicNotice")
    for n in notice.objects.filter(body__contains="*" * 10).only("pk", "body").iterator():
        body = OLD.sub(lambda m: m.group(1) + "*" * 12 + m.group(2), n.body)
        if body != n.body:
            notice.objects.filter(pk=n.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_one_live_case_per_household")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
