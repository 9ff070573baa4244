"""Data migrations that keep what a deployed server had queued."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

moved_task_paths = importlib.import_module("incidents.migrations.0011_moved_task_paths")

pytestmark = pytest.mark.django_db


def queue(task_path: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )


def test_tasks_queued_before_the_move_into_packages_still_find_their_function():
    """A webhook delivery or import job queued under an old module path runs after the upgrade."""
    delivery = queue("incidents.webhooks.deliver")
    job = queue("incidents.imports.run_import")
    other = queue("somewhere.else.task")
    moved_task_paths.forwards(apps, None)
    for task in (delivery, job, other):
        task.refresh_from_db()
    assert delivery.task_path == "incidents.integration.webhooks.deliver"
    assert job.task_path == "incidents.integration.imports.run_import"
    # The new paths import: the worker can run them.
    assert delivery.task.name == "deliver" and job.task.name == "run_import"
    assert other.task_path == "somewhere.else.task"


def test_the_move_can_be_undone():
    delivery = queue("incidents.integration.webhooks.deliver_many")
    moved_task_paths.backwards(apps, None)
    delivery.refresh_from_db()
    assert delivery.task_path == "incidents.webhooks.deliver_many"
