"""The access log: who read which restricted record, how, when, from where."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0016_token_limits")]

    operations = []
