"""Settings come from the environment so one code base runs on a laptop and in production.

`DATABASE_URL` picks the database (SQLite under `var/` by default); every LOUISE-specific
knob is an environment variable named `LOUISE_*`.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LOUISE_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("LOUISE_DEBUG", False)
SECRET_KEY = os.environ.get("LOUISE_SECRET_KEY", "insecure-dev-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("LOUISE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("LOUISE_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "louise.core",
    "louise.accounts",
    "louise.geo",
    "louise.catalog",
    "louise.billing",
    "louise.orders",
    "louise.logistics",
    "louise.web",
    "louise.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "louise.urls"
WSGI_APPLICATION = "louise.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Connections are kept for a minute and checked before a request reuses one, so a
# connection the database dropped meanwhile (a restart, a network blip) is replaced
# instead of answering that request with a 500.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'louise.sqlite3'}", conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout keep the embedded database usable by the server and a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/konto/anmelden/"
LOGIN_REDIRECT_URL = "/start/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "louise" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Mail goes to files under var/mail/ by default (the demo); LOUISE_SMTP_HOST switches to SMTP.
if os.environ.get("LOUISE_SMTP_HOST"):
    _MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ["LOUISE_SMTP_HOST"],
            "port": int(os.environ.get("LOUISE_SMTP_PORT", "587")),
            "username": os.environ.get("LOUISE_SMTP_USER", ""),
            "password": os.environ.get("LOUISE_SMTP_PASSWORD", ""),
            "use_tls": _env_bool("LOUISE_SMTP_TLS", True),
        },
    }
else:
    _MAILER = {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = os.environ.get("LOUISE_FROM_EMAIL",
                                    "LOUISE Bottrop <noreply@louise.example>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOUISE_LOG_LEVEL", "WARNING")},
    # Every queued task would otherwise print two lines; failures still show.
    "loggers": {name: {"level": os.environ.get("LOUISE_TASK_LOG_LEVEL", "WARNING")}
                for name in ("django.tasks", "django_tasks_db")},
}

# --- LOUISE business defaults (the real pilot's; every one is a setting) -------------------
LOUISE_ORDER_CUTOFF = os.environ.get("LOUISE_ORDER_CUTOFF", "14:00")
LOUISE_WAVE_START = os.environ.get("LOUISE_WAVE_START", "17:30")
LOUISE_WAVE_END = os.environ.get("LOUISE_WAVE_END", "20:30")
# Monday=0 … Sunday=6; public holidays of the state below are never working days.
LOUISE_WORKING_DAYS = [
    int(d) for d in os.environ.get("LOUISE_WORKING_DAYS", "0,1,2,3,4").split(",")
]
LOUISE_HOLIDAY_REGION = os.environ.get("LOUISE_HOLIDAY_REGION", "DE-NW")
LOUISE_PLAN_TIME_LIMIT = float(os.environ.get("LOUISE_PLAN_TIME_LIMIT", "5"))
# A running plan whose heartbeat is older than this (s) lost its worker and is failed; a
# queued one nobody picked up within LOUISE_PLAN_QUEUE_MAX_S (s) likewise.
LOUISE_PLAN_STALE_S = int(os.environ.get("LOUISE_PLAN_STALE_S", "120"))
LOUISE_PLAN_QUEUE_MAX_S = int(os.environ.get("LOUISE_PLAN_QUEUE_MAX_S", "3600"))
# A locker takes no code for a while after this many wrong ones within these minutes.
LOUISE_LOCKER_MAX_FAILS = int(os.environ.get("LOUISE_LOCKER_MAX_FAILS", "5"))
LOUISE_LOCKER_LOCKOUT_MIN = int(os.environ.get("LOUISE_LOCKER_LOCKOUT_MIN", "15"))
LOUISE_API_TOKEN_DAYS = int(os.environ.get("LOUISE_API_TOKEN_DAYS", "30"))
# What a shop pays LOUISE per order it takes on (EUR cents); free during the pilot.
LOUISE_MERCHANT_FEE_CENTS = int(os.environ.get("LOUISE_MERCHANT_FEE_CENTS", "0"))
# Customer shop: stops one delivery wave can take, and the fee per checkout (one delivery,
# however many shops) by delivery method, in EUR cents — free during the pilot.
LOUISE_SLOT_CAPACITY = int(os.environ.get("LOUISE_SLOT_CAPACITY", "80"))
LOUISE_DELIVERY_FEES = {
    method: int(os.environ.get(f"LOUISE_FEE_{method.upper()}_CENTS", "0"))
    for method in ("door", "point", "locker")
}
# The address customers reach the shop at, for links in e-mails.
LOUISE_BASE_URL = os.environ.get("LOUISE_BASE_URL", "http://127.0.0.1:8000")
# The creditor named in the customer's SEPA direct-debit mandate.
LOUISE_SEPA_CREDITOR = os.environ.get("LOUISE_SEPA_CREDITOR", "LOUISE Stadtlogistik Bottrop")
LOUISE_SEPA_CREDITOR_ID = os.environ.get("LOUISE_SEPA_CREDITOR_ID", "DE98ZZZ09999999999")
# How often an open order page asks for news (status, ETA, courier), in seconds.
LOUISE_ORDER_POLL_SECONDS = int(os.environ.get("LOUISE_ORDER_POLL_SECONDS", "20"))
# How many waves ahead a customer may book or reschedule.
LOUISE_BOOKABLE_WAVES = int(os.environ.get("LOUISE_BOOKABLE_WAVES", "5"))

# --- Background jobs (Django's task framework) ---------------------------------------------
# The database backend needs nothing beyond the database itself (`louise demo` runs a worker
# thread); set LOUISE_REDIS_URL to queue on Redis instead (`pip install -e '.[redis]'`, run
# `louise rqworker --job-class django_tasks_rq.Job`).
if os.environ.get("LOUISE_REDIS_URL"):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ["LOUISE_REDIS_URL"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Dispatch map and rider app -------------------------------------------------------------
# Tiles are only the background: stops and tour lines are drawn without them.
LOUISE_MAP_TILES = os.environ.get(
    "LOUISE_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
LOUISE_MAP_ATTRIBUTION = os.environ.get("LOUISE_MAP_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")
# django-leaflet's bundled Leaflet, served as /static/leaflet/…; the package is not an
# installed app because its admin module needs GDAL, which LOUISE does not use.
STATICFILES_DIRS = [
    ("leaflet", Path(find_spec("leaflet").submodule_search_locations[0]) / "static" / "leaflet")
]
# A failed drop goes to the first of these that can take it (see logistics.fallback).
LOUISE_FALLBACK_ORDER = os.environ.get("LOUISE_FALLBACK_ORDER", "locker,point,next_wave").split(",")
LOUISE_POSITION_INTERVAL_S = int(os.environ.get("LOUISE_POSITION_INTERVAL_S", "30"))
# A stop is flagged late when its ETA passes the window's end by more than this.
LOUISE_LATE_TOLERANCE_MIN = int(os.environ.get("LOUISE_LATE_TOLERANCE_MIN", "5"))
