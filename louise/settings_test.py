"""Fast test settings: the real settings with a cheap password hash and short planning."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOUISE_PLAN_TIME_LIMIT = 1.0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Jobs run at once in tests; one test drives the real database backend and its worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOUISE_MAP_TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"  # unreachable on purpose
