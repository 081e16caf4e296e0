"""Fast test settings: the real settings with a cheap password hash and short planning."""

import os

# The tests sign sessions and invitations; a fixed key of their own keeps runs repeatable
# (production refuses to start without LOUISE_SECRET_KEY, see louise.core.secret_key).
os.environ.setdefault("LOUISE_SECRET_KEY", "louise-tests-only-" + "k" * 40)

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOUISE_PLAN_TIME_LIMIT = LOUISE_PLAN_TIME_MAX = 1.0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Jobs run at once in tests; one test drives the real database backend and its worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOUISE_MAP_TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"  # unreachable on purpose
# Each test starts with an empty cache (louise/conftest.py); a Redis cache would be shared
# with the job queue, which emptying it would drop.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, as in production, not memory: with an in-memory database the live server's
    # threads share the test's one connection, and a page and its JSON poll at the same
    # moment broke it ("bad parameter or other API misuse", a merchant's browser test sent
    # back to the sign-in page). pytest-django adds each xdist worker's suffix to the name.
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405  (pytest without `make test`)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
