"""Test settings: production settings (DEBUG off) with what a test run cannot have."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("XASO_SSL_REDIRECT", "0")
os.environ.setdefault("XASO_FIELD_KEY", "dGVzdHMtb25seS1ub3QtYS1zZWNyZXQtMDEyMzQ1Njc=")
os.environ.setdefault("XASO_SIGNING_KEY", "dGVzdHMtb25seS1zaWduaW5nLWtleS0wMTIzNDU2Nzg=")
os.environ.setdefault("XASO_PUBLIC_URL", "https://xaso.example")
os.environ.setdefault("XASO_TASKS_BACKEND", "immediate")
# The tests read the messages from the log channel (production refuses it unless allowed).
os.environ.setdefault("XASO_NOTIFY_LOG_ALLOWED", "1")
os.environ["XASO_DEBUG"] = "0"

from xaso.settings import *  # noqa: F403
from xaso.settings import STORAGES

# Argon2 is deliberately slow; tests create many users. tests/accounts checks argon2 is the default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # served from the apps by the finders; nothing is collected in tests
WHITENOISE_USE_FINDERS = True
# Never the operator's Redis (REDIS_URL): the tests clear the rate-limit cache between tests.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Uploaded files of the tests go to a temporary folder, never into the working tree.
MEDIA_ROOT = tempfile.mkdtemp(prefix="xaso-test-media-")
