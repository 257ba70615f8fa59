"""A real OpenID Connect provider for the single sign-on tests (django-oidc-provider).

Started by ``tests/accounts/test_municipal_sso.py`` as its own gunicorn process on loopback with
its own SQLite file, so Weerbaar's login goes through the whole protocol: discovery, authorize,
the provider's own login form, code, token exchange, signed id token (RS256, JWKS), userinfo.
"""

import os

SECRET_KEY = "test-provider-only"  # noqa: S105 - a throw-away provider in tests
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PROVIDER_DB"]}}
USE_TZ = True
LOGIN_URL = "/login/"
SITE_URL = os.environ["PROVIDER_URL"]
OIDC_USERINFO = "tests.oidc_provider.urls.userinfo"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
