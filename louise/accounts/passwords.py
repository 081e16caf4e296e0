"""Forgotten passwords: Django's reset flow (signed, expiring links that never say whether
an address has an account), with its mail queued like every other mail."""

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from louise.core.mail import mail_queue


class QueuedPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict,
                  from_email: str | None, to_email: str,
                  html_email_template_name: str | None = None) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        html = (loader.render_to_string(html_email_template_name, context)
                if html_email_template_name else "")
        mail_queue(subject=subject, body=loader.render_to_string(email_template_name, context),
                   html=html, to=[to_email])
