"""Django admin's sign-in: the site's brute-force limits and the second factor.

The admin keeps its own login page (staff sign in with their e-mail and password, verified or not), but counts
failed attempts with the site's limits (allauth's ``login_failed`` rates: per client and per account, a clear
message, unlocked by itself when the window has passed), so a guesser gets no more tries at /admin/login/ than
at /accounts/login/. Staff who turned on an authenticator app (allauth MFA, /accounts/2fa/) type its code — or one
of their recovery codes — on the same form; a wrong or missing code is a failed attempt like a wrong password.

``RequireSecondFactorMiddleware`` keeps superusers (in production, ``MFA_REQUIRED_FOR_SUPERUSERS``) and, where
configured, all staff (``MFA_REQUIRED_FOR_STAFF``) out of the admin until they have set up an authenticator app.
"""

from allauth.core import ratelimit
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_required(user) -> bool:
    if not (user.is_authenticated and user.is_staff):
        return False
    return (settings.MFA_REQUIRED_FOR_SUPERUSERS and user.is_superuser) or settings.MFA_REQUIRED_FOR_STAFF


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    code = forms.CharField(
        label=gettext_lazy("两步验证码"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("已开启两步验证的账户：填写验证器应用中的6位数字，或一个恢复码；未开启请留空。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)  # active staff only
        if not Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN).exists():
            return
        code = (self.data.get("code") or "").strip()
        if not code:
            raise ValidationError(_("该账户已开启两步验证，请填写验证器应用中的验证码。"), code="mfa_required")
        second = AuthenticateForm(user=user, data={"code": code})
        if not second.is_valid():
            raise ValidationError(_("两步验证码不正确或已使用过，请重新输入。"), code="mfa_incorrect")
        second.save()  # marks the code used (a TOTP code works once; a recovery code is spent)


class RequireSecondFactorMiddleware:
    """An admin page for someone who must have a second factor and has none: set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/admin/")
            and not request.path.startswith(("/admin/login/", "/admin/logout/"))
            and second_factor_required(request.user)
            and not has_second_factor(request.user)
        ):
            messages.warning(request, _("进入管理后台前，请先为账户开启两步验证（验证器应用）。"))
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
