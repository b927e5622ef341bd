"""The two village indexes of the warnings become one, (village_code, status): it serves the list and
the counts within an area as both did, and screening's first run maintains one index fewer (schema
decision of issue #18, monitoring/README.md "The warnings table")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0008_warning_sentence_on_read"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="warning", name="monitoring__status_62bd91_idx"),
        migrations.RemoveIndex(model_name="warning", name="warning_village"),
        migrations.AddIndex(
            model_name="warning",
            index=models.Index(fields=["village_code", "status"], name="warning_village_status"),
        ),
    ]
