"""Django admin's login under the same brute-force limits as the site's (allauth's ``login_failed`` rates): per
client and per account, a clear message, and the account unlocks by itself when the window has passed.

The admin keeps its own login page (staff sign in with their e-mail and password, verified or not); only the
counting is shared, so a guesser gets no more tries at /admin/login/ than at /accounts/login/.
"""

from allauth.core import ratelimit
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        key = (self.data.get("username") or "").strip().lower()
        if self.request is not None and not ratelimit.consume(
            self.request, action="login_failed", key=key, dry_run=True
        ):
            raise ValidationError(_("登录失败次数过多，请几分钟后再试。"), code="too_many_login_attempts")
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.request is not None:
                ratelimit.consume(self.request, action="login_failed", key=key)
            raise
        if self.request is not None:
            ratelimit.clear(self.request, action="login_failed", key=key)
        return cleaned
