"""Settings, all read from the environment (docs/environment.md lists every variable).

Three environments: ``development`` (default, SQLite under var/, e-mails to var/outbox/),
``test`` (set by the test suite) and ``production`` (refuses to start without a real secret
key and allowed hosts).
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RESSOURCERIE_VAR_DIR", BASE_DIR / "var"))

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on", "oui"}:
        return True
    if value.lower() in {"0", "false", "no", "off", "non"}:
        return False
    raise ImproperlyConfigured(f"{name} doit valoir true ou false, pas « {value} ».")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} doit être un nombre entier.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Under pytest the default is "test" (immediate tasks, in-memory mail, fast hashing).
ENVIRONMENT = env_str("RESSOURCERIE_ENV", "test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("RESSOURCERIE_ENV vaut development, test ou production.")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production : définissez SECRET_KEY (au moins 50 caractères aléatoires)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production : définissez ALLOWED_HOSTS.")
    if DEBUG:
        raise ImproperlyConfigured("Production : DEBUG doit rester à false.")

# Public address of the site, used in e-mails and feeds (no request at hand in a task).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Ressourcerie numérique")
# The territory this instance serves (INSEE region code); national data is loaded anyway.
REGION_CODE = env_str("REGION_CODE", "52")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "ressourcerie.core",
    "ressourcerie.accounts",
    "ressourcerie.toolbox",
    "ressourcerie.testimonials",
    "ressourcerie.api",
    "ressourcerie.directory",
    "ressourcerie.newsletter",
    "ressourcerie.diagnostic",
    "ressourcerie.fund",
    "ressourcerie.donations",
    "ressourcerie.agenda",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ressourcerie.core.middleware.SecurityHeadersMiddleware",
    # JSON errors and CORS under /api/ (wraps everything below, CSRF refusals included).
    "ressourcerie.api.middleware.ApiMiddleware",
    # Public pages for anonymous visitors from the shared cache (core/pagecache.py).
    "ressourcerie.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ressourcerie.urls"
WSGI_APPLICATION = "ressourcerie.wsgi.application"
ASGI_APPLICATION = "ressourcerie.asgi.application"

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
                "ressourcerie.core.context_processors.site",
            ],
        },
    },
]

FORM_RENDERER = "ressourcerie.core.renderers.FormRenderer"
# A typed "exemple.org" becomes https://exemple.org (Django 6 default, opted in now).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{VAR_DIR / 'ressourcerie.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A connection per request costs its PRAGMAs (journal_mode takes a lock) on every page:
    # gunicorn's sync workers keep theirs. The test servers' threads open their own.
    if ENVIRONMENT == "test":
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while a writer (the task worker) writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache (rate limits, throttles) ---------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "ressourcerie_cache"),
    }
}
if ENVIRONMENT == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

# --- I18N -----------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- E-mail ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Ressourcerie numérique <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_OUTBOX_DIR = VAR_DIR / "outbox"
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "ressourcerie.core.mail.OutboxBackend",
)
if ENVIRONMENT == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# --- Newsletter (docs/parts/newsletter.md) ---------------------------------------------
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL") or DEFAULT_FROM_EMAIL
# Empty: send through EMAIL_BACKEND's SMTP settings (EMAIL_HOST…), or its outbox in development.
NEWSLETTER_SMTP_HOST = env_str("NEWSLETTER_SMTP_HOST", "")
NEWSLETTER_SMTP_PORT = env_int("NEWSLETTER_SMTP_PORT", 0)
NEWSLETTER_SMTP_TIMEOUT = env_int("NEWSLETTER_SMTP_TIMEOUT", 30)
NEWSLETTER_RATE = float(env_str("NEWSLETTER_RATE") or "50")  # messages per second; 0 = no limit
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 500)
# SMTP connections per worker, one message in flight on each (the relay's per-client limit).
NEWSLETTER_CONNECTIONS = env_int("NEWSLETTER_CONNECTIONS", 8)
# A claim older than this is taken over (its worker died). Must exceed a batch's duration.
NEWSLETTER_CLAIM_TIMEOUT = env_int("NEWSLETTER_CLAIM_TIMEOUT", 600)
NEWSLETTER_MAX_ATTEMPTS = env_int("NEWSLETTER_MAX_ATTEMPTS", 5)
NEWSLETTER_BOUNCE_LIMIT = env_int("NEWSLETTER_BOUNCE_LIMIT", 3)
NEWSLETTER_BOUNCING_RETENTION_DAYS = env_int("NEWSLETTER_BOUNCING_RETENTION_DAYS", 90)
NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS = env_int("NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS", 1095)
NEWSLETTER_DKIM_PRIVATE_KEY = env_str("NEWSLETTER_DKIM_PRIVATE_KEY", "")
NEWSLETTER_DKIM_SELECTOR = env_str("NEWSLETTER_DKIM_SELECTOR", "lettre")

# Support fund (docs/parts/fund.md). The granting body appears in the SCDL open data.
FUND_GRANTOR_NAME = env_str("FUND_GRANTOR_NAME", "")
FUND_GRANTOR_SIRET = env_str("FUND_GRANTOR_SIRET", "")
# Applications' documents: outside the web root, served by the application's views only.
FUND_DOCUMENTS_DIR = Path(env_str("FUND_DOCUMENTS_DIR", str(VAR_DIR / "private" / "fund")))
FUND_DOCUMENT_MAX_MB = env_int("FUND_DOCUMENT_MAX_MB", 10)
# Documents of refused (and withdrawn, without follow-up) applications are purged this long
# after the decision (stated on the privacy page).
FUND_DOCUMENT_RETENTION_YEARS = env_int("FUND_DOCUMENT_RETENTION_YEARS", 5)
# Support (part 2): days an actor has to answer an offer before it expires and the team is
# alerted (expire_fund_offers, daily); hours that make one support day in a session log.
FUND_OFFER_ANSWER_DAYS = env_int("FUND_OFFER_ANSWER_DAYS", 5)
FUND_HOURS_PER_DAY = env_int("FUND_HOURS_PER_DAY", 7)
# The dashboard and the impact open data never show an average resting on fewer supports.
FUND_IMPACT_MIN_COUNT = env_int("FUND_IMPACT_MIN_COUNT", 5)
NEWSLETTER_DKIM_DOMAIN = env_str("NEWSLETTER_DKIM_DOMAIN", "")

# --- Autodiagnostic (docs/parts/diagnostic.md) ----------------------------------------
# A diagnostic never finished is deleted after this many days without activity
# (purge_abandoned_diagnostics); the privacy page says 6 months.
DIAGNOSTIC_ABANDONED_DAYS = env_int("DIAGNOSTIC_ABANDONED_DAYS", 180)

# --- Background tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test" or env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a reverse proxy that sets X-Forwarded-Proto and X-Real-IP (docs/deployment.md).
BEHIND_PROXY = env_bool("BEHIND_PROXY", PRODUCTION)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

# An optional tile server for maps; without it, maps draw shipped outlines (no third party).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

# Rate limits: "count/seconds".
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
# Seconds an anonymous visitor's public page is kept in the shared cache (core/pagecache.py;
# any content change invalidates at once). 0: off — the default outside production.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600 if ENVIRONMENT == "production" else 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "ressourcerie.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- The instance's details (legal notice, contact page) --------------------------------
# Shown on /mentions-legales/ and /contact/; `check --deploy` warns in production when one
# is empty (docs/environment.md).
LEGAL_PUBLISHER = env_str("LEGAL_PUBLISHER", "")  # the association or body that runs the site
LEGAL_ADDRESS = env_str("LEGAL_ADDRESS", "")  # its postal address
LEGAL_DIRECTOR = env_str("LEGAL_DIRECTOR", "")  # the director of publication
LEGAL_HOST = env_str("LEGAL_HOST", "")  # the host's name, address and phone
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "")  # the team's address (contact page, legal notice)
# Working days the team usually takes to verify an association (told to those waiting).
ORGANISATION_VERIFICATION_DAYS = env_int("ORGANISATION_VERIFICATION_DAYS", 3)

# Directory: "near me" lists places within this distance; with none inside, it says so and
# shows the nearest ones. The map labels prefectures and communes from this population on.
DIRECTORY_NEAR_RADIUS_KM = env_int("DIRECTORY_NEAR_RADIUS_KM", 50)
MAP_LABEL_MIN_POPULATION = env_int("MAP_LABEL_MIN_POPULATION", 30000)

# Agenda: participants' names and addresses are anonymised this long after the event ends
# (attendance counts stay); `manage.py purge_agenda_participants` runs nightly.
AGENDA_PARTICIPANT_RETENTION_DAYS = env_int("AGENDA_PARTICIPANT_RETENTION_DAYS", 92)
