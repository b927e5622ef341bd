# A decided warning stays decided (monitoring/domain/recurrence.py): warnings keep the source of their
# facts. Warnings decided before this migration get the source they were decided on, as near as the
# stored rows allow: the day of the decision, the household's newest department row and the money of
# its rows in the 12 months before the warning, both as delivered by then, and the income year read.

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max, Sum

MONEY_KINDS = ("medical", "school", "disaster")


def fill_decided(apps, schema_editor):
    Warning = apps.get_model("monitoring", "Warning")
    WarningEvent = apps.get_model("monitoring", "WarningEvent")
    FeedRow = apps.get_model("monitoring", "FeedRow")
    for w in Warning.objects.filter(status__in=("dismissed", "escalated")).iterator():
        decided_at = WarningEvent.objects.filter(warning_id=w.pk, to_state=w.status).aggregate(m=Max("at"))["m"]
        rows = FeedRow.objects.filter(household_id=w.household_id)
        if decided_at is not None:
            rows = rows.filter(batch__created__lte=decided_at)
        w.decided_on = decided_at.date() if decided_at else w.as_of
        w.source_row = rows.aggregate(m=Max("id"))["m"] or 0
        year_before = w.as_of - dt.timedelta(days=366)
        money = rows.filter(kind__in=MONEY_KINDS, event_date__gt=year_before, event_date__lte=w.as_of)
        w.source_amount = int((money.aggregate(s=Sum("amount"))["s"] or 0) * 100)
        w.source_year = w.as_of.year - 1
        w.save(update_fields=["decided_on", "source_row", "source_amount", "source_year"])


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="warning",
            name="decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="排除/转监测日期"),
        ),
        migrations.AddField(
            model_name="warning",
            name="previous",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="monitoring.warning",
                verbose_name="前次预警",
            ),
        ),
        migrations.AddField(
            model_name="warning",
            name="source_amount",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="warning",
            name="source_row",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="warning",
            name="source_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(fill_decided, migrations.RunPython.noop),
    ]
