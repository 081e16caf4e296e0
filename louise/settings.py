"""Settings come from the environment so one code base runs on a laptop and in production.

`DATABASE_URL` picks the database (SQLite under `var/` by default); every LOUISE-specific
knob is an environment variable named `LOUISE_*`.
"""

import os
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'louise.sqlite3'}", conn_max_age=60
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

EMAIL_BACKEND = os.environ.get(
    "LOUISE_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("LOUISE_FROM_EMAIL", "LOUISE Bottrop <noreply@louise.example>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOUISE_LOG_LEVEL", "WARNING")},
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
LOUISE_API_TOKEN_DAYS = int(os.environ.get("LOUISE_API_TOKEN_DAYS", "30"))
