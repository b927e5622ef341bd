"""Warning events become core.models.StepLog rows: reason → note."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_money_fields"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RenameField("warningevent", "reason", "note"),
        migrations.AddField(
            model_name="warningevent",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="warningevent",
            name="on",
            field=models.DateField(blank=True, null=True, verbose_name="办理日期"),
        ),
        migrations.AlterField(
            model_name="warningevent",
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
            model_name="warningevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
        migrations.AlterField(
            model_name="warningevent",
            name="event",
            field=models.CharField(max_length=24, verbose_name="事项"),
        ),
        migrations.AlterField(
            model_name="warningevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AlterField(
            model_name="warningevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="warningevent",
            name="to_state",
            field=models.CharField(max_length=24),
        ),
    ]
