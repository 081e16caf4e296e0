"""Text messages (SMS) for customers without e-mail, with a pluggable backend as Django's
mail has: `LOUISE_SMS_BACKEND` names the class.

* `FileBackend` writes each message to a file under `LOUISE_SMS_FILE_PATH` (the demo, tests
  and development, like the mail files under var/mail/);
* `SevenBackend` sends through seven.io's HTTP API (`POST /api/sms`, key in `X-Api-Key`),
  with `LOUISE_SMS_API_KEY` and the sender name `LOUISE_SMS_SENDER`
  (`LOUISE_SMS_API_URL` for a test gateway).

Messages go out from a task after the commit, like mail (`sms_queue`); a refused number or
an unreachable gateway is logged by the task, never raised into the change that caused it.
"""

import json
import secrets
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from .logs import logged_failure
from .phone import phone_international

# One SMS is 160 GSM characters; longer texts are split and billed per part.
MAX_LENGTH = 306


class SmsError(Exception):
    """The gateway did not take the message."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> str:
        """Send one message to an E.164 number; return the gateway's id for it."""
        ...


class FileBackend:
    """One file per message, named by time: read them in var/sms/."""

    def send(self, *, to: str, text: str) -> str:
        folder = Path(settings.LOUISE_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}.txt"
        (folder / name).write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        return name


class SevenBackend:
    """seven.io's SMS API: a form POST answered with JSON (`success` "100" when taken)."""

    def send(self, *, to: str, text: str) -> str:
        data = urllib.parse.urlencode({"to": to, "text": text, "json": 1,
                                       "from": settings.LOUISE_SMS_SENDER}).encode()
        request = urllib.request.Request(
            settings.LOUISE_SMS_API_URL, data=data, method="POST",
            headers={"X-Api-Key": settings.LOUISE_SMS_API_KEY, "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read() or b"{}")
        if str(answer.get("success")) != "100":
            raise SmsError(f"SMS-Gateway lehnte ab: {answer.get('success')}")
        messages = answer.get("messages") or [{}]
        return str(messages[0].get("id", ""))


def sms_backend() -> SmsBackend:
    return import_string(settings.LOUISE_SMS_BACKEND)()


def sms_send(*, to: str, text: str) -> str:
    """Send one message now (from inside a task): every SMS of LOUISE ends here."""
    return sms_backend().send(to=phone_international(to), text=text[:MAX_LENGTH])


@task
@logged_failure
def sms_deliver(to: str, text: str) -> str:
    return sms_send(to=to, text=text)


def sms_queue(*, to: str, text: str) -> None:
    transaction.on_commit(lambda: sms_deliver.enqueue(to, text))
