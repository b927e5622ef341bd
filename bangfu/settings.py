"""Settings from environment variables with safe defaults (see docs/operations.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BANGFU_VAR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("BANGFU_PRODUCTION", "0") == "1"
DEBUG = os.environ.get("DEBUG", "0") == "1" and not PRODUCTION


_GENERATED: dict[str, str] = {}


def _kept_secret(name: str, env: str) -> str:
    """Read a secret from the environment, else generate it once and keep it under var/."""
    if os.environ.get(env):
        return os.environ[env]
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
        _GENERATED[name] = str(path)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("secret_key", "SECRET_KEY")
# Separate key for personal-data fields, so rotating SECRET_KEY (sessions) never loses ID numbers.
# core.keys refuses to start when it is not the key of the database's data (and then removes a key
# generated just now, so a missing file never turns into a new key silently).
FIELD_ENCRYPTION_KEY = _kept_secret("field_key", "FIELD_ENCRYPTION_KEY")
FIELD_KEY_GENERATED = _GENERATED.get("field_key")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "bangfu.core",
    "bangfu.areas",
    "bangfu.accounts",
    "bangfu.registry",
    "bangfu.rules",
    "bangfu.monitoring",
    "bangfu.casework",
    "bangfu.insurance",
    "bangfu.employment",
    "bangfu.market",
    "bangfu.analytics",
    "bangfu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "bangfu.core.middleware.ApplicationErrorMiddleware",
    "bangfu.core.middleware.PrivateNoStoreMiddleware",
    "bangfu.accounts.password.PasswordChangeRequired",
    "bangfu.accounts.middleware.WriteCapabilityMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
# The API's interactive docs and OpenAPI schema: open to anyone only if BANGFU_API_DOCS_PUBLIC=1
# (default outside production); otherwise a login session or a Bearer token is needed.
API_DOCS_PUBLIC = os.environ.get("BANGFU_API_DOCS_PUBLIC", "0" if PRODUCTION else "1") == "1"
WSGI_APPLICATION = "bangfu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "bangfu.accounts.context.nav",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'bangfu.sqlite3'}"
# Kept connections are checked before reuse, so a database restart or failover costs no request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE avoids lock-upgrade deadlocks.
        # A 64 MB page cache keeps the indexes of a county in memory during imports and screening.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("BANGFU_TEST_SQLITE") or None}
elif os.environ.get("BANGFU_TEST_DB"):
    # Lets several test runs share one PostgreSQL server without colliding on the test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["BANGFU_TEST_DB"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    # minimum length and common passwords as the user's county sets them (accounts.models.AccountPolicy)
    {"NAME": "bangfu.accounts.password.CountyPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks, e.g.
# "10.0.0.5,192.168.10.0/24"). Empty: the peer address is the client (bangfu.core.client).
BANGFU_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("BANGFU_TRUSTED_PROXIES", "").split(",") if p.strip()]

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Failures count per (username, client address): somebody else's wrong passwords never lock the real
# user out; the lock doubles with each further failure of the pair; the county admin can lift it (ADR 3).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
BANGFU_LOCKOUT_MINUTES = int(os.environ.get("BANGFU_LOCKOUT_MINUTES", "5"))
AXES_COOLOFF_TIME = "bangfu.accounts.lockout.cool_off"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # retrying while locked does not lengthen the lock
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # remembers earlier locks of a pair: the next one lasts twice as long
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "bangfu.core.client.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An upload with more rows than this (longest sheet) is imported by `bangfu worker`, not in the request.
BANGFU_BACKGROUND_ROWS = int(os.environ.get("BANGFU_BACKGROUND_ROWS", "5000"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response: the product loads nothing from elsewhere, runs no inline
# script or style (behaviour is wired in static/bangfu/app.js through data- attributes), and a page
# that truly needs an inline <script>/<style> marks it nonce="{{ csp_nonce }}". File downloads carry
# their own stricter sandbox policy (core/files.py), which this middleware leaves in place.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # data: for the icons inside the API docs' stylesheet
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    # Intranet deployments often run plain HTTP behind the office network; TLS is opt-in.
    _tls = os.environ.get("BANGFU_TLS", "0") == "1"
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _tls
    SECURE_SSL_REDIRECT = _tls
    SECURE_HSTS_SECONDS = 31536000 if _tls else 0
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _tls else None
SILENCED_SYSTEM_CHECKS = (
    []
    if os.environ.get("BANGFU_TLS", "0") == "1"
    else [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Plausible dates for what people enter (a policy, read by bangfu.core.policy): nothing before
# BANGFU_EARLIEST_DATE; fields that may lie ahead (contract ends, validity) at most BANGFU_FUTURE_DAYS
# after today, the others at most today.
BANGFU_EARLIEST_DATE = os.environ.get("BANGFU_EARLIEST_DATE", "1990-01-01")
BANGFU_FUTURE_DAYS = int(os.environ.get("BANGFU_FUTURE_DAYS", "3660"))

BANGFU_DEMO_PASSWORD = os.environ.get("BANGFU_DEMO_PASSWORD", "bangfu-demo-2026")
