"""Settings for the test suite: the real settings, with a throwaway key and fast hashing.

The database still comes from ``DATABASE_URL``, so the same suite runs on
SQLite (the default) and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-any-deployment-0123456789abcdef")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client says "testserver"; schemathesis's WSGI client says "localhost".
ALLOWED_HOSTS = ["testserver", "localhost"]
