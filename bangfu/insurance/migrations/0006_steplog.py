"""Claim events become core.models.StepLog rows: from_status/to_status → from_state/to_state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("insurance", "0005_money_fields"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RenameField("claimevent", "from_status", "from_state"),
        migrations.RenameField("claimevent", "to_status", "to_state"),
        migrations.AlterField(
            model_name="claimevent",
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
            model_name="claimevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="event",
            field=models.CharField(max_length=24, verbose_name="事项"),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="on",
            field=models.DateField(blank=True, null=True, verbose_name="办理日期"),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="to_state",
            field=models.CharField(max_length=24),
        ),
    ]
