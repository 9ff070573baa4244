"""Purge entries: a value removed everywhere it was kept, and who removed it, why."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0017_access_log")]

    operations = []
