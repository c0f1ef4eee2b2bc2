"""allauth hooks: its mail (confirmation, password reset) goes out through Celery after the request commits."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from talentfair.core.cache import cache_available
from talentfair.core.clients import client_ip
from talentfair.core.queue import enqueue
from talentfair.core.tasks import send_email


def portal_site() -> SimpleNamespace:
    """What allauth's mail calls the site: the portal's name and the domain of ``SITE_URL``."""
    return SimpleNamespace(name=_("长三角人才交流"), domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """What allauth's login and sign-up limits count by: the site's one rule (``TRUSTED_PROXY_HOPS``)."""
        return client_ip(request)

    def is_open_for_signup(self, request) -> bool:
        """Sign-up's rate limit lives in the cache; while the cache is unreachable sign-up is closed, with a page
        that says so (account/signup_closed.html), rather than open to unlimited automated sign-ups. Logging in,
        browsing and applying go on without the cache (talentfair.core.cache)."""
        return cache_available()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (templates need the request), send from a worker once the transaction commits. The mail names
        the portal and its public address (``SITE_URL``), not the host the request happened to reach."""
        request = allauth_context.request
        full_context = {"request": request, "email": email, "current_site": portal_site(), **context}
        message = self.render_mail(template_prefix, email, full_context)
        to, subject, body = list(message.to), message.subject, message.body
        transaction.on_commit(lambda: enqueue(send_email, kwargs={"to": to, "subject": subject, "body": body}))
