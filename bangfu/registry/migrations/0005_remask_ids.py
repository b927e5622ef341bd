"""Rewrite stored masks to the current mask (security review D3): 5101**********1234 → 5101************34."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD_HIDDEN = "*" * 10


def remask(model, field):
    qs = model.objects.annotate(_mid=Substr(field, 5, 10), _keep=Substr(field, 15, 1)).filter(
        _mid=OLD_HIDDEN
    ).exclude(_keep="*")
    qs.update(**{field: Concat(Substr(field, 1, 4), Value("*" * 12), Substr(field, 17, 2))})


def forwards(apps, schema_editor):
    remask(apps.get_model("registry", "Member"), "id_masked")
    remask(apps.get_model("registry", "HistoricalMember"), "id_masked")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_audit_income_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
