"""StoneBridge settings, read from the environment.

Every value a deployment may change comes from an environment variable; a missing or malformed
value that production needs stops the process at start rather than failing later.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL: console://, smtp://user:password@host:587?tls=true, smtps://… (implicit TLS)."""
    parts = urlparse(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be console, smtp or smtps: {url!r}")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["false"])[0].lower() == "true",
    }


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it to a long random value, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Keys the audit log's chain (an HMAC over each entry): without it, someone who can write to the
# database could rewrite entries and recompute every hash. Keep it outside the database and its
# backups, like SECRET_KEY; changing it makes the chain written so far fail verification.
AUDIT_KEY = os.environ.get("AUDIT_KEY", "debug-only-audit-key" if DEBUG else "")
if not AUDIT_KEY:
    raise ImproperlyConfigured(
        "AUDIT_KEY is not set. Set it to a long random value, kept apart from the database, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Keys the hashes that stand for workers' own references in checked wage-and-hours records (an
# HMAC): without the key, a reference cannot be recovered by hashing guesses. Keep it outside the
# database and its backups; changing it makes new checks name the same worker differently.
WORKER_REF_KEY = os.environ.get("WORKER_REF_KEY", "debug-only-worker-ref-key" if DEBUG else "")
if not WORKER_REF_KEY:
    raise ImproperlyConfigured(
        "WORKER_REF_KEY is not set. Set it to a long random value, kept apart from the database, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Worker identities, contact details, descriptions and voice messages are encrypted with these
# Fernet keys, kept apart from SECRET_KEY: a comma-separated list, the first encrypts, all decrypt,
# so a new key goes first and the old one stays until `manage.py rotate_field_key` has re-written
# every row. The debug key is public: only for the demo on one machine.
FIELD_ENCRYPTION_KEYS = [
    k.strip()
    for k in os.environ.get(
        "FIELD_ENCRYPTION_KEY",
        "ZGVidWctb25seS1maWVsZC1rZXktbm90LXNlY3JldCE=" if DEBUG else "",
    ).split(",")
    if k.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY is not set. Set it to a Fernet key, kept apart from the database "
        "and from SECRET_KEY, e.g. python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'"
    )
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 bytes, url-safe base64), "
            "separated by commas"
        ) from None

# Backups (`manage.py backup`) are encrypted with this Fernet key, kept apart from the database
# and from the backups themselves. Production (DEBUG off) refuses to write a backup without it.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "").strip()
if BACKUP_KEY:
    try:
        Fernet(BACKUP_KEY)
    except ValueError:
        raise ImproperlyConfigured(
            "BACKUP_KEY must be a Fernet key (32 bytes, url-safe base64), e.g. "
            "python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from None

# Uploaded files are kept in the database (encrypted where they concern workers); a deployment
# that adds file storage sets MEDIA_ROOT, and backups then carry that folder too.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "")

# Days after a grievance is closed until `manage.py voice_retention` erases the worker's identity,
# contact details, words, photos and voice, keeping the facts of the case. StoneBridge's default
# is a year: long enough for a reopened case or a follow-up audit, no longer.
VOICE_RETENTION_DAYS = envint("VOICE_RETENTION_DAYS", 365)
if VOICE_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(
        f"VOICE_RETENTION_DAYS must be at least 1 (days after closing), not {VOICE_RETENTION_DAYS}"
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# HTTPS is on by default; the demo on 127.0.0.1 turns it off.
# Whether the database and its backups are in mainland China. If not, every grievance a worker
# sends is a transfer abroad (PIPL Arts. 38-39), and the intake asks that consent on every route.
WORKER_DATA_IN_CHINA = envbool("WORKER_DATA_IN_CHINA", False)

HTTPS = envbool("HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Every script and style comes from our own static files: no inline code, no eval, no CDN. htmx is
# configured (base.html) not to inject its indicator styles or evaluate attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command first queues again what a killed worker
    # left running.
    "stonebridge.background",
    "django_tasks_db",
    # Serves the bundled Swagger UI for /api/docs, so the page works without internet.
    "ninja",
    "stonebridge.accounts",
    "stonebridge.audit",
    "stonebridge.defaults",
    "stonebridge.supplychain",
    "stonebridge.risk",
    "stonebridge.engagement",
    "stonebridge.assessments",
    "stonebridge.voice",
    "stonebridge.notifications",
    "stonebridge.downloads",
    "stonebridge.reports",
    "stonebridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "stonebridge.inputs.refuse_nul_in_url",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stonebridge.accounts.middleware.user_preferences",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stonebridge.accounts.middleware.staff_two_factor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "stonebridge.urls"
WSGI_APPLICATION = "stonebridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "stonebridge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Number and user-text filters on every template (stonebridge/display.py).
            "builtins": ["stonebridge.display"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "stonebridge.accounts.context_processors.organisations",
                "stonebridge.notifications.context_processors.unread",
            ],
            "libraries": {"languages": "stonebridge.languages"},
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Seconds a PostgreSQL connection is kept for the next request (0: a new one each request). Each
# kept connection is checked before a request uses it (CONN_HEALTH_CHECKS), and one that failed
# is closed at the end of its request, so after a database restart the next request connects
# afresh: the app serves again within seconds, without a restart of its own.
CONN_MAX_AGE = envint("CONN_MAX_AGE", 60)
if CONN_MAX_AGE < 0:
    raise ImproperlyConfigured(f"CONN_MAX_AGE must be 0 or more seconds, not {CONN_MAX_AGE}")
# A read replica of the database (PostgreSQL streaming replication): list pages marked in the
# code read from it (stonebridge/replicas.py); everything else uses DATABASE_URL.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL and not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL: a replica of what?")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
        # The replica is never migrated or tested on its own: it mirrors the primary.
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "var" / "stonebridge.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids lock upgrades
                # failing mid-transaction under concurrent requests.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
# Read from the replica only where a page asks for it (stonebridge.replicas.replica_reads).
REPLICA_READS = "replica" in DATABASES
DATABASE_ROUTERS = ["stonebridge.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Password reset e-mails per address and per client in an hour (StoneBridge default).
PASSWORD_RESET_LIMIT = envint("PASSWORD_RESET_LIMIT", 5)

# Failed logins allowed per account from one client address before a pause, and from one
# address over all accounts (StoneBridge defaults). Counting per account and address together
# means nobody can lock a person out by failing on purpose from elsewhere.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 7)
# How long an uploaded supplier list is kept after its import finished or failed; 0 deletes it at
# once (StoneBridge default: the list's data is in the registry, the file is not needed).
IMPORT_UPLOAD_KEEP_HOURS = envint("IMPORT_UPLOAD_KEEP_HOURS", 0)
# Where the client's address is: behind a proxy, the header it sets (e.g. HTTP_X_REAL_IP), or
# every login would count against the proxy's own address.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")
OTP_TOTP_ISSUER = "StoneBridge"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "stonebridge" / "locale"]
LANGUAGE_COOKIE_NAME = "stonebridge_language"
FORMAT_MODULE_PATH = ["stonebridge.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "stonebridge" / "static"]
# collectstatic names each file by its content's hash and compresses it; WhiteNoise serves the
# compressed file and lets browsers cache a hashed name for good, so a phone on a slow link
# downloads a script or stylesheet once per release. Pages link to the hashed names, so the demo
# and production run collectstatic (`make demo` does); with DEBUG the plain names are served
# from the app directories.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

globals().update(email_settings(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "StoneBridge <noreply@localhost>")
# Links in e-mails (invitations, password resets) point here; production must say where it is.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL is not set, e.g. https://stonebridge.example.org")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Records about the public worker pages (/v/…) lose the request object, the path's token and
    # any IP address (stonebridge/voice/logging.py): on the loggers that attach a request, and
    # on every handler for whatever else reaches them.
    "filters": {"worker_pages": {"()": "stonebridge.voice.logging.WorkerPagesFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["worker_pages"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["worker_pages"],
        },
    },
    "loggers": {
        "django.request": {"filters": ["worker_pages"]},
        "django.security.csrf": {"filters": ["worker_pages"]},
        "django.security.DisallowedHost": {"filters": ["worker_pages"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["worker_pages"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

CSRF_FAILURE_VIEW = "stonebridge.errors.csrf_failure"
