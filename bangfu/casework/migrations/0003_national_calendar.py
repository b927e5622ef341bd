# The national working-day calendar ships with the product: every public holiday and make-up working
# day (调休) the installed `chinesecalendar` lists becomes a national CalendarDay row (area NULL).
# Rows already there are kept; `bangfu calendar_national` adds the next year after a package upgrade.

from django.db import migrations


def load(apps, schema_editor):
    from bangfu.casework.services.config import fill_national_calendar

    fill_national_calendar(apps.get_model("casework", "CalendarDay"))


def unload(apps, schema_editor):
    from bangfu.casework.domain.national_calendar import national_days

    days = national_days()
    model = apps.get_model("casework", "CalendarDay")
    for d in days:
        model.objects.filter(area__isnull=True, date=d.date, name=d.name, working=d.working).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_monitoring_line_from_rules"),
    ]

    operations = [migrations.RunPython(load, unload)]
