"""Partner tokens: addresses they may be used from (and what else the token limits need)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0015_import_payload_file")]

    operations = []
