"""Settings from environment variables with safe defaults (see docs/operations.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
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
    # routing state of the request, replica reads of @replica_ok views, the read-your-writes cookie
    # (before the session middleware, so a session saved on the way out counts as a write)
    "bangfu.core.replicas.ReplicaMiddleware",
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
    "bangfu.core.idempotency.IdempotencyMiddleware",  # last: runs after the CSRF and capability checks
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

# PostgreSQL binds parameters itself and keeps a statement's plan once a connection has run it
# BANGFU_DB_PREPARE_THRESHOLD times, so the reads every request makes are not parsed and planned again
# each time (half the database's CPU of a household API GET: bench/requests/README.md). A PgBouncer in
# transaction mode needs max_prepared_statements (PgBouncer 1.21 or later), or set the threshold to "off".
_PREPARE = os.environ.get("BANGFU_DB_PREPARE_THRESHOLD", "5").strip()
if _PREPARE != "off" and not _PREPARE.isdigit():
    raise ImproperlyConfigured(
        f"BANGFU_DB_PREPARE_THRESHOLD 应为非负整数或 off（当前为 {_PREPARE!r}）。"
        f" / BANGFU_DB_PREPARE_THRESHOLD must be a whole number of uses (5 by default) or off, not {_PREPARE!r}."
    )
POSTGRES_OPTIONS = {"server_side_binding": True, "prepare_threshold": None if _PREPARE == "off" else int(_PREPARE)}
# PostgreSQL's JIT compiles any query its planner costs above jit_above_cost: the household list's COUNT
# over a county of 125,000 households ran 65 ms, 40 of them compiling, and 24 ms without (bench/province).
# Requests never run long enough to repay it, and the indicator refresh was no slower without it, so each
# connection turns it off ("off", the default). "server" leaves the server's setting: behind a PgBouncer,
# which refuses startup options it does not track, set it on the role instead (docs/operations.md, "PgBouncer").
_JIT = os.environ.get("BANGFU_DB_JIT", "off").strip()
if _JIT not in ("off", "server"):
    raise ImproperlyConfigured(
        f"BANGFU_DB_JIT 应为 off（默认）或 server（当前为 {_JIT!r}）。"
        f" / BANGFU_DB_JIT must be off (the default) or server (keep the server's setting), not {_JIT!r}."
    )


def _postgres_options(options: dict[str, Any]) -> dict[str, Any]:
    """The connection options of a PostgreSQL URL with Bangfu's own added (libpq `options` appended to)."""
    out = {**options, **POSTGRES_OPTIONS}
    if _JIT == "off":
        out["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return out


if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"] = _postgres_options(DATABASES["default"].get("OPTIONS", {}))

# Read replicas (docs/operations.md, "Read replicas"): streaming standbys of the PostgreSQL primary,
# comma-separated URLs → aliases replica_1, replica_2, …; bangfu.core.replicas routes the reads of views
# marked @replica_ok to one of them. Empty: everything on the primary (a county on one machine).
_REPLICA_URLS = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()]
# A replica further behind than this (seconds) is skipped; its state is measured at most every
# BANGFU_REPLICA_CHECK_SECONDS per process; connecting to one gives up after BANGFU_REPLICA_CONNECT_TIMEOUT.
BANGFU_REPLICA_MAX_LAG = float(os.environ.get("BANGFU_REPLICA_MAX_LAG", "5"))
BANGFU_REPLICA_CHECK_SECONDS = float(os.environ.get("BANGFU_REPLICA_CHECK_SECONDS", "2"))
BANGFU_REPLICA_CONNECT_TIMEOUT = int(os.environ.get("BANGFU_REPLICA_CONNECT_TIMEOUT", "2"))
# After a user's write, that user's reads stay on the primary this long (read-your-writes). It must
# cover the lag a replica may have while still in use, plus the time that lag may go unmeasured.
BANGFU_READ_YOUR_WRITES_SECONDS = float(os.environ.get("BANGFU_READ_YOUR_WRITES_SECONDS", "10"))
# An API token's last_used is written at most this often (seconds), and never by a request that reads
# from a replica: a read is not a write.
BANGFU_TOKEN_TOUCH_SECONDS = int(os.environ.get("BANGFU_TOKEN_TOUCH_SECONDS", "600"))
BANGFU_REPLICA_ALIASES: list[str] = []
if _REPLICA_URLS and not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URLS 需要 PostgreSQL 主库（DATABASE_URL=postgres://…）；SQLite 不支持只读副本。"
        " / DATABASE_REPLICA_URLS needs a PostgreSQL primary (DATABASE_URL=postgres://…): SQLite has no replicas;"
        " unset DATABASE_REPLICA_URLS or move to PostgreSQL."
    )
if _REPLICA_URLS and BANGFU_READ_YOUR_WRITES_SECONDS < BANGFU_REPLICA_MAX_LAG + BANGFU_REPLICA_CHECK_SECONDS:
    raise ImproperlyConfigured(
        "BANGFU_READ_YOUR_WRITES_SECONDS 应不小于 BANGFU_REPLICA_MAX_LAG + BANGFU_REPLICA_CHECK_SECONDS，"
        "否则用户可能看不到自己刚保存的内容。 / BANGFU_READ_YOUR_WRITES_SECONDS must be at least"
        f" BANGFU_REPLICA_MAX_LAG + BANGFU_REPLICA_CHECK_SECONDS ({BANGFU_REPLICA_MAX_LAG:g} + "
        f"{BANGFU_REPLICA_CHECK_SECONDS:g} s), or a user may not see what they just saved;"
        " raise it or lower the lag limit."
    )
for _n, _url in enumerate(_REPLICA_URLS, 1):
    _replica = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    if not _replica["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS 第 {_n} 项不是 PostgreSQL 地址（postgres://…）。"
            f" / DATABASE_REPLICA_URLS entry {_n} is not a PostgreSQL URL (postgres://user@host:5432/bangfu)."
        )
    _replica["OPTIONS"] = {
        **_postgres_options(_replica.get("OPTIONS", {})),
        "connect_timeout": BANGFU_REPLICA_CONNECT_TIMEOUT,
    }
    _replica["TEST"] = {"MIRROR": "default"}  # a test run creates no database on a standby
    DATABASES[f"replica_{_n}"] = _replica
    BANGFU_REPLICA_ALIASES.append(f"replica_{_n}")
DATABASE_ROUTERS = ["bangfu.core.replicas.ReplicaRouter"] if BANGFU_REPLICA_ALIASES else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# ModelBackend with a cheaper per-request user read (bangfu/accounts/sessions.py)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "bangfu.accounts.sessions.AccountBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    # minimum length and common passwords as the user's county sets them (accounts.models.AccountPolicy)
    {"NAME": "bangfu.accounts.password.CountyPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
CSRF_FAILURE_VIEW = "bangfu.core.answers.csrf_failure"  # a problem document for the offline queue (docs/offline.md)
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
FORMAT_MODULE_PATH = ["bangfu.formats"]  # one date style in both languages (docs/i18n.md)
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
# A county of the nightly batch whose worker has not beaten for this long is handed to another
# worker (core.batch): longer than any county's screening takes between two beats.
BANGFU_BATCH_STALE_SECONDS = int(os.environ.get("BANGFU_BATCH_STALE_SECONDS", "900"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Django's database sessions, read by hand (bangfu/accounts/sessions.py: the same rows, a cheaper read)
SESSION_ENGINE = "bangfu.accounts.sessions"
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
