"""Weerbaar settings.

Every deploy-time choice is read from the environment, once, here. ``WEERBAAR_ENV``
selects the profile: ``development`` (the default, used by ``make run`` and the tests)
or ``production`` (secure cookies, HSTS, a required secret key).
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/weerbaar
PROJECT_DIR = BASE_DIR.parent.parent  # repository root


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env_str("WEERBAAR_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (WEERBAAR_ENV=production).")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where uploads and the default SQLite database live; outside the source tree.
VAR_DIR = Path(env_str("WEERBAAR_VAR_DIR", str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "django_htmx",
    "weerbaar.core",
    "weerbaar.accounts",
    "weerbaar.knowledge",
    "weerbaar.risks",
    "weerbaar.framework",
    "weerbaar.cycle",
    "weerbaar.incidents",
    "weerbaar.training",
    "weerbaar.agenda",
    "weerbaar.yearreport",
    "weerbaar.selfscan",
    "weerbaar.soa",
    "weerbaar.circles",
    "weerbaar.documents",
    "weerbaar.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "weerbaar.core.busy.BusyDatabaseMiddleware",  # outside the session: its save can meet a busy database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weerbaar.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "weerbaar.accounts.sso.FormActionMiddleware",  # after CSP: its response passes here first
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "weerbaar.accounts.sessions.SessionLifetimeMiddleware",  # idle and absolute lifetime; after auth
    "weerbaar.core.middleware.RequestContextMiddleware",
    "weerbaar.core.middleware.LoginRequiredMiddleware",
    "weerbaar.core.middleware.OrganisationScopeMiddleware",
]

ROOT_URLCONF = "weerbaar.urls"
WSGI_APPLICATION = "weerbaar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "weerbaar.core.context_processors.weerbaar",
                "weerbaar.accounts.context_processors.municipal_sso",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "weerbaar.core.templatetags.weerbaar",
            ],
        },
    }
]
FORM_RENDERER = "weerbaar.core.forms.UtrechtFormRenderer"

if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'weerbaar.sqlite3'}"),
        # Production keeps each worker's connection open (no connect per request, which costs
        # PostgreSQL several milliseconds) and checks it before reuse after an error or restart.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write to one file. A deferred transaction that reads first and then
    # writes cannot wait for another writer ("database is locked" at once); IMMEDIATE takes the
    # write lock at BEGIN, where the busy timeout lets it queue. WAL lets readers go on while
    # one writer writes (ignored by an in-memory database, such as the tests').
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DATABASE_BUSY_TIMEOUT_SECONDS", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

# --- django-allauth: e-mail login, TOTP with recovery codes, OIDC single sign-on -----------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # invitations prove the address; see accounts.adapters
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_ADAPTER = "weerbaar.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "weerbaar.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Failed logins: at most 5 per address *and client* per 5 minutes (the key is built in
# accounts.adapters), 10 per minute per client. Someone guessing a password slows down only
# themselves; the owner of the address can still log in from elsewhere.
LOGIN_ATTEMPTS_LIMIT = env_int("LOGIN_ATTEMPTS_LIMIT", 5)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{LOGIN_ATTEMPTS_LIMIT}/300s/key",
}
# The client's address behind a reverse proxy, for these limits. Trust X-Forwarded-For only
# as far as your own proxies add it (TRUSTED_PROXY_COUNT: how many), or a header that your
# proxy sets and overwrites (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). Both off by default:
# a client could otherwise claim any address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Weerbaar"
MFA_TOTP_TOLERANCE = 1  # one period of clock skew either way
MFA_RECOVERY_CODE_COUNT = 10
SOCIALACCOUNT_ADAPTER = "weerbaar.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# Single sign-on is off unless OIDC_PROVIDERS holds a JSON list of providers, e.g.
# [{"provider_id": "demostad-entra", "name": "Demostad (Entra ID)", "client_id": "...",
#   "secret": "...", "server_url": "https://login.microsoftonline.com/<tenant>/v2.0"}]
OIDC_PROVIDERS = json.loads(env_str("OIDC_PROVIDERS", "[]") or "[]")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": p["provider_id"],
                "name": p.get("name", p["provider_id"]),
                "client_id": p["client_id"],
                "secret": p.get("secret", ""),
                "settings": {"server_url": p["server_url"]},
            }
            for p in OIDC_PROVIDERS
        ],
    }
}
SSO_ENABLED = bool(OIDC_PROVIDERS)
# The address of this installation (https://weerbaar.gemeente.nl), for links in e-mails sent by
# background jobs (reminders, circle digests), which have no request to take it from. The one
# setting for this; WEERBAAR_BASE_URL is its older name, still read when SITE_URL is not set.
# Without either: the first named host in ALLOWED_HOSTS.
SITE_URL = (env_str("SITE_URL", "") or env_str("WEERBAAR_BASE_URL", "")).rstrip("/")
if not SITE_URL:
    _named_hosts = [h for h in ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    if _named_hosts:
        _local = _named_hosts[0] in ("localhost", "127.0.0.1", "testserver")
        SITE_URL = f"{'http' if _local else 'https'}://{_named_hosts[0]}"
# Where a visitor who is not signed in lands on "/": the page that explains Weerbaar.
VISITOR_START_URL_NAME = "knowledge:welcome"
# Encrypts municipalities' SSO client secrets; empty: derived from SECRET_KEY (see accounts/crypto.py).
SSO_ENCRYPTION_KEY = env_str("SSO_ENCRYPTION_KEY", "")

# --- Sessions, cookies and security headers ---------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 60 * 60)  # idle timeout
# Not every request: accounts.sessions refreshes the idle window at most once a minute, so
# reading a page writes nothing. After the absolute lifetime a new sign-in is required.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "weerbaar.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_oidc_origins = sorted({p["server_url"].split("/")[0] + "//" + p["server_url"].split("/")[2] for p in OIDC_PROVIDERS})
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        # Chromium applies form-action to the redirect after the SSO button's POST.
        "form-action": [SELF, *_oidc_origins],
    }
}

# --- Internationalisation: Dutch first, English second ---------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files: NL Design System CSS and htmx come from npm (node_modules) ---------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht/components", NODE_MODULES / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht/tokens", NODE_MODULES / "@utrecht/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "weerbaar.core.staticstorage.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file a member may share in a circle (circles/files.py gives the Dutch size message).
CIRCLE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# The largest request body read whole. The API reads every body whole (api/guards.py), a file
# upload included, so this leaves room for the largest circle file plus the multipart envelope and
# form fields: a file the product allows is never a 413, one byte more gets the size message.
DATA_UPLOAD_MAX_MEMORY_SIZE = CIRCLE_DOCUMENT_MAX_BYTES + 1024 * 1024
# The API's register list answers each worker keeps until the municipality's data changes
# (api.listcache); 0 keeps none.
API_LIST_CACHE_BYTES = env_int("API_LIST_CACHE_BYTES", 32 * 1024 * 1024)

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Weerbaar <noreply@weerbaar.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One cache shared by every worker process: the login rate limits and the once-a-minute session
# refresh must hold across gunicorn workers. The database by default (`createcachetable`, run by
# `make run` and `make serve`); Redis through CACHE_URL=redis://... if you already run one.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// URL; leave it empty for the database cache.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "weerbaar_cache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "weerbaar.accounts.security.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Security events (BIO2 8.15) as JSON lines on stdout, for the platform's log collector.
        "security": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "weerbaar.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}

# --- Weerbaar ---------------------------------------------------------------------------------
# Coordinated vulnerability disclosure (SECURITY.md, /.well-known/security.txt): where reports go.
SECURITY_CONTACTS = env_list("SECURITY_CONTACTS", ["mailto:security@weerbaar.example"])
SECURITY_POLICY_URL = env_str("SECURITY_POLICY_URL", "https://example.org/weerbaar/weerbaar/-/blob/main/SECURITY.md")
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
PAGE_SIZE = env_int("PAGE_SIZE", 25)
# One Excel import holds at most this many rows per sheet, so no import keeps the database busy for long.
IMPORT_MAX_ROWS_PER_SHEET = env_int("IMPORT_MAX_ROWS_PER_SHEET", 5000)

# --- Background jobs (django-tasks): large document exports ---------------------------------
# Jobs run inline by default (make run, tests). Production sets TASKS_BACKEND=database and runs
# `manage.py db_worker` beside the web server; the status page polls the job's row.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in ("immediate", "database"):
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
# A framework export goes to a background job when it uses the municipality's own Word
# template, or when its goals, principles and laws together number more than this.
DOCUMENTS_BACKGROUND_FROM_ITEMS = env_int("DOCUMENTS_BACKGROUND_FROM_ITEMS", 150)
# Rendered documents are removed this many hours after they were requested.
DOCUMENTS_KEEP_HOURS = env_int("DOCUMENTS_KEEP_HOURS", 24)
