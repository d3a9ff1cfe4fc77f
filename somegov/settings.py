"""Settings of the somegov portal.

Everything that differs between machines comes from the environment (or an optional
``.env`` file beside ``manage.py``), read with django-environ. The defaults are the
safe ones: DEBUG is off, SQLite is the embedded database.
"""

import datetime
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    TIME_ZONE=(str, "Europe/Helsinki"),
    SECURE_SSL_REDIRECT=(bool, False),
    SECURE_HSTS_SECONDS=(int, 31536000),
    SESSION_COOKIE_AGE=(int, 8 * 60 * 60),
    DEFAULT_FROM_EMAIL=(str, "somegov@localhost"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    PUBLIC_RATE_LIMIT=(int, 60),
    PUBLIC_RATE_LIMIT_WINDOW=(int, 60),
    PUBLIC_PROXY_COUNT=(int, 0),
    FEEDBACK_RATE_LIMIT=(int, 5),
    FEEDBACK_RATE_LIMIT_WINDOW=(int, 3600),
    LANGUAGES=(list, ["fi", "en"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or set DEBUG=true for development).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "axes",
    # The portal's own apps, bottom layer first (docs/architecture.md): each imports only those above it here.
    "core",
    "channels",
    "guideline",
    "approvals",
    "somegov",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage during a view becomes the friendly 503 page (handler500 covers the middleware).
    "somegov.resilience.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "somegov.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A login without a role: only public pages and its own account (core.access).
    "core.access.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "somegov.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "somegov.urls"

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
                "somegov.context_processors.roles",
                "somegov.context_processors.organisation",
            ],
        },
    },
]

WSGI_APPLICATION = "somegov.wsgi.application"

# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL (psycopg 3).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://somegov")}

vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with its message in Finnish too (Django's own Finnish lacks it).
    {"NAME": "somegov.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing the published demo password when DEBUG is off.
    "somegov.passwords.PasswordBackend",
]
# Lockout after repeated failures (django-axes): per username and address, for a while, then again.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on every command; lockouts are still logged
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_USERNAME_CALLABLE = "somegov.lockout.lockout_username"  # a 1 MB username must not reach a 255-char column

# Optional log-in with the municipality's identity provider (OpenID Connect, mozilla-django-oidc).
# Off by default: with OIDC_ENABLED=false there are no OIDC URLs and no OIDC backend at all. When on,
# people are linked by e-mail to existing logins and registry people; a login created here has no role.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
    # RS*/ES* tokens are checked against the provider's published keys; HS* against the client secret.
    OIDC_OP_JWKS_ENDPOINT = (
        env("OIDC_OP_JWKS_ENDPOINT", default=None)
        if OIDC_RP_SIGN_ALGO.startswith("HS")
        else env("OIDC_OP_JWKS_ENDPOINT")
    )
    OIDC_RP_SCOPES = "openid email"
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)  # seconds; a hanging provider must not hang a worker
    OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=False)  # a login without a role for unknown staff
    LOGIN_REDIRECT_URL_FAILURE = "login"
    AUTHENTICATION_BACKENDS.append("somegov.oidc.MunicipalOIDCBackend")
    AXES_WHITELIST_CALLABLE = "somegov.oidc.not_a_password_attempt"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fi"
# Every language the portal has been translated into. The database accepts all of them and the models' language
# fields take their choices from LANGUAGES at run time (core.languages), so choosing the languages is configuration,
# never a migration.
KNOWN_LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


def _configured_languages(codes):
    """The interface languages an organisation offers, from ``LANGUAGES=fi,sv,en``: known codes, Finnish
    among them (it is the default language and the language of the legal texts), in the order given."""
    from django.core.exceptions import ImproperlyConfigured

    known = dict(KNOWN_LANGUAGES)
    codes = [code.strip().lower() for code in codes if code.strip()]
    allowed = ", ".join(known)
    if unknown := [code for code in codes if code not in known]:
        raise ImproperlyConfigured(f"LANGUAGES: unknown language {', '.join(unknown)}; choose from {allowed}.")
    if LANGUAGE_CODE not in codes or len(set(codes)) != len(codes):
        raise ImproperlyConfigured(
            f"LANGUAGES must list {LANGUAGE_CODE} and each language once (choose from {allowed}), "
            f"e.g. LANGUAGES=fi,sv,en; got {','.join(codes)}."
        )
    return [(code, known[code]) for code in codes]


LANGUAGES = _configured_languages(env("LANGUAGES"))
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["somegov.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from the npm registry (package.json, package-lock.json) and are
# served straight from node_modules under a stable prefix; nothing is copied into the repo.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/source-sans-3", BASE_DIR / "node_modules" / "@fontsource" / "source-sans-3"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# JSON keeps times to the microsecond, so export_all/restore_all bring back exact history and log times.
SERIALIZATION_MODULES = {"json": "somegov.serializers"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) gets the strict values; `check --deploy` must stay silent.
SESSION_COOKIE_AGE = env("SESSION_COOKIE_AGE")
SESSION_ENGINE = "somegov.sessions"  # database sessions; an outage while saving one is a 503, not a 400
# The age counts from the last request (expiry after inactivity), but the session is written at most once per
# SESSION_REFRESH_INTERVAL seconds, not on every request (somegov.middleware.SlidingSessionMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_INTERVAL = min(5 * 60, SESSION_COOKIE_AGE // 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG

# Content-Security-Policy (django-csp 4): our own origin only, no inline script or style anywhere.
# Bootstrap's CSS draws its small icons (menu, select arrows) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# A form refused by the CSRF check gets a page in the person's language, not Django's technical one.
CSRF_FAILURE_VIEW = "somegov.errors.csrf_failure"

# How long the audit log is kept (Act on Information Management 906/2019 §17); purge_audit_log deletes older.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# The public directory, the account check and the open data API (channels/public*.py, channels/api.py).
# Requests per client IP address per window (seconds) to the API and the check; 0 turns the limit off.
PUBLIC_RATE_LIMIT = env("PUBLIC_RATE_LIMIT")
PUBLIC_RATE_LIMIT_WINDOW = max(1, env("PUBLIC_RATE_LIMIT_WINDOW"))
# Reverse proxies in front of the portal that append the client's address to X-Forwarded-For (0: none).
PUBLIC_PROXY_COUNT = env("PUBLIC_PROXY_COUNT")
# Accessibility feedback sent per client IP address per window (seconds); 0 turns the limit off.
FEEDBACK_RATE_LIMIT = env("FEEDBACK_RATE_LIMIT")
FEEDBACK_RATE_LIMIT_WINDOW = max(1, env("FEEDBACK_RATE_LIMIT_WINDOW"))
# Password reset requests per window (seconds), counted per client IP address and per e-mail address asked
# about (whether or not a login has it); 0 turns the limit off.
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)
PASSWORD_RESET_RATE_LIMIT_WINDOW = max(1, env.int("PASSWORD_RESET_RATE_LIMIT_WINDOW", default=3600))
# The organisation that runs the portal: the first values of a fresh install (core/organisation.py). Once the ICT
# secretary has saved the organisation's page in the portal (/organisaatio/), the saved record wins.
ORGANISATION = {
    "name": env("ORGANISATION_NAME", default=""),  # "Esimerkkilän kaupunki"
    "name_genitive": env("ORGANISATION_NAME_GENITIVE", default=""),  # "Esimerkkilän kaupungin"
    "name_sv": env("ORGANISATION_NAME_SV", default=""),
    "name_sv_genitive": env("ORGANISATION_NAME_SV_GENITIVE", default=""),
    "name_en": env("ORGANISATION_NAME_EN", default=""),
    "short_name": env("ORGANISATION_SHORT_NAME", default=""),
    "website": env("ORGANISATION_WEBSITE", default=""),
    # The registry office (kirjaamo): the privacy notice's controller, and where residents report a fake account.
    "registry_office_email": env("PRIVACY_CONTROLLER_EMAIL", default=env("PUBLIC_CONTACT_EMAIL", default="")),
    "registry_office_phone": env("ORGANISATION_REGISTRY_OFFICE_PHONE", default=""),
    "dpo_email": env("PRIVACY_DPO_EMAIL", default=""),
    "accessibility_email": env("ACCESSIBILITY_CONTACT_EMAIL", default=""),
}
# The legal pages (accessibility statement, privacy notice): their dates are data, their contacts the organisation's.
ACCESSIBILITY_STATEMENT_PREPARED_ON = datetime.date.fromisoformat(
    env("ACCESSIBILITY_STATEMENT_PREPARED_ON", default="2026-11-25")
)
ACCESSIBILITY_STATEMENT_REVIEWED_ON = datetime.date.fromisoformat(
    env("ACCESSIBILITY_STATEMENT_REVIEWED_ON", default="2026-11-25")
)
PRIVACY_NOTICE_UPDATED_ON = datetime.date.fromisoformat(env("PRIVACY_NOTICE_UPDATED_ON", default="2026-11-25"))
# How long data is kept (years); the privacy notice states these.
RETENTION_LEFT_STAFF_YEARS = env.int("RETENTION_LEFT_STAFF_YEARS", default=2)
RETENTION_FEEDBACK_YEARS = env.int("RETENTION_FEEDBACK_YEARS", default=2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
