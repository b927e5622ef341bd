"""Audit events of income lines were written without an area code, so no scoped audit log showed
them; give existing rows their household's village (the service records it from now on)."""

from django.db import migrations, models
from django.db.models.functions import Cast, Coalesce


def fill(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    IncomeItem = apps.get_model("registry", "IncomeItem")
    village = IncomeItem.objects.filter(
        pk=Cast(models.OuterRef("object_id"), models.BigIntegerField())
    ).values("statement__household__village_id")[:1]
    AuditEvent.objects.filter(object_type="registry.incomeitem", area_code="").update(
        area_code=Coalesce(models.Subquery(village), models.Value(""))
    )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("registry", "0003_import_indexes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
