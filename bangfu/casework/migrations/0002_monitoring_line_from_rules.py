# The monitoring line is kept once, in rules (MonitoringLine per area and year); the elimination
# guard reads it through rules.selectors.lines_for, so casework's copy is removed.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="caseparameters",
            name="income_line",
        ),
    ]
