"""allauth hooks: its mail (confirmation, password reset) goes out through Celery after the request commits."""

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from talentfair.core.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (templates need the request), send from a worker once the transaction commits."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        full_context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, full_context)
        to, subject, body = list(message.to), message.subject, message.body
        transaction.on_commit(lambda: send_email.delay(to=to, subject=subject, body=body))
