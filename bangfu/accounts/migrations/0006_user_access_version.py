from django.db import migrations, models

import bangfu.accounts.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_apitoken_last_write"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="access_version",
            field=models.BigIntegerField(default=bangfu.accounts.models.new_access_version, editable=False),
        ),
    ]
