"""Settings for the test suite: the real settings, with a throwaway key and fast hashing.

The database still comes from ``DATABASE_URL``, so the same suite runs on
SQLite (the default) and on PostgreSQL.
"""

import atexit
import os
import shutil
import tempfile
from ipaddress import ip_network
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-any-deployment-0123456789abcdef")
# No checkout's local development file: the suite runs the same on every machine (and so
# do the commands it runs in subprocesses, which inherit this).
os.environ["LOCAL_SETTINGS_FILE"] = ""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client says "testserver"; schemathesis's WSGI client says "localhost".
ALLOWED_HOSTS = ["testserver", "localhost"]

# Plain http://testserver: no redirect to https. The other production defaults stay.
SECURE_SSL_REDIRECT = False

# Static files straight from the apps (the suite renders /api/docs/ without collectstatic).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Batches that imports store go to a folder of the run's own, removed when it ends.
IMPORT_SPOOL_DIR = Path(tempfile.mkdtemp(prefix="incidents-test-imports-"))
atexit.register(shutil.rmtree, IMPORT_SPOOL_DIR, ignore_errors=True)
STORAGES["imports"] = {
    **STORAGES["imports"],
    "OPTIONS": {**STORAGES["imports"]["OPTIONS"], "location": IMPORT_SPOOL_DIR},
}
# WhiteNoise serves them from the apps as well, as it does with DEBUG on (no STATIC_ROOT needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Throttling stays on (in the database cache), at rates no test reaches;
# tests/api/test_limits.py lowers them where it tests throttling.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        scope: "1000000/minute"
        for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # noqa: F405
    },
}

# Webhooks: the tests' receivers listen on localhost (pytest-httpserver).
WEBHOOK_ALLOWED_NETWORKS = [ip_network("127.0.0.0/8"), ip_network("::1/128")]

# Backups: scrypt at 2^10 rather than 2^18 (milliseconds, not a second, per backup or
# restore); the format is the same, and every age implementation still opens it.
BACKUP_SCRYPT_WORK_FACTOR = 10

# The suite signs staff in without a second factor (as the demo does); the tests of the
# second factor turn it on (tests/test_second_factor.py).
STAFF_REQUIRE_2FA = False
