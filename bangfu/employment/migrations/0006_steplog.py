"""Workshop events become core.models.StepLog rows: reason → note, the criteria checks move into data."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _settle(schema_editor):
    # PostgreSQL queues deferred foreign-key checks for the updated rows; the ALTER TABLE that follows in
    # this same transaction is refused while they are pending ("pending trigger events"), so fire them now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def checks_into_data(apps, schema_editor):
    WorkshopEvent = apps.get_model("employment", "WorkshopEvent")
    for ev in WorkshopEvent.objects.exclude(checks=[]).only("pk", "checks"):
        WorkshopEvent.objects.filter(pk=ev.pk).update(data={"checks": ev.checks})
    _settle(schema_editor)


def data_into_checks(apps, schema_editor):
    WorkshopEvent = apps.get_model("employment", "WorkshopEvent")
    for ev in WorkshopEvent.objects.only("pk", "data"):
        WorkshopEvent.objects.filter(pk=ev.pk).update(checks=(ev.data or {}).get("checks", []))
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0005_money_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("workshopevent", "reason", "note"),
        migrations.AddField("workshopevent", "data", models.JSONField(blank=True, default=dict)),
        migrations.RunPython(checks_into_data, data_into_checks),
        migrations.RemoveField("workshopevent", "checks"),
        migrations.AddField(
            model_name="workshopevent",
            name="on",
            field=models.DateField(blank=True, null=True, verbose_name="办理日期"),
        ),
        migrations.AlterField(
            model_name="workshopevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="workshopevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
        migrations.AlterField(
            model_name="workshopevent",
            name="event",
            field=models.CharField(max_length=24, verbose_name="事项"),
        ),
        migrations.AlterField(
            model_name="workshopevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AlterField(
            model_name="workshopevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="workshopevent",
            name="to_state",
            field=models.CharField(max_length=24),
        ),
    ]
