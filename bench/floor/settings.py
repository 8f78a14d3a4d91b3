"""The floor: a bare Django doing the same single indexed read on the same database as xaso.

No middleware, no templates, no i18n, one URL conf: what the framework costs with nothing of
xaso's. Served the way xaso is (gunicorn gthread -w 2 --threads 4), with persistent connections.
"""

import os
from urllib.parse import urlparse

url = urlparse(os.environ["DATABASE_URL"])
SECRET_KEY = "bench-floor-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": url.path.lstrip("/"),
        "USER": url.username or "",
        "PASSWORD": url.password or "",
        "HOST": url.hostname or "",
        "PORT": url.port or "",
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": False,
    }
}
WSGI_APPLICATION = "floor.wsgi.application"
