"""Settings, all read from the environment (12-factor), with safe production defaults.

The embedded demo needs no configuration: SQLite under ./var and a secret key generated there.
Production (XASO_DEBUG off, the default) refuses to start without an explicit SECRET_KEY.
"""

import json
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("XASO_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_json(name: str) -> dict:
    """A JSON object from the environment ({} when unset)."""
    try:
        value = json.loads(os.environ.get(name) or "{}")
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object")
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number from the environment, checked at start-up (one clear line, no traceback)."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_float(name: str, default: float) -> float:
    """A positive number of seconds (or other unit) from the environment, checked at start-up."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None
    if not number > 0:
        raise ImproperlyConfigured(f"{name} must be more than 0, not {value!r}")
    return number


def env_rate(name: str, default: str) -> str:
    """A rate such as "60/m" (count / [multiplier] s, m, h or d), checked at start-up."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must look like 60/m (count/period), not {value!r}")
    return value


DEBUG = env_bool("XASO_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when XASO_DEBUG is off (production). "
            "Set it to a long random value, e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`."
        )
    # Demo and development: one key per working directory, kept so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _fernet_key(name: str, filename: str) -> str:
    """A Fernet key from the environment variable `name`; like SECRET_KEY, generated under ./var
    for the demo and required in production."""
    key = os.environ.get(name, "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is required when XASO_DEBUG is off: generate one with `python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        )
    from cryptography.fernet import Fernet

    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


# Stored secrets xaso must read back (bank webhook secrets: xaso.core.crypto).
XASO_FIELD_KEY = _fernet_key("XASO_FIELD_KEY", "field_key")
# The leaders' PKCS#12 passwords and token PINs and the communes' seal keys (xaso.results.secrets):
# a key of their own, so that a leaked field key does not let anyone sign as the commune.
XASO_SIGNING_KEY = _fernet_key("XASO_SIGNING_KEY", "signing_key")
# Where citizens reach this deployment: the QR seal on a signed result points to
# <XASO_PUBLIC_URL>/xac-thuc/?seal=… (in production the first ALLOWED_HOSTS entry over https
# when unset).
XASO_PUBLIC_URL = os.environ.get(
    "XASO_PUBLIC_URL", "http://127.0.0.1:8000" if DEBUG else ""
).rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "xaso.core",
    "xaso.places",
    "xaso.accounts",
    "xaso.workdays",
    "xaso.catalog",
    "xaso.dossiers",
    "xaso.privacy",
    "xaso.payments",
    "xaso.results",
    "xaso.notify",
    "xaso.community",
    "xaso.feedback",
    "xaso.news",
    "xaso.market",
    "xaso.portal",
    "xaso.backoffice",
    "xaso.reports",
    "xaso.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their caching; every other answer is no-store.
    "xaso.core.middleware.NoStoreMiddleware",
    # Pages and API answers gzipped (a citizen page is ≤ 60 KB on weak 3G; static files come
    # precompressed from WhiteNoise above). BREACH: Django masks the CSRF token afresh in every
    # response and this middleware pads each response with random bytes (Django ≥ 4.2); the
    # lookup secret is only on pages opened with it, where no other input is reflected.
    # Answers that fit in one TCP segment are sent as they are (the lookup's JSON).
    "xaso.core.middleware.OneSegmentGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xaso.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions end after XASO_STAFF_IDLE_MINUTES idle or XASO_STAFF_SESSION_HOURS in all,
    # or when signed out from the list of sessions.
    "xaso.accounts.sessions.StaffSessionMiddleware",
    # Staff who need a second factor reach /backoffice/ and /admin/ only once it is verified.
    "xaso.backoffice.second_factor.SecondFactorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xaso.core.middleware.PlainPolicyCSPMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]
if DEBUG:
    MIDDLEWARE.insert(MIDDLEWARE.index("xaso.core.middleware.PlainPolicyCSPMiddleware") + 1,
                      "xaso.core.middleware.ProjectNotFoundPageMiddleware")  # fmt: skip

ROOT_URLCONF = "xaso.urls"
WSGI_APPLICATION = "xaso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]


# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'xaso.sqlite3'}"
DATABASES = {
    # Persistent connections: without them a one-query view on PostgreSQL drops ~10x in throughput.
    # No health check by default: it is one more round trip (`SELECT 1`) at the start of every
    # request, to spare one failed request per connection after the database restarts; Django
    # closes a connection that failed at the end of that request, and behind PgBouncer (the
    # production shape) the web's connections survive a database restart anyway.
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=600,
        conn_health_checks=env_bool("XASO_DB_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # select_for_update is a no-op on SQLite: writers take the lock when the transaction begins,
        # so concurrent writers queue (busy timeout) instead of racing or failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Behind PgBouncer in transaction mode (XASO_DB_POOLER=pgbouncer): a transaction may run on a
# different server connection each time, so no server-side cursors (they live past a transaction)
# and no prepared statements (PgBouncer before 1.21 cannot follow them; the values stay bound).
XASO_DB_POOLER = os.environ.get("XASO_DB_POOLER", "")
# Values bound by the server; only the hottest reads prepared (`core.prepared`: the citizen's
# lookup and status page). With Django's default (values inlined, nothing prepared) PostgreSQL
# parsed and planned the lookup's join afresh on every request, ~1 ms of its CPU against ~0.2 ms
# prepared (bench/README.md, issue 22). Not every statement: after five runs PostgreSQL may plan a
# prepared statement once for any values, and such a generic plan of a staff list read a
# commune's whole history when the commune holds a tenth of the table (the Friday board's read:
# 16 ms planned with its values, 6.4 s with the generic plan, at 1 M dossiers). Statements not
# prepared are planned with their own values.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=None
    )
# Behind PgBouncer before 1.21 prepared statements cannot be followed: none then.
XASO_DB_PREPARED_READS = (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not XASO_DB_POOLER
)
if XASO_DB_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured("XASO_DB_POOLER must be empty or pgbouncer")
if XASO_DB_POOLER and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Accounts and authentication ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Lock a username *from one address*, for a while: the defaults (IP only, forever after 3 failures)
# would let one mistyping tester lock the whole office, which shares one public address.
AXES_FAILURE_LIMIT = env_int("XASO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("XASO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client's address as the rate limits resolve it (X-Forwarded-For as far as our own proxies
# wrote it, XASO_PROXY_HOPS): keyed on REMOTE_ADDR, behind the proxy every client is the proxy,
# and anyone could lock any staff account for everybody.
AXES_CLIENT_IP_CALLABLE = "xaso.core.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "xaso.accounts.lockout.lockout_response"

if os.environ.get("XASO_API_TOKEN_DAYS"):
    raise ImproperlyConfigured(
        "XASO_API_TOKEN_DAYS is replaced by XASO_API_TOKEN_HOURS (default 8, one working day)."
    )
API_TOKEN_TTL = timedelta(hours=env_int("XASO_API_TOKEN_HOURS", 8, minimum=1))
# Staff sessions (ASVS 7.3): signed out after this long without a request, and after this long
# in all however busy.
XASO_STAFF_IDLE_MINUTES = env_int("XASO_STAFF_IDLE_MINUTES", 30, minimum=1)
XASO_STAFF_SESSION_HOURS = env_int("XASO_STAFF_SESSION_HOURS", 8, minimum=1)
# The second factor: the name authenticator apps show; a wrong code costs 1 s, 2 s, 4 s … of
# waiting before the next try (django-otp's throttling, per device).
OTP_TOTP_ISSUER = os.environ.get("XASO_OTP_ISSUER", "xaso")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1


# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True


# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("XASO_MEDIA_ROOT", VAR_DIR / "media"))
# Where the uploaded files' (encrypted) bytes go: "filesystem" (MEDIA_ROOT, the default) or "s3"
# (any S3-compatible object store, the `s3` extra; xaso.core.storage).
XASO_FILE_STORAGE = os.environ.get("XASO_FILE_STORAGE", "filesystem")
if XASO_FILE_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("XASO_FILE_STORAGE must be filesystem or s3")
XASO_S3 = {
    "bucket": os.environ.get("XASO_S3_BUCKET", ""),
    "endpoint_url": os.environ.get("XASO_S3_ENDPOINT_URL", ""),  # empty: AWS itself
    "region": os.environ.get("XASO_S3_REGION", ""),
    # Empty: boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, instance roles).
    "access_key": os.environ.get("XASO_S3_ACCESS_KEY", ""),
    "secret_key": os.environ.get("XASO_S3_SECRET_KEY", ""),
    "prefix": os.environ.get("XASO_S3_PREFIX", ""),
    "addressing_style": os.environ.get("XASO_S3_ADDRESSING_STYLE", ""),  # "path" for MinIO & co.
}
if XASO_FILE_STORAGE == "s3" and not XASO_S3["bucket"]:
    raise ImproperlyConfigured("XASO_FILE_STORAGE=s3 needs XASO_S3_BUCKET")
# Collected, hashed and precompressed (gzip + brotli) static files: in production, and in `xaso
# demo` (DEBUG, but it must weigh what production weighs: it collects them at start).
XASO_COMPRESSED_STATIC = env_bool("XASO_COMPRESSED_STATIC", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if XASO_COMPRESSED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not XASO_COMPRESSED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG and not XASO_COMPRESSED_STATIC


# --- Background tasks -----------------------------------------------------------------------------
# "db" (default, no extra service), "rq" (Redis; install the `rq` extra), or "immediate" (tests).
_TASKS_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("XASO_TASKS_BACKEND", "db")
if _tasks_backend not in _TASKS_BACKENDS:
    raise ImproperlyConfigured(f"XASO_TASKS_BACKEND must be one of {sorted(_TASKS_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[_tasks_backend]}}
if _tasks_backend == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # One queue, "default", on REDIS_URL (or XASO_RQ_URL to keep the queue on another Redis/db).
    # Short socket timeouts: a Redis that hangs must fail the enqueue fast (the outbox row stays
    # pending and `xaso notify-send-due` sends it), never hold a citizen's request.
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("XASO_RQ_URL")
            or os.environ.get("REDIS_URL")
            or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": 300,
            "CONNECTION_KWARGS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }


# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("XASO_SESSION_SECONDS", 8 * 3600, minimum=1)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("XASO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("XASO_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("XASO_HSTS_PRELOAD", True)
    # Behind a TLS-terminating proxy (the usual deployment) it must say so.
    if env_bool("XASO_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the load balancer on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}


# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Lookup secrets and draft tokens in logged URLs are blanked (xaso.core.accesslog).
    "filters": {"redact_secrets": {"()": "xaso.core.accesslog.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("XASO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO.
    # "django": Django's own console handler (debug mode) is dropped, or every warning of the
    # demo would be printed twice, once by it and once by the root's.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django": {"level": "INFO", "handlers": []},
    },
}

# --- Rate limits and idempotency ------------------------------------------------------------------
# Counters live in the "ratelimit" cache. django-ratelimit needs a cache that is shared by every
# process and increments atomically: Redis when REDIS_URL is set (one count for all processes and
# machines). Otherwise a per-process memory cache: atomic, no extra service and no table to create,
# but each gunicorn process counts on its own, so a client may get up to rate × processes (2× with
# the recommended `-w 2`) — acceptable for anti-automation; set REDIS_URL for exact limits.
# The database cache was rejected: its increment is a read then a write (a parallel burst, the very
# attack, is undercounted), it culls entries at random past MAX_ENTRIES (resetting counters), and
# every public lookup would become a write (on SQLite, queuing behind real writes).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    try:
        import redis  # noqa: F401
    except ImportError as error:
        raise ImproperlyConfigured(
            "REDIS_URL is set but the redis client is missing: pip install 'xaso[rq]'."
        ) from error
    _ratelimit_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
else:
    _ratelimit_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
# The general cache (the printable guides' PDFs): on Redis too when REDIS_URL is set, unless
# XASO_CACHE=local; a Redis outage is a cache miss there (xaso.core.cache), never an error page.
XASO_CACHE = os.environ.get("XASO_CACHE", "redis" if REDIS_URL else "local")
if XASO_CACHE not in {"redis", "local"}:
    raise ImproperlyConfigured("XASO_CACHE must be redis or local")
if XASO_CACHE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("XASO_CACHE=redis needs REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "xaso.core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "xaso",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if XASO_CACHE == "redis"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    "ratelimit": {**_ratelimit_cache, "KEY_PREFIX": "xaso-rl"},
}
RATELIMIT_USE_CACHE = "ratelimit"
# The client address comes from xaso.core.ratelimit.client_address (it knows about our proxy).
RATELIMIT_IP_META_KEY = "xaso.core.ratelimit.client_address"
# A cache outage must not close the public desk: count nothing rather than refuse everyone.
RATELIMIT_FAIL_OPEN = True
# Behind our reverse proxy(ies), the client is the N-th X-Forwarded-For entry from the right (each
# proxy appends the address it saw); entries further left are written by the client, never trusted.
# 0: REMOTE_ADDR only. Default 1 in production behind a proxy (XASO_BEHIND_PROXY), 0 otherwise.
XASO_PROXY_HOPS = env_int(
    "XASO_PROXY_HOPS", 1 if not DEBUG and env_bool("XASO_BEHIND_PROXY", True) else 0
)


# Anonymous submissions and uploads, per client address; the public dossier lookup, per address.
XASO_RATE_ANON_SUBMIT = env_rate("XASO_RATE_ANON_SUBMIT", "60/m")
XASO_RATE_LOOKUP = env_rate("XASO_RATE_LOOKUP", "30/m")
# Public verification of signed results (an uploaded PDF is parsed and its signatures checked).
XASO_RATE_VERIFY = env_rate("XASO_RATE_VERIFY", "20/m")
# Market inquiries, per client address: each one is an SMS to a farmer's phone.
XASO_RATE_MARKET_INQUIRY = env_rate("XASO_RATE_MARKET_INQUIRY", "5/m")
XASO_VERIFY_MAX_BYTES = env_int("XASO_VERIFY_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
# Idempotency keys (the Idempotency-Key header) are answered from storage at least this long;
# clients are promised 24 hours (Stripe's figure), so less is refused.
XASO_IDEMPOTENCY_HOURS = env_int("XASO_IDEMPOTENCY_HOURS", 24)
if XASO_IDEMPOTENCY_HOURS < 24:
    raise ImproperlyConfigured("XASO_IDEMPOTENCY_HOURS must be at least 24.")

# How often a process checks whether calendar data (holidays, office hours, rules) changed.
XASO_CALENDAR_CHECK_SECONDS = env_int("XASO_CALENDAR_CHECK_SECONDS", 10, minimum=1)

# Dossier codes: Circular 01/2018's `<agency code>-<yymmdd>-<NNNN>` unless the deployment says
# otherwise (Python format fields: agency, date, number).
XASO_DOSSIER_CODE_PATTERN = os.environ.get(
    "XASO_DOSSIER_CODE_PATTERN", "{agency}-{date:%y%m%d}-{number:04d}"
)
XASO_DRAFT_DAYS = env_int("XASO_DRAFT_DAYS", 30, minimum=1)
XASO_UPLOAD_MAX_BYTES = env_int("XASO_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# Images above this many pixels are refused before they are decoded (decompression bombs).
XASO_UPLOAD_MAX_PIXELS = env_int("XASO_UPLOAD_MAX_PIXELS", 40000000, minimum=1)

# Notifications: "log" writes messages to the server log (demo and tests: it logs lookup secrets
# and one-time codes, never use it in production). Retries double from RETRY_SECONDS up to
# RETRY_MAX_SECONDS, MAX_ATTEMPTS times; a send not finished within LEASE_SECONDS is retried.
XASO_NOTIFY_CHANNEL = os.environ.get("XASO_NOTIFY_CHANNEL", "log")
# Production refuses the log channel (F5: codes and secrets in the server log) unless the operator
# says, with this variable, that it is meant (a closed test instance); `check --deploy` still warns.
XASO_NOTIFY_LOG_ALLOWED = env_bool("XASO_NOTIFY_LOG_ALLOWED")
if not DEBUG and XASO_NOTIFY_CHANNEL == "log" and not XASO_NOTIFY_LOG_ALLOWED:
    raise ImproperlyConfigured(
        "XASO_NOTIFY_CHANNEL is 'log' (the default) in production: citizens' one-time codes and "
        "lookup secrets would be written to the server log. Set XASO_NOTIFY_CHANNEL to sms, "
        "zalo or email (see docs/OPERATIONS.md), or set XASO_NOTIFY_LOG_ALLOWED=1 if this "
        "instance is meant to log its messages."
    )
XASO_NOTIFY_MAX_ATTEMPTS = env_int("XASO_NOTIFY_MAX_ATTEMPTS", 12, minimum=1)
XASO_NOTIFY_RETRY_SECONDS = env_int("XASO_NOTIFY_RETRY_SECONDS", 60, minimum=1)
XASO_NOTIFY_RETRY_MAX_SECONDS = env_int("XASO_NOTIFY_RETRY_MAX_SECONDS", 3600, minimum=1)
XASO_NOTIFY_LEASE_SECONDS = env_int("XASO_NOTIFY_LEASE_SECONDS", 300, minimum=1)
# The channels (xaso/notify/channels.py documents each key): the SMS gateway and Zalo ZNS as JSON
# objects; e-mail through Django's mail settings, sent from XASO_NOTIFY_EMAIL_FROM.
XASO_NOTIFY_SMS = env_json("XASO_NOTIFY_SMS")
XASO_NOTIFY_ZALO = env_json("XASO_NOTIFY_ZALO")
XASO_NOTIFY_HTTP_TIMEOUT = env_float("XASO_NOTIFY_HTTP_TIMEOUT", 10.0)
XASO_NOTIFY_EMAIL_FROM = os.environ.get("XASO_NOTIFY_EMAIL_FROM", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

# Demo: the shared password of the seeded accounts (never used outside `xaso seed-demo`).
XASO_DEMO_PASSWORD = os.environ.get("XASO_DEMO_PASSWORD", "xaso-demo")
# …and the TOTP secret (base32) of its leaders and administrators, printed like the password.
XASO_DEMO_TOTP_SECRET = os.environ.get("XASO_DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXP")
