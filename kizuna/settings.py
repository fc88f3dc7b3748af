"""Kizuna settings: one file, every deployment difference from the environment.

With no environment at all the platform runs on its embedded defaults:
SQLite in WAL mode, files on local disk under ``var/``, and the database-backed
task worker. Bad values fail loudly at start-up instead of being guessed.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kizuna.ops.storage_url import storage_from_url, storage_origins

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("KIZUNA_VAR_DIR", str(BASE_DIR / "var")))

_secret = os.environ.get("SECRET_KEY", "")
if not _secret:
    # The embedded default keeps a generated key on disk so sessions survive restarts.
    _key_file = VAR_DIR / "secret_key"
    if _key_file.exists():
        _secret = _key_file.read_text().strip()
    else:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _secret = secrets.token_urlsafe(50)
        _key_file.write_text(_secret)
SECRET_KEY = _secret

# The public base URL of this deployment: xAPI actor homePage, IRIs, e-mail links, Open Badges assertions.
# By default this machine at the port being served: `make run PORT=…` exports PORT, and `serve --port`
# sets it (and SITE_URL) for its children, so links point at where Kizuna answers.
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", "").rstrip("/") or f"http://127.0.0.1:{PORT}"
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before allauth, so our templates for its pages win.
    "kizuna.accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "django_htmx",
    "ninja",
    "django_tasks",
    # Before django_tasks_db, so its `db_worker` command is ours (heartbeats, attempts, lock retries).
    "kizuna.ops",
    "django_tasks_db",
    "kizuna.audit",
    "kizuna.orgs",
    "kizuna.catalog",
    "kizuna.media",
    "kizuna.records",
    "kizuna.analytics",
    "kizuna.gamification",
    "kizuna.certification",
    "kizuna.incentives",
    "kizuna.agreements",
    "kizuna.feedback",
    "kizuna.kpis",
    "kizuna.community",
    "kizuna.notifications",
    "kizuna.surveys",
    "kizuna.packages",
    "kizuna.live",
    "kizuna.coaching",
    "kizuna.assessments",
    "kizuna.scenarios",
    "kizuna.updates",
    "kizuna.learning",
    "kizuna.api",
    "kizuna.lrs",
    "kizuna.cmi5",
    "kizuna.demo",
    "kizuna.privacy",
    "kizuna.scim",
    "kizuna.sso",
    "kizuna.support",
    "kizuna.freshness",
    "kizuna.stories",
    "kizuna.pwa",
    "kizuna.plain",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host check and the HTTPS redirect (load balancers probe by IP).
    "kizuna.ops.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /xapi/ (the LRS: HTTP Basic, no session or CSRF) is answered here, without the page middleware below.
    "kizuna.lrs.middleware.XapiMiddleware",
    "kizuna.ops.compression.PageGZipMiddleware",  # HTML pages only; see its docstring for BREACH
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kizuna.accounts.middleware.UserLanguageMiddleware",
    "kizuna.audit.middleware.AuditRequestMiddleware",
    "kizuna.ops.middleware.DatabaseBusyMiddleware",
    "kizuna.ops.error_pages.MethodNotAllowedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kizuna.accounts.middleware.SessionLifetimeMiddleware",
    "kizuna.orgs.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "kizuna.urls"
CSRF_FAILURE_VIEW = "kizuna.ops.error_pages.csrf_failure"
WSGI_APPLICATION = "kizuna.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kizuna" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kizuna.orgs.context_processors.membership",
                "kizuna.support.context_processors.first_run",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, anything dj-database-url understands otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "kizuna.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=15000;",
                "transaction_mode": "IMMEDIATE",
            },
            # A file, not memory, so the browser tests' live server threads each get their own connection.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every process shares: sign-in throttling and check-in tries must count across all gunicorn
# workers (and all servers). Default: Django's database cache (a table `createcachetable` makes, which
# `make run` runs after `migrate`) with one-statement writes (kizuna.ops.dbcache); with REDIS_URL, Redis. Template fragments stay in each process's
# memory: they are only a speed-up, and the rep home should not pay a database round trip for them.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}")
    _shared_cache = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
else:
    _shared_cache = {
        "BACKEND": "kizuna.ops.dbcache.DatabaseCache",
        "LOCATION": "kizuna_cache",
        # Django's default (300 entries, then a third culled) would let a flood of made-up e-mails
        # push sign-in counts out of the cache; expired entries are still removed as it fills.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
CACHES = {
    "default": {**_shared_cache, "KEY_PREFIX": "kizuna"},
    # Per process: rendered fragments and published content (kizuna.ops.repcache.kept_shared), room for an agency.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "kizuna.accounts.backends.MembershipModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learning:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail sign-in, no open sign-up (people are brought in by the principal).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "kizuna.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A password reset is refused for people whose organization requires single sign-on (accounts.signin_rules).
ACCOUNT_FORMS = {
    "reset_password": "kizuna.accounts.forms.PasswordResetForm",
    "reset_password_from_key": "kizuna.accounts.forms.PasswordResetKeyForm",
}
# Wrong passwords are throttled by kizuna.accounts.signin_throttle (growing waits, never a lockout of
# the correct password), so allauth's own "login_failed" limit is off. "login" only guards against a
# flood of sign-in posts from one address: an office of 200 reps behind one address fits many times over.
SIGNIN_POSTS_PER_MINUTE_PER_ADDRESS = env_int("SIGNIN_POSTS_PER_MINUTE_PER_ADDRESS", 3000)
ACCOUNT_RATE_LIMITS = {
    "login": f"{SIGNIN_POSTS_PER_MINUTE_PER_ADDRESS}/m/ip",
    "login_failed": "",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind a reverse proxy, the number of proxies that append to X-Forwarded-For: without it every
# sign-in would seem to come from the proxy's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kizuna] "
# Single sign-on per organization (kizuna/sso): the providers are configured by the principal admin at
# /settings/sso/ (allauth's SocialApp rows); people are linked or created in the provider's organization
# by our adapter, never by allauth's own sign-up or e-mail matching.
SOCIALACCOUNT_ADAPTER = "kizuna.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
    # allauth's SAML provider, refusing an assertion used before (kizuna/sso/saml.py).
    "saml": {"provider_class": "kizuna.sso.saml.KizunaSAMLProvider"},
}

# Second factors (allauth.mfa, under /accounts/2fa/): an authenticator app (TOTP) with recovery codes, and
# security keys or passkeys (WebAuthn). Which roles must have one: the principal admin's /settings/security/.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Kizuna")
# A code of the previous or next 30 seconds is accepted too: a phone's clock may drift that much (RFC 6238).
MFA_TOTP_TOLERANCE = 1
# WebAuthn needs HTTPS, except on localhost; this lets a plain-HTTP test or demo site use security keys.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", not env_bool("SECURE_HTTPS", False))

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "kizuna" / "static"]
# Uploads live outside the static path and are served only through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/nonexistent-media/"  # never served directly
# Where stored files live (kizuna/ops/storage_url.py): local files under MEDIA_ROOT by default; with
# STORAGE_URL=s3://bucket?endpoint_url=… an S3-compatible bucket, files then sent by short-lived signed URLs.
STORAGE_URL = env_str("STORAGE_URL", "")
STORAGES = {
    "default": storage_from_url(STORAGE_URL),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Local scratch space for work on stored files (ffmpeg needs paths; a bucket's file is copied here first).
# On the same disk as MEDIA_ROOT, finished local files are moved into place, not copied.
MEDIA_WORK_DIR = Path(env_str("MEDIA_WORK_DIR", str(VAR_DIR / "work")))

VIDEO_MAX_UPLOAD_MB = env_int("VIDEO_MAX_UPLOAD_MB", 500)
VIDEO_MAX_DURATION_SECONDS = env_int("VIDEO_MAX_DURATION_SECONDS", 60 * 60)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FFMPEG_BINARY = env_str("FFMPEG_BINARY", "ffmpeg")
FFPROBE_BINARY = env_str("FFPROBE_BINARY", "ffprobe")

# Background tasks: the database-backed worker by default (started by `make run`); with REDIS_URL, the queue on
# Redis (django-tasks' RQ backend; `manage.py rq_worker`, see kizuna.ops.rqueue). The code enqueues the same way.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND", "kizuna.ops.rqueue.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
RQ = {"QUEUE_CLASS": "kizuna.ops.rqueue.Queue", "JOB_CLASS": "kizuna.ops.rqueue.Job"}
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
# A task running longer than this on the Redis queue is stopped (and counts as a failed attempt).
TASKS_TIMEOUT_SECONDS = env_int("TASKS_TIMEOUT_SECONDS", 3 * 60 * 60)
# The task worker (`manage.py db_worker`): a task that raises is tried again after a delay that doubles,
# up to TASKS_MAX_ATTEMPTS runs in all, then marked failed with its reason. Each worker records a heartbeat
# every TASKS_HEARTBEAT_SECONDS; a running task whose worker has not beaten for TASKS_STALE_SECONDS
# is run again (or failed once it has had all its attempts).
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
TASKS_RETRY_DELAY_SECONDS = env_float("TASKS_RETRY_DELAY_SECONDS", 10.0)
TASKS_HEARTBEAT_SECONDS = env_float("TASKS_HEARTBEAT_SECONDS", 5.0)
TASKS_STALE_SECONDS = env_float("TASKS_STALE_SECONDS", 30.0)
# `manage.py serve`: a dead child is restarted after SERVE_RESTART_BACKOFF_SECONDS, doubling while it keeps
# dying, up to the cap; stopping waits SERVE_STOP_GRACE_SECONDS for the children before killing them.
SERVE_RESTART_BACKOFF_SECONDS = env_float("SERVE_RESTART_BACKOFF_SECONDS", 1.0)
SERVE_RESTART_BACKOFF_CAP_SECONDS = env_float("SERVE_RESTART_BACKOFF_CAP_SECONDS", 60.0)
SERVE_STOP_GRACE_SECONDS = env_float("SERVE_STOP_GRACE_SECONDS", 10.0)

# Projections: the rep's own progress is updated with each statement; the rest (learning days, points,
# certifications, rollups…) by the background projector (`manage.py run_projector`, started by `serve`).
# PROJECTIONS_EAGER applies everything at once instead (tests; a deployment without a projector process).
PROJECTIONS_EAGER = env_bool("PROJECTIONS_EAGER", False)
# The longest a projector batch holds its transaction (on SQLite, the write lock), and its idle poll interval.
PROJECTOR_BATCH_SECONDS = float(env_int("PROJECTOR_BATCH_MS", 100)) / 1000
PROJECTOR_POLL_SECONDS = float(env_int("PROJECTOR_POLL_MS", 500)) / 1000

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kizuna <no-reply@kizuna.invalid>")
if os.environ.get("EMAIL_URL"):
    raise ImproperlyConfigured("EMAIL_URL is not supported; set EMAIL_BACKEND and EMAIL_HOST* instead")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# One switch for everything that only makes sense behind HTTPS.
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the shared cache (written through to the database): with Redis no query at all.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# How long a sign-in lasts (kizuna/accounts/sessions.py): it ends after this long without a page
# (default 14 days), and in any case this long after signing in (default 30 days).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 14 * 24 * 60)
SESSION_ABSOLUTE_LIFETIME_HOURS = env_int("SESSION_ABSOLUTE_LIFETIME_HOURS", 30 * 24)
if SESSION_IDLE_TIMEOUT_MINUTES < 1 or SESSION_ABSOLUTE_LIFETIME_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT_MINUTES and SESSION_ABSOLUTE_LIFETIME_HOURS must be at least 1")
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME_HOURS * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Stored files may be sent from the bucket (a redirect to a signed URL): its origin is allowed too.
        "img-src": ["'self'", "data:", *storage_origins(STORAGES["default"])],
        "media-src": ["'self'", "blob:", *storage_origins(STORAGES["default"])],
        # hls.js fetches a video's segments itself: from the bucket too when they live in one (signed URLs).
        "connect-src": ["'self'", *storage_origins(STORAGES["default"])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Notifications: read ones are kept this many days, unread ones this many (a nightly job prunes older ones).
NOTIFICATIONS_KEEP_READ_DAYS = env_int("NOTIFICATIONS_KEEP_READ_DAYS", 30)
NOTIFICATIONS_KEEP_UNREAD_DAYS = env_int("NOTIFICATIONS_KEEP_UNREAD_DAYS", 90)
if min(NOTIFICATIONS_KEEP_READ_DAYS, NOTIFICATIONS_KEEP_UNREAD_DAYS) < 1:
    raise ImproperlyConfigured("NOTIFICATIONS_KEEP_READ_DAYS and NOTIFICATIONS_KEEP_UNREAD_DAYS must be at least 1")

# Web Push to the reps' phones (kizuna/notifications/push.py): the VAPID private key (the 32-byte scalar,
# base64url, as `manage.py webpush_vapid` prints it; empty: one is made once in var/vapid_private.pem), the
# contact push services may write to, how long a push service keeps an undelivered message, and (tests only)
# whether plain-http push endpoints are accepted.
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_CONTACT = env_str("WEBPUSH_CONTACT", "mailto:no-reply@kizuna.invalid")
if not WEBPUSH_CONTACT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"WEBPUSH_CONTACT must be a mailto: or https:// URL, got {WEBPUSH_CONTACT!r}")
WEBPUSH_TTL_SECONDS = env_int("WEBPUSH_TTL_SECONDS", 24 * 3600)
WEBPUSH_ALLOW_HTTP_ENDPOINTS = env_bool("WEBPUSH_ALLOW_HTTP_ENDPOINTS", False)
# Server-side requests to configured URLs (kizuna.ops.outbound) never reach internal addresses; the tests, whose
# receivers run on this machine, let loopback through (and only loopback). Never set it in production.
OUTBOUND_ALLOW_LOOPBACK = env_bool("OUTBOUND_ALLOW_LOOPBACK", False)

# Reminders: how many days before a required course's due date reps are reminded.
REMINDER_DAYS_BEFORE_DUE = env_int("REMINDER_DAYS_BEFORE_DUE", 3)
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
