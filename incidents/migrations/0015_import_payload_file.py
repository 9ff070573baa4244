"""An import job's batch moves out of the database, into the import storage.

A batch was kept in a text column: a large one was one database value, read
and written whole. It is now a file in ``STORAGES["imports"]``, the job
naming it. Batches still needed (jobs queued or running, admin previews that
await confirmation) are written there; the others are dropped, as they now
are when a job finishes.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models

STILL_NEEDED = models.Q(status__in=["queued", "running"]) | models.Q(
    via="admin", dry_run=True, partner__isnull=True, status="succeeded"
)


def store_payloads(apps, schema_editor):
    ImportJob = apps.get_model("incidents", "ImportJob")
    storage = storages["imports"]
    jobs = ImportJob.objects.filter(STILL_NEEDED).exclude(payload="").only("uuid", "format")
    for job in jobs.iterator():
        payload = ImportJob.objects.values_list("payload", flat=True).get(pk=job.pk)
        name = storage.save(f"{job.uuid}.{job.format}", ContentFile(payload.encode("utf-8")))
        ImportJob.objects.filter(pk=job.pk).update(payload_file=name)


def load_payloads(apps, schema_editor):
    ImportJob = apps.get_model("incidents", "ImportJob")
    storage = storages["imports"]
    for job in ImportJob.objects.exclude(payload_file="").only("payload_file").iterator():
        try:
            with storage.open(job.payload_file, "rb") as file:
                payload = file.read().decode("utf-8")
        except FileNotFoundError:
            continue
        ImportJob.objects.filter(pk=job.pk).update(payload=payload)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0014_partner_trusted_publisher"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="payload_file",
            field=models.CharField(blank=True, max_length=255, verbose_name="stored batch"),
        ),
        migrations.RunPython(store_payloads, load_payloads),
        migrations.RemoveField(
            model_name="importjob",
            name="payload",
        ),
    ]
