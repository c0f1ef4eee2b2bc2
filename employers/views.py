"""What the employer's own pages share (the employer centre in ``portal``, the fair pages in ``fairs``)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from . import registration
from .models import MembershipRole, MembershipStatus


class MemberRequiredMixin(LoginRequiredMixin):
    """An active member of an employer; sets ``self.membership`` and ``self.employer``. Others go to the centre's
    start page, which explains how to register or join."""

    owner_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = registration.current_membership(request.user)
        if self.membership is None or self.membership.status != MembershipStatus.ACTIVE:
            return redirect("employers:centre")
        if self.owner_only and self.membership.role != MembershipRole.OWNER:
            raise PermissionDenied
        self.employer = self.membership.employer
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(employer=self.employer, membership=self.membership)
        return context
