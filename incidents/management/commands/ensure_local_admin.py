"""Make sure the local demo has an admin account, and say how to log in.

The password is generated on this machine the first time, never written in the
repository, and kept in ``local/admin-password.txt`` (git-ignored, readable by
its owner only) so the next ``make run`` can print it again.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a local superuser with a random password if none exists, and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))
        parser.add_argument(
            "--password-file",
            default=str(Path(settings.BASE_DIR) / "local" / "admin-password.txt"),
        )

    def handle(self, *args, username, password_file, **options):
        User = get_user_model()
        path = Path(password_file)
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
            self.stdout.write(f"Created the local admin account '{username}'.")
        saved = path.read_text().strip() if path.exists() else ""
        user = User.objects.get(username=username)
        if saved and user.check_password(saved):
            self.stdout.write(
                f"Log in to the admin as '{username}' with the password in {path}: {saved}\n"
                f"(change it with: .venv/bin/python manage.py changepassword {username})"
            )
        else:
            self.stdout.write(
                f"Log in to the admin as '{username}' with the password you set; to set a new "
                f"one: .venv/bin/python manage.py changepassword {username}"
            )
