"""Order and certification events become core.models.StepLog rows: source/target → from_state/to_state,
and each certification event gets the event it recorded, read back from its two states."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (from, to) → action, as the certification table has it (domain/certification.py); "apply" opens an
# application, "adjust" marks the rows the 0002 migration wrote.
_EVENTS = {
    ("applied", "township_ok"): "pass",
    ("applied", "returned"): "return",
    ("applied", "rejected"): "reject",
    ("township_ok", "sector_ok"): "pass",
    ("township_ok", "returned"): "return",
    ("township_ok", "rejected"): "reject",
    ("sector_ok", "certified"): "certify",
    ("sector_ok", "returned"): "return",
    ("sector_ok", "rejected"): "reject",
    ("returned", "applied"): "resubmit",
    ("certified", "revoked"): "revoke",
}


def name_events(apps, schema_editor):
    CertificationEvent = apps.get_model("market", "CertificationEvent")
    for ev in CertificationEvent.objects.only("pk", "from_state", "to_state"):
        if not ev.from_state and ev.to_state == "applied":
            event = "apply"
        else:
            event = _EVENTS.get((ev.from_state, ev.to_state), "adjust")
        CertificationEvent.objects.filter(pk=ev.pk).update(event=event)
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        # fire the deferred foreign-key checks of the updated rows: a later ALTER TABLE in this transaction
        # is refused while they are pending
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("market", "0004_money_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("certificationevent", "source", "from_state"),
        migrations.RenameField("certificationevent", "target", "to_state"),
        migrations.RenameField("orderevent", "source", "from_state"),
        migrations.RenameField("orderevent", "target", "to_state"),
        migrations.AddField(
            "certificationevent", "event", models.CharField("事项", max_length=24, default=""), preserve_default=False
        ),
        migrations.RunPython(name_events, migrations.RunPython.noop),
        migrations.AddField(
            model_name="certificationevent",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="orderevent",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="orderevent",
            name="on",
            field=models.DateField(blank=True, null=True, verbose_name="办理日期"),
        ),
        migrations.AlterField(
            model_name="certificationevent",
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
            model_name="certificationevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
        migrations.AlterField(
            model_name="certificationevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AlterField(
            model_name="certificationevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="certificationevent",
            name="to_state",
            field=models.CharField(max_length=24),
        ),
        migrations.AlterField(
            model_name="orderevent",
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
            model_name="orderevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
        migrations.AlterField(
            model_name="orderevent",
            name="event",
            field=models.CharField(max_length=24, verbose_name="事项"),
        ),
        migrations.AlterField(
            model_name="orderevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AlterField(
            model_name="orderevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="orderevent",
            name="to_state",
            field=models.CharField(max_length=24),
        ),
    ]
