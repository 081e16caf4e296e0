"""Logging: one logger per app, lines with `key=value` fields a log collector can parse.

Code logs a short event name and puts the figures in `extra`:
``log.info("plan run finished", extra={"run": 7, "tours": 3, "seconds": 1.8})`` prints
``2026-11-30 17:02:11 INFO louise.logistics.services plan run finished run=7 tours=3
seconds=1.8``. The format is set in `settings.LOGGING`, the level by `LOUISE_LOG_LEVEL`.
"""

import functools
import logging
from collections.abc import Callable

# Attributes every LogRecord has; anything else on a record came in through `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def _value(value: object) -> str:
    text = str(value)
    return repr(text) if not text or any(c.isspace() or c in "=\"'" for c in text) else text


class KeyValueFormatter(logging.Formatter):
    """The message, then the record's extra fields as `key=value` (quoted when needed)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{key}={_value(value)}" for key, value in vars(record).items()
                          if key not in _STANDARD and not key.startswith("_"))
        line = super().formatMessage(record)
        return f"{line} {fields}" if fields else line


def logged_failure[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """For a background task (under `@task`): a failure is logged by the task's module's
    logger, with the task's name, then raised again so the task backend records it as
    failed. The arguments are left out: an invitation's carry its signed token."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except Exception:
            logging.getLogger(func.__module__).exception(
                "task failed", extra={"task": f"{func.__module__}.{func.__qualname__}"})
            raise

    return run
