"""Purge entries: a value removed everywhere it was kept, and who removed it, why."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0017_access_log"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PurgeEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="at"
                    ),
                ),
                ("by_name", models.CharField(max_length=200, verbose_name="by (name)")),
                ("via", models.CharField(max_length=16, verbose_name="through")),
                ("record_type", models.CharField(max_length=32, verbose_name="kind of record")),
                ("record_uuid", models.UUIDField(db_index=True, verbose_name="record id")),
                ("field", models.CharField(max_length=64, verbose_name="field")),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "record_changed",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "The record's current value held it (otherwise only its history did)."
                        ),
                        verbose_name="record changed",
                    ),
                ),
                (
                    "history_rows",
                    models.PositiveIntegerField(default=0, verbose_name="history entries"),
                ),
                (
                    "admin_log_entries",
                    models.PositiveIntegerField(default=0, verbose_name="admin log entries"),
                ),
                (
                    "webhook_deliveries",
                    models.PositiveIntegerField(default=0, verbose_name="webhook deliveries"),
                ),
                ("import_jobs", models.PositiveIntegerField(default=0, verbose_name="import jobs")),
                (
                    "import_files",
                    models.PositiveIntegerField(default=0, verbose_name="stored import batches"),
                ),
                (
                    "idempotency_records",
                    models.PositiveIntegerField(default=0, verbose_name="stored API answers"),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
            ],
            options={
                "verbose_name": "purge",
                "verbose_name_plural": "purges",
                "ordering": ["-at", "-pk"],
                "permissions": [("purge_records", "Can purge values from records")],
            },
        ),
    ]
