"""The access log: who read which restricted record, how, when, from where."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0016_token_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessLogEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True, verbose_name="when")),
                (
                    "request_id",
                    models.CharField(blank=True, max_length=64, verbose_name="request id"),
                ),
                (
                    "username",
                    models.CharField(blank=True, max_length=150, verbose_name="user name"),
                ),
                (
                    "partner_name",
                    models.CharField(blank=True, max_length=200, verbose_name="partner name"),
                ),
                (
                    "token_prefix",
                    models.CharField(blank=True, max_length=16, verbose_name="token prefix"),
                ),
                (
                    "how",
                    models.CharField(
                        help_text="The page or endpoint that showed the record, e.g. "
                        "api:figure-detail.",
                        max_length=100,
                        verbose_name="through",
                    ),
                ),
                ("method", models.CharField(max_length=10, verbose_name="method")),
                ("path", models.TextField(verbose_name="path")),
                (
                    "address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="address"),
                ),
                ("model", models.CharField(max_length=100, verbose_name="kind of record")),
                ("record_id", models.UUIDField(verbose_name="record id")),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="incidents.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff member",
                    ),
                ),
            ],
            options={
                "verbose_name": "access log entry",
                "verbose_name_plural": "access log",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["record_id", "at"], name="accesslog_record_at"),
                    models.Index(fields=["username", "at"], name="accesslog_username_at"),
                ],
            },
        ),
    ]
