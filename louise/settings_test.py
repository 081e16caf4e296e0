"""Fast test settings: the real settings with a cheap password hash and short planning."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOUISE_PLAN_TIME_LIMIT = 1.0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
