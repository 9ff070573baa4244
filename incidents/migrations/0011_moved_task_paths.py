"""Queued tasks name their function by its dotted path; the modules moved into packages.

A webhook delivery or an import job queued before the move would otherwise fail in
the worker with an ImportError and be lost, so the queue is rewritten to the new paths.
"""

from django.db import migrations

MOVED = {
    "incidents.webhooks.deliver": "incidents.integration.webhooks.deliver",
    "incidents.webhooks.deliver_many": "incidents.integration.webhooks.deliver_many",
    "incidents.imports.run_import": "incidents.integration.imports.run_import",
}


def rename(apps, schema_editor, moves):
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves.items():
        task_result.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, MOVED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0010_model_names"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
