"""Partner tokens: addresses they may be used from (and what else the token limits need)."""

import incidents.addresses
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("incidents", "0015_import_payload_file")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="allowed_networks",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The addresses it may be used from: addresses or networks in CIDR notation (203.0.113.0/24, 2001:db8::/32), one per line. Empty: any address.",
                validators=[incidents.addresses.validate_networks],
                verbose_name="allowed networks",
            ),
        ),
        migrations.AddField(
            model_name="historicalapitoken",
            name="allowed_networks",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The addresses it may be used from: addresses or networks in CIDR notation (203.0.113.0/24, 2001:db8::/32), one per line. Empty: any address.",
                validators=[incidents.addresses.validate_networks],
                verbose_name="allowed networks",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                blank=True, help_text="Empty: the token never expires.", null=True, verbose_name="expires"
            ),
        ),
        migrations.AlterField(
            model_name="historicalapitoken",
            name="expires_at",
            field=models.DateTimeField(
                blank=True, help_text="Empty: the token never expires.", null=True, verbose_name="expires"
            ),
        ),
    ]
