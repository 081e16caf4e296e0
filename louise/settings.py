"""Settings come from the environment so one code base runs on a laptop and in production.

`DATABASE_URL` picks the database (SQLite under `var/` by default); every LOUISE-specific
knob is an environment variable named `LOUISE_*`.
"""

import os
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from louise.core.secret_key import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LOUISE_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("LOUISE_DEBUG", False)
# `louise demo` sets LOUISE_DEMO=1: a laptop demo, which may keep its own key under var/.
DEMO = _env_bool("LOUISE_DEMO", False)
# Refuses to start without LOUISE_SECRET_KEY unless in debug or demo mode (see the module).
SECRET_KEY = secret_key(environ=os.environ, var_dir=VAR_DIR, local=DEBUG or DEMO)
ALLOWED_HOSTS = os.environ.get("LOUISE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("LOUISE_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

# --- HTTPS and the reverse proxy (docs/operations.md) ---------------------------------------
# LOUISE_HTTPS=1 when the site is reached over HTTPS only: plain HTTP is redirected, cookies
# are sent over HTTPS only, and browsers are told to use HTTPS for a year (HSTS, with
# subdomains and the preload flag; LOUISE_HSTS_SECONDS, _INCLUDE_SUBDOMAINS and _PRELOAD
# adjust that). Behind a reverse proxy that ends TLS, LOUISE_PROXY=1 trusts its
# X-Forwarded-Proto (and X-Forwarded-For, see accounts.throttle): the proxy must set both.
LOUISE_HTTPS = _env_bool("LOUISE_HTTPS", False)
LOUISE_PROXY = _env_bool("LOUISE_PROXY", False)
SECURE_SSL_REDIRECT = LOUISE_HTTPS
SESSION_COOKIE_SECURE = LOUISE_HTTPS
CSRF_COOKIE_SECURE = LOUISE_HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("LOUISE_HSTS_SECONDS",
                                         "31536000" if LOUISE_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("LOUISE_HSTS_INCLUDE_SUBDOMAINS", LOUISE_HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("LOUISE_HSTS_PRELOAD", LOUISE_HTTPS)
if LOUISE_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "louise.web.admin_site.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "axes",
    "louise.core",
    "louise.accounts",
    "louise.geo",
    "louise.catalog",
    "louise.billing",
    "louise.orders",
    "louise.logistics",
    "louise.simulation",
    "louise.hotline",
    "louise.web",
    "louise.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or the database: NUL in any input is a 400.
    "louise.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the 429 of louise.accounts.throttle.
    "axes.middleware.AxesMiddleware",
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
    # WAL and a busy timeout keep the embedded database usable by the server's threads and a
    # worker. Transactions take the write lock when they begin (IMMEDIATE): one that read
    # first and wrote later could not wait for a busy database, SQLite refuses it at once
    # ("database is locked") because another write may have changed what it read.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes counts failed sign-ins (login page, API token) first; see accounts.throttle.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOUISE_LOGIN_FAILURE_LIMIT = int(os.environ.get("LOUISE_LOGIN_FAILURE_LIMIT", "5"))
LOUISE_LOGIN_COOLOFF_MIN = int(os.environ.get("LOUISE_LOGIN_COOLOFF_MIN", "15"))
AXES_FAILURE_LIMIT = LOUISE_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOUISE_LOGIN_COOLOFF_MIN)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "louise.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "louise.accounts.throttle.lockout_response"
# Failed attempts are kept (for the lock); successful sign-ins are not logged (privacy).
AXES_DISABLE_ACCESS_LOG = True

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
# German only until LOUISE's own texts have an English catalogue: with English offered, a
# browser asking for it got Django's dates and form errors in English around German pages
# ("Monday, 30.11.2026"). Add ("en", "English") once louise/locale/en exists.
LANGUAGES = [("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "louise" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded photos (proofs, items, shops): the largest file taken, and the long edge they are
# scaled down to when re-encoded (see louise.core.images).
LOUISE_UPLOAD_MAX_BYTES = int(os.environ.get("LOUISE_UPLOAD_MAX_MB", "10")) * 1024 * 1024
LOUISE_IMAGE_MAX_EDGE = int(os.environ.get("LOUISE_IMAGE_MAX_EDGE", "2000"))
# Uploads are served by louise.web.media after its access check; behind a web server the
# server sends the bytes: nginx's internal location (e.g. /protected-media/) for
# X-Accel-Redirect, or LOUISE_MEDIA_SENDFILE=1 for X-Sendfile (Apache, lighttpd).
LOUISE_MEDIA_ACCEL_REDIRECT = os.environ.get("LOUISE_MEDIA_ACCEL_REDIRECT", "")
LOUISE_MEDIA_SENDFILE = _env_bool("LOUISE_MEDIA_SENDFILE", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Mail goes out by SMTP through LOUISE_SMTP_HOST; in production without it, through the
# server's own mail transfer agent (localhost:25, no TLS), as Unix servers send mail. Only
# debug and the demo write mails to files under var/mail/ (Django's deploy check refuses a
# file backend in production: the mails would never reach anybody).
if os.environ.get("LOUISE_SMTP_HOST") or not (DEBUG or DEMO):
    _SMTP_RELAY = bool(os.environ.get("LOUISE_SMTP_HOST"))
    _MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("LOUISE_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("LOUISE_SMTP_PORT", "587" if _SMTP_RELAY else "25")),
            "username": os.environ.get("LOUISE_SMTP_USER", ""),
            "password": os.environ.get("LOUISE_SMTP_PASSWORD", ""),
            "use_tls": _env_bool("LOUISE_SMTP_TLS", _SMTP_RELAY),
        },
    }
else:
    _MAILER = {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = os.environ.get("LOUISE_FROM_EMAIL",
                                    "LOUISE Bottrop <noreply@louise.example>")
# Text messages for customers without e-mail (louise.core.sms): files under var/sms/ unless a
# gateway is configured (LOUISE_SMS_BACKEND=louise.core.sms.SevenBackend with its API key).
LOUISE_SMS_BACKEND = os.environ.get("LOUISE_SMS_BACKEND", "louise.core.sms.FileBackend")
LOUISE_SMS_FILE_PATH = os.environ.get("LOUISE_SMS_FILE_PATH", str(VAR_DIR / "sms"))
LOUISE_SMS_API_KEY = os.environ.get("LOUISE_SMS_API_KEY", "")
LOUISE_SMS_API_URL = os.environ.get("LOUISE_SMS_API_URL", "https://gateway.seven.io/api/sms")
LOUISE_SMS_SENDER = os.environ.get("LOUISE_SMS_SENDER", "LOUISE")

# One logger per module (`louise.<app>.<module>`); lines end in `key=value` fields
# (`louise.core.logs`). LOUISE's own lines from INFO (plan runs, fallbacks, failed jobs and
# mails), other libraries' from WARNING; `LOUISE_LOG_LEVEL` sets both.
_LOG_LEVEL = os.environ.get("LOUISE_LOG_LEVEL", "").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"keyvalue": {"()": "louise.core.logs.KeyValueFormatter",
                                "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "keyvalue"}},
    "root": {"handlers": ["console"], "level": _LOG_LEVEL or "WARNING"},
    "loggers": {
        "louise": {"level": _LOG_LEVEL or "INFO"},
        # Every queued task would otherwise print two lines; failures still show.
        **{name: {"level": os.environ.get("LOUISE_TASK_LOG_LEVEL", "WARNING")}
           for name in ("django.tasks", "django_tasks_db")},
    },
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
# A day's planning searches for a second per LOUISE_PLAN_LEGS_PER_SECOND legs, at least
# LOUISE_PLAN_TIME_LIMIT and at most LOUISE_PLAN_TIME_MAX seconds (unless a run asks for
# its own): 5 s for the demo's day, 17 s for a 500-order day of 865 legs.
LOUISE_PLAN_TIME_LIMIT = float(os.environ.get("LOUISE_PLAN_TIME_LIMIT", "5"))
LOUISE_PLAN_TIME_MAX = float(os.environ.get("LOUISE_PLAN_TIME_MAX", "60"))
LOUISE_PLAN_LEGS_PER_SECOND = float(os.environ.get("LOUISE_PLAN_LEGS_PER_SECOND", "50"))
# A running plan whose heartbeat is older than this (s) lost its worker and is failed; a
# queued one nobody picked up within LOUISE_PLAN_QUEUE_MAX_S (s) likewise.
LOUISE_PLAN_STALE_S = int(os.environ.get("LOUISE_PLAN_STALE_S", "120"))
LOUISE_PLAN_QUEUE_MAX_S = int(os.environ.get("LOUISE_PLAN_QUEUE_MAX_S", "3600"))
# A delivery address must lie within this distance (km) of a hub: a position elsewhere is a
# typo or a forged request, not a door the riders can reach.
LOUISE_SERVICE_RADIUS_KM = float(os.environ.get("LOUISE_SERVICE_RADIUS_KM", "30"))
# A locker takes no code for a while after this many wrong ones within these minutes.
LOUISE_LOCKER_MAX_FAILS = int(os.environ.get("LOUISE_LOCKER_MAX_FAILS", "5"))
LOUISE_LOCKER_LOCKOUT_MIN = int(os.environ.get("LOUISE_LOCKER_LOCKOUT_MIN", "15"))
LOUISE_API_TOKEN_DAYS = int(os.environ.get("LOUISE_API_TOKEN_DAYS", "30"))
# Towns: the first town, made when rows exist before any town does (an upgrade, a fresh
# one-town installation); the values below are every new town's defaults, which its
# operator then edits in /betrieb/.
LOUISE_DEFAULT_TOWN = os.environ.get("LOUISE_DEFAULT_TOWN", "Bottrop")
# What a shop pays LOUISE per order it takes on (EUR cents), in a new town's first merchant
# schedule (`billing.fees.first_schedules`); free during the pilot.
LOUISE_MERCHANT_FEE_CENTS = int(os.environ.get("LOUISE_MERCHANT_FEE_CENTS", "0"))
# Customer shop: stops one delivery wave can take, and the fee per checkout (one delivery,
# however many shops) by delivery method, in EUR cents, in a new town's first customer
# schedule (later ones at /betrieb/geld/) — free during the pilot.
LOUISE_SLOT_CAPACITY = int(os.environ.get("LOUISE_SLOT_CAPACITY", "80"))
LOUISE_DELIVERY_FEES = {
    method: int(os.environ.get(f"LOUISE_FEE_{method.upper()}_CENTS", "0"))
    for method in ("door", "point", "locker")
}
# The address customers reach the shop at, for links in e-mails.
LOUISE_BASE_URL = os.environ.get("LOUISE_BASE_URL", "http://127.0.0.1:8000")
# The creditor named in the customer's SEPA direct-debit mandate.
# Who runs the service, for the Impressum and the other legal texts' templates.
LOUISE_OPERATOR_NAME = os.environ.get("LOUISE_OPERATOR_NAME",
                                      "LOUISE Stadtlogistik Bottrop (Musterbetreiber)")
LOUISE_OPERATOR_ADDRESS = os.environ.get("LOUISE_OPERATOR_ADDRESS",
                                         "Altmarkt 1, 46236 Bottrop")
LOUISE_OPERATOR_EMAIL = os.environ.get("LOUISE_OPERATOR_EMAIL", "kontakt@louise.example")
LOUISE_OPERATOR_PHONE = os.environ.get("LOUISE_OPERATOR_PHONE", "02041 000000")
LOUISE_SEPA_CREDITOR = os.environ.get("LOUISE_SEPA_CREDITOR", "LOUISE Stadtlogistik Bottrop")
LOUISE_SEPA_CREDITOR_ID = os.environ.get("LOUISE_SEPA_CREDITOR_ID", "DE98ZZZ09999999999")
# How often an open order page asks for news (status, ETA, courier), in seconds.
LOUISE_ORDER_POLL_SECONDS = int(os.environ.get("LOUISE_ORDER_POLL_SECONDS", "20"))
# How many waves ahead a customer may book or reschedule.
LOUISE_BOOKABLE_WAVES = int(os.environ.get("LOUISE_BOOKABLE_WAVES", "5"))
# How many weeks of shifts the shift patterns keep made ahead (the console and the nightly
# `louise shifts`).
LOUISE_SHIFT_WEEKS_AHEAD = int(os.environ.get("LOUISE_SHIFT_WEEKS_AHEAD", "4"))

# --- Background jobs (Django's task framework) ---------------------------------------------
# The database backend needs nothing beyond the database itself; set LOUISE_REDIS_URL to queue
# on Redis instead. Either way `louise worker` runs the jobs (`louise demo` starts one).
if os.environ.get("LOUISE_REDIS_URL"):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ["LOUISE_REDIS_URL"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Cache: the catalogue's data (louise/catalog/cache.py) ---------------------------------
# Local memory of each web process by default; with LOUISE_REDIS_URL one Redis cache shared
# by all of them (and by every machine). Either way a change to the catalogue shows on the
# next request: the cached entries are keyed by a version kept in the database.
CACHES: dict[str, dict[str, Any]]
if os.environ.get("LOUISE_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["LOUISE_REDIS_URL"], "KEY_PREFIX": "louise"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 2000}}}

# --- Dispatch map and rider app -------------------------------------------------------------
# Tiles are only the background: stops and tour lines are drawn without them.
LOUISE_MAP_TILES = os.environ.get(
    "LOUISE_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
LOUISE_MAP_ATTRIBUTION = os.environ.get("LOUISE_MAP_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")

# --- Content-Security-Policy (Django's own middleware) -------------------------------------
# Pages run only our own scripts and styles (no inline <script>, no style attributes: data
# reaches the scripts as json_script blocks), so injected markup cannot run. Images may also
# come from the map's tile server. LOUISE_CSP_REPORT_ONLY=1 only reports what would be
# blocked, for trying out a changed template.
_TILES = urlsplit(LOUISE_MAP_TILES)
# Tile servers a town's operator may choose (the page's Content-Security-Policy admits them).
LOUISE_MAP_TILE_HOSTS = [_TILES.netloc] + [
    h for h in os.environ.get("LOUISE_MAP_TILE_HOSTS", "").split(",") if h and h != _TILES.netloc]
_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", f"{_TILES.scheme}://{_TILES.netloc}",
                *(f"https://{h}" for h in LOUISE_MAP_TILE_HOSTS[1:])],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if _env_bool("LOUISE_CSP_REPORT_ONLY", False):
    SECURE_CSP_REPORT_ONLY = _CSP
else:
    SECURE_CSP = _CSP
# django-leaflet's bundled Leaflet, served as /static/leaflet/…; the package is not an
# installed app because its admin module needs GDAL, which LOUISE does not use.
_LEAFLET = find_spec("leaflet")  # a dependency: always installed
assert _LEAFLET is not None and _LEAFLET.submodule_search_locations is not None
STATICFILES_DIRS = [
    ("leaflet", Path(_LEAFLET.submodule_search_locations[0]) / "static" / "leaflet")
]
# A failed drop goes to the first of these that can take it (see logistics.fallback).
LOUISE_FALLBACK_ORDER = os.environ.get("LOUISE_FALLBACK_ORDER", "locker,point,next_wave").split(",")
LOUISE_POSITION_INTERVAL_S = int(os.environ.get("LOUISE_POSITION_INTERVAL_S", "30"))
# A stop is flagged late when its ETA passes the window's end by more than this.
LOUISE_LATE_TOLERANCE_MIN = int(os.environ.get("LOUISE_LATE_TOLERANCE_MIN", "5"))
