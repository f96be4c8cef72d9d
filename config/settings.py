"""Sadok settings, read from the environment.

Everything that differs between a laptop, CI and production comes from an
environment variable with a safe default for the embedded demo (`make run`).
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from config.database import database_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("SADOK_DEBUG", default=False)
# The embedded demo runs with a generated, non-secret key; production must set its own.
SECRET_KEY = os.environ.get("SADOK_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set SADOK_SECRET_KEY (or SADOK_DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("SADOK_ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SADOK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "sadok.accounts.apps.SadokAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "leaflet",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "sadok",
    "sadok.accounts.kyivid",
    "sadok.kindergartens",
    "sadok.accounts",
    "sadok.journal",
    "sadok.applications",
    "sadok.queue",
    "sadok.offers",
    "sadok.notifications",
    "sadok.workspace",
    "sadok.statistics",
    "sadok.opendata",
    "sadok.demo",
    # django-ninja's Swagger UI, served from its own static files (no CDN: the CSP).
    "ninja",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sadok.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view: no control character in a query parameter or form value.
    "sadok.middleware.ControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "sadok.middleware.SignedInNoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Sadok's templates first: they restyle allauth's pages.
        "DIRS": [BASE_DIR / "sadok" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sadok.notifications.context_processors.inbox",
                "sadok.workspace.context_processors.workspaces",
            ],
        },
    },
]

# PostgreSQL in production and in every test run; the embedded SQLite file only
# serves `make run` on a machine with no database server.
# SQLite gets WAL, a busy timeout and IMMEDIATE transactions (config/database.py).
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'sadok.sqlite3'}"),
        conn_max_age=int(os.environ.get("SADOK_DB_CONN_MAX_AGE", "0")),
    )
}
# A PostgreSQL streaming replica for the public reads (statistics, anonymised queues,
# the open API), through `sadok.replica.ReplicaRouter`; docs/operations.md.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_from_url(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("SADOK_DB_CONN_MAX_AGE", "0")),
    )
DATABASE_ROUTERS = ["sadok.replica.ReplicaRouter"]
# How often a process looks again whether the replica may serve, and how far behind
# the primary (seconds since the last transaction it replayed, while it has more to
# replay) it may be before public pages read from the primary instead.
SADOK_REPLICA_CHECK_SECONDS = float(os.environ.get("SADOK_REPLICA_CHECK_SECONDS", "5"))
SADOK_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("SADOK_REPLICA_MAX_LAG_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "sadok.accounts.backends.CityAdministratorBackend",
]
LOGIN_URL = "account_login"
# Sign-in lands on the person's own workspace (a head's kindergarten, a district
# office, the city) or, for a family, the cabinet.
LOGIN_REDIRECT_URL = "workspace:home"

# django-allauth: local accounts by e-mail with verified e-mail and phone, KyivID
# (OpenID Connect) first, Google and Facebook when configured, TOTP for staff.
ACCOUNT_ADAPTER = "sadok.offers.hooks.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "sadok.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Phone optional at sign-up (KyivID brings a verified one); SMS go only to verified phones.
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Sadok: "
# Six digits, as Ukrainian banks and Diia send them: easy to type from an SMS.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sadok"

KYIVID_ISSUER = os.environ.get("KYIVID_ISSUER", "")
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
if KYIVID_ISSUER:
    SOCIALACCOUNT_PROVIDERS["kyivid"] = {
        "APPS": [
            {
                "client_id": os.environ["KYIVID_CLIENT_ID"],
                "secret": os.environ.get("KYIVID_CLIENT_SECRET", ""),
                "settings": {"server_url": KYIVID_ISSUER},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
for _provider in ("google", "facebook"):
    _client_id = os.environ.get(f"SADOK_{_provider.upper()}_CLIENT_ID")
    if _client_id:
        # Installed only when configured: an unconfigured provider's pages would fail.
        INSTALLED_APPS.insert(
            INSTALLED_APPS.index("allauth.mfa"), f"allauth.socialaccount.providers.{_provider}"
        )
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [
                {
                    "client_id": _client_id,
                    "secret": os.environ.get(f"SADOK_{_provider.upper()}_SECRET", ""),
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }

# Failed logins: allauth's `login_failed` limit counts both wrong passwords and
# wrong second-factor codes. Wrong passwords are counted per (account, client)
# (sadok.accounts.adapters): a stranger elsewhere cannot lock a parent out.
# Second-factor codes are counted per account: whoever reaches that step has the
# password. Stacked windows make the wait grow: a few tries a minute, then fewer
# per quarter hour, then per few hours. A successful password reset clears both.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get(
        "SADOK_LOGIN_FAILED_RATES", "5/m/key,10/15m/key,15/h/key,20/4h/key"
    )
}
# The client's address as the city's reverse proxy reports it (0: none in front).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("SADOK_TRUSTED_PROXY_COUNT", "0"))
# The API's rate limit finds the client's address the same way.
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT
MFA_FORMS = {
    "authenticate": "sadok.accounts.forms.SecondFactorForm",
    "reauthenticate": "sadok.accounts.forms.SecondFactorAgainForm",
}
# A wrong second-factor code e-mails the account's owner, at most once this often.
SADOK_SECOND_FACTOR_ALERT_SECONDS = int(os.environ.get("SADOK_SECOND_FACTOR_ALERT_SECONDS", "900"))
# The rate limits and the cabinet's counters live in the cache: the database's,
# so that every web process sees the same counts (the table comes with `migrate`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sadok_cache",
    },
    # Whole public pages kept for every server process (`sadok/caching.py`), apart
    # from "default" so that their churn never culls the login limits counted there.
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sadok_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Whole public pages, kept in each server process too (`sadok/caching.py`).
    "public": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sadok-public",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# How long a public page (statistics, a group's anonymised queue) and the statistics'
# tables are kept before they are computed again (0: never kept).
SADOK_PUBLIC_CACHE_SECONDS = int(os.environ.get("SADOK_PUBLIC_CACHE_SECONDS", "60"))
# models.W040: the embedded demo's SQLite ignores the columns a covering index
# includes (the queue keys'); PostgreSQL uses them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# The console backends print whole messages: development only.
EMAIL_BACKEND = os.environ.get(
    "SADOK_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("SADOK_FROM_EMAIL", "Sadok <noreply@sadok.kyiv.ua>")
SADOK_SMS_BACKEND = os.environ.get(
    "SADOK_SMS_BACKEND",
    "sadok.sms.ConsoleSmsBackend" if DEBUG else "sadok.sms.TurboSms",
)
SADOK_TURBOSMS_URL = os.environ.get("SADOK_TURBOSMS_URL", "https://api.turbosms.ua")
SADOK_TURBOSMS_TOKEN = os.environ.get("SADOK_TURBOSMS_TOKEN", "")
SADOK_TURBOSMS_SENDER = os.environ.get("SADOK_TURBOSMS_SENDER", "Sadok")
SADOK_SMS_TIMEOUT_SECONDS = float(os.environ.get("SADOK_SMS_TIMEOUT_SECONDS", "10"))
EMAIL_HOST = os.environ.get("SADOK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SADOK_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SADOK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SADOK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SADOK_EMAIL_TLS", default=False)
SADOK_EMAIL_TIMEOUT_SECONDS = float(os.environ.get("SADOK_EMAIL_TIMEOUT_SECONDS", "10"))
SADOK_MAIL_DOMAIN = os.environ.get("SADOK_MAIL_DOMAIN", "sadok.kyiv.ua")
# The address families follow from e-mails and SMS.
SADOK_BASE_URL = os.environ.get("SADOK_BASE_URL", "http://127.0.0.1:8000")
# The service's name in e-mails ("Привіт від …"), never the host name of a request.
SADOK_SITE_NAME = os.environ.get("SADOK_SITE_NAME", "Sadok")
# The outbox: sent by the worker after each commit and by a periodic scan.
SADOK_DELIVER_ON_COMMIT = env_bool("SADOK_DELIVER_ON_COMMIT", default=True)
SADOK_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("SADOK_DELIVERY_MAX_ATTEMPTS", "8"))
SADOK_DELIVERY_BACKOFF_SECONDS = int(os.environ.get("SADOK_DELIVERY_BACKOFF_SECONDS", "60"))
SADOK_DELIVERY_LEASE_SECONDS = int(os.environ.get("SADOK_DELIVERY_LEASE_SECONDS", "300"))
SADOK_DELIVERY_SCAN_SECONDS = int(os.environ.get("SADOK_DELIVERY_SCAN_SECONDS", "60"))

# Ukrainian is the language of every page unless the visitor switches to English.
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sadok" / "locale"]
LANGUAGE_COOKIE_NAME = "sadok_language"
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SADOK_STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("SADOK_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The map draws markers on a plain background when no tile server is configured
# (an offline demo, CI); production points this at the city's tile server.
SADOK_TILE_URL = os.environ.get("SADOK_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.4501, 30.5234),
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 18,
    "TILES": (
        [(_("Карта"), SADOK_TILE_URL, {"attribution": "© OpenStreetMap contributors"})]
        if SADOK_TILE_URL
        else []
    ),
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "Sadok",
}

SADOK_PAGE_SIZE = 20
# A group's public anonymised queue: rows per page.
SADOK_QUEUE_PAGE_SIZE = int(os.environ.get("SADOK_QUEUE_PAGE_SIZE", "50"))
# The open data API (docs/open-data.md): requests per client address (ninja's
# "N/s|m|h|d" or "N/min"), how long anyone may cache an answer, the page sizes.
SADOK_API_RATE = os.environ.get("SADOK_API_RATE", "120/min")
SADOK_API_CACHE_SECONDS = int(os.environ.get("SADOK_API_CACHE_SECONDS", "300"))
SADOK_API_PAGE_SIZE = int(os.environ.get("SADOK_API_PAGE_SIZE", "100"))
SADOK_API_PAGE_MAX = int(os.environ.get("SADOK_API_PAGE_MAX", "1000"))

# The offer cycle (SPEC.md "Group formation"): lengths are settings, never literals.
SADOK_OFFER_ANSWER_DAYS = int(os.environ.get("SADOK_OFFER_ANSWER_DAYS", "10"))
SADOK_OFFER_REMINDER_DAYS = int(os.environ.get("SADOK_OFFER_REMINDER_DAYS", "3"))
SADOK_DOCUMENTS_WORKING_DAYS = int(os.environ.get("SADOK_DOCUMENTS_WORKING_DAYS", "5"))
# How long before a confirmed privilege's document ends the family is told (cabinet).
SADOK_PRIVILEGE_EXPIRY_NOTICE_DAYS = int(os.environ.get("SADOK_PRIVILEGE_EXPIRY_NOTICE_DAYS", "30"))
# A family's plausible size: a child beyond either waits for the district office
# before it enters the queue (SPEC.md "Duplicate and fake control").
# The public log's appender (sadok/journal/log.py): how often the worker appends the
# committed events, and how long it waits at a gap in their ids before it may go
# past a rolled-back transaction's.
SADOK_LOG_APPEND_SECONDS = int(os.environ.get("SADOK_LOG_APPEND_SECONDS", "10"))
SADOK_LOG_GAP_SECONDS = int(os.environ.get("SADOK_LOG_GAP_SECONDS", "5"))
# `/health/` fails (503, for the alerting) when the worker is this late with a task due,
# the oldest e-mail/SMS waits this long, or an event waits this long for the public log.
SADOK_HEALTH_WORKER_LAG_SECONDS = int(os.environ.get("SADOK_HEALTH_WORKER_LAG_SECONDS", "300"))
SADOK_HEALTH_OUTBOX_SECONDS = int(os.environ.get("SADOK_HEALTH_OUTBOX_SECONDS", "900"))
SADOK_HEALTH_LOG_SECONDS = int(os.environ.get("SADOK_HEALTH_LOG_SECONDS", "600"))
SADOK_CHILDREN_PER_ACCOUNT = int(os.environ.get("SADOK_CHILDREN_PER_ACCOUNT", "6"))
SADOK_CHILDREN_PER_DAY = int(os.environ.get("SADOK_CHILDREN_PER_DAY", "3"))
# How long the code the district office hands a family it registered stays valid.
SADOK_OFFICE_CODE_DAYS = int(os.environ.get("SADOK_OFFICE_CODE_DAYS", "30"))
SADOK_SWEEP_INTERVAL_SECONDS = int(os.environ.get("SADOK_SWEEP_INTERVAL_SECONDS", "300"))
# The deadline sweep expires and re-offers this many offers in one transaction (one
# allocation run for a batch's freed places): larger batches are faster, smaller
# ones hold the allocation lock for less time beside heads' "+1". At Kyiv's scale
# the whole wave's expiries fit one batch: 5,800 in 12 s, against 47 s in batches of
# 500, whose every batch made "+1"s wait about 4 s (docs/benchmarks.md, (i)).
SADOK_SWEEP_BATCH = int(os.environ.get("SADOK_SWEEP_BATCH", "10000"))
# An allocation run for at least this many places (a deadline sweep's batch, the
# nightly run) reads the queues whole in one pass, as the wave reads them
# (`engine.allocation_run_whole`); for fewer, only the heads of the queues, as a
# head's "+1" does. The same rule either way.
SADOK_WHOLE_READ_FROM = int(os.environ.get("SADOK_WHOLE_READ_FROM", "100"))
# Reminders take no allocation lock, only their offers' rows: larger batches.
SADOK_REMIND_BATCH = int(os.environ.get("SADOK_REMIND_BATCH", "5000"))
# Every open place is offered once more shortly after midnight, Kyiv time (a
# birthday moves a child into a group's age band): "HH:MM".
SADOK_DAILY_RUN_AT = os.environ.get("SADOK_DAILY_RUN_AT", "00:05")
# The queue records are compared with their sources once a day (queue/records.py).
SADOK_QUEUE_AUDIT_SECONDS = int(os.environ.get("SADOK_QUEUE_AUDIT_SECONDS", "86400"))
SADOK_DOCUMENTS_EXTENSION_WORKING_DAYS = int(
    os.environ.get("SADOK_DOCUMENTS_EXTENSION_WORKING_DAYS", "5")
)
# The open statistics list kindergartens whose room by capacity has stayed
# undeclared (no free place declared by the head) for this many days or more.
SADOK_UNDECLARED_ROOM_DAYS = int(os.environ.get("SADOK_UNDECLARED_ROOM_DAYS", "30"))

# Privilege documents: never under MEDIA_ROOT, served only by a permission-checked view.
SADOK_PRIVATE_ROOT = Path(os.environ.get("SADOK_PRIVATE_ROOT", BASE_DIR / "var" / "private"))
SADOK_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Claims with a document a child may have (more: the district office helps).
SADOK_DOCUMENTS_PER_CHILD = int(os.environ.get("SADOK_DOCUMENTS_PER_CHILD", "5"))
# An image larger than this is refused before its pixels are decoded (a phone's
# 48-megapixel photo passes); a PDF may have at most this many pages.
SADOK_DOCUMENT_MAX_PIXELS = int(os.environ.get("SADOK_DOCUMENT_MAX_PIXELS", "50000000"))
SADOK_DOCUMENT_MAX_PAGES = int(os.environ.get("SADOK_DOCUMENT_MAX_PAGES", "20"))
# A kindergarten's photo: refused above this many pixels, kept re-encoded.
SADOK_PHOTO_MAX_PIXELS = int(os.environ.get("SADOK_PHOTO_MAX_PIXELS", "50000000"))
# The long side, in pixels, of the page images officers and families look at.
SADOK_DOCUMENT_VIEW_SIDE = int(os.environ.get("SADOK_DOCUMENT_VIEW_SIDE", "1600"))

SESSION_COOKIE_SECURE = env_bool("SADOK_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only, in production by default (`manage.py check --deploy` is clean):
# plain HTTP is redirected, browsers remember for a year, subdomains included.
SECURE_SSL_REDIRECT = env_bool("SADOK_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SADOK_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SADOK_HSTS_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SADOK_HSTS_PRELOAD", default=not DEBUG)
# Behind the city's reverse proxy, which terminates TLS and says so in
# X-Forwarded-Proto (it must set or strip that header on every request).
if env_bool("SADOK_BEHIND_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The one Content-Security-Policy (django-csp): scripts and styles from Sadok's own
# files only, no inline code (the map is created by sadok/map.js from options the
# page carries as data); map tiles from the tile server; no frames, no plugins.
_LOGIN_ORIGINS = [
    origin
    for origin, wanted in (
        ("/".join(KYIVID_ISSUER.split("/")[:3]), KYIVID_ISSUER),
        ("https://accounts.google.com", "google" in SOCIALACCOUNT_PROVIDERS),
        ("https://www.facebook.com", "facebook" in SOCIALACCOUNT_PROVIDERS),
    )
    if wanted
]
_TILE_ORIGIN = "/".join(SADOK_TILE_URL.split("/")[:3]).replace("{s}.", "*.")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # allauth's e-mail and phone pages hide a form with style="display: none":
        # that one attribute value, by its hash, and no other.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-ZdHxw9eWtnxUb3mk6tBS+gIiVUPE3pGM470keHPDFlE='",
        ],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if SADOK_TILE_URL else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The login forms post here and are sent on to the identity providers.
        "form-action": ["'self'", *_LOGIN_ORIGINS],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SADOK_LOG_LEVEL", "INFO")},
}

# The child page's "what changed since your last visit": the first visit looks this
# many days back (docs/queue-rules.md, "Why a position changed").
SADOK_WHY_FIRST_LOOK_DAYS = int(os.environ.get("SADOK_WHY_FIRST_LOOK_DAYS", "30"))
# The expected wait (docs/queue-rules.md, "The expected wait"): a group's offers over
# this many past months, shown only with at least so many offers and months of history.
SADOK_WAIT_HISTORY_MONTHS = int(os.environ.get("SADOK_WAIT_HISTORY_MONTHS", "12"))
SADOK_WAIT_MIN_OFFERS = int(os.environ.get("SADOK_WAIT_MIN_OFFERS", "6"))
SADOK_WAIT_MIN_MONTHS = int(os.environ.get("SADOK_WAIT_MIN_MONTHS", "3"))
