"""Mail that is already written goes out from a background task, after the commit.

Framework forms (Django's password reset) render their mail in the request; queuing the
finished text keeps the request fast and a rolled-back request silent, like every other
mail of LOUISE.
"""

from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task

from louise.core.logs import logged_failure


def mail_send(*, subject: str, body: str, to: list[str], html: str = "",
              attachments: Iterable[tuple[str, bytes, str]] = ()) -> None:
    """Send one mail now, text and (if given) HTML: every mail of LOUISE ends here, from
    inside a task."""
    mail = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        mail.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        mail.attach(name, content, mimetype)
    mail.send()


@task
@logged_failure
def mail_deliver(subject: str, body: str, html: str, to: list[str]) -> str:
    mail_send(subject=subject, body=body, html=html, to=to)
    return subject


def mail_queue(*, subject: str, body: str, to: list[str], html: str = "") -> None:
    transaction.on_commit(lambda: mail_deliver.enqueue(subject, body, html, to))
