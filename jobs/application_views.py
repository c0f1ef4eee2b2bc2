"""Graduate actions on the vacancy and search pages: save a vacancy, save a search, unsubscribe (applying, which
can come from a fair's guide: ``portal.views.ApplyView``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from talentfair.core.errors import ApplicationError

from . import services
from .alerts import search_from_token
from .models import JobPosting


class SaveJobView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        job = get_object_or_404(JobPosting.objects.with_page(), pk=pk)
        try:
            saved = services.saved_job_toggle(user=request.user, job=job)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已收藏该职位。") if saved else _("已取消收藏。"))
        return redirect(reverse("jobs:detail", args=[job.pk]) + "#apply")


class SaveSearchView(LoginRequiredMixin, View):
    """ "Save this search" on the search page posts the page's querystring and the alert frequency."""

    def post(self, request):
        querystring = request.POST.get("querystring", "")
        back = reverse("jobs:list") + (f"?{querystring.lstrip('?')}" if querystring else "")
        try:
            services.saved_search_create(
                user=request.user,
                querystring=querystring,
                name=request.POST.get("name", ""),
                frequency=request.POST.get("frequency", "daily"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, _("已保存搜索，有新职位时会发邮件提醒您。"))
        return redirect("accounts:searches")


class AlertUnsubscribeView(View):
    """One click from the alert e-mail turns the alert off (no login); a button turns it back on."""

    template_name = "jobs/alert_unsubscribe.html"

    def get(self, request, token: str):
        search = search_from_token(token)
        if search is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        services.saved_search_unsubscribe(search=search)
        return render(request, self.template_name, {"search": search, "token": token})

    def post(self, request, token: str):
        search = search_from_token(token)
        if search is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        services.saved_search_update(search=search, frequency=search.frequency, is_active=True)
        messages.success(request, _("已恢复提醒。"))
        return render(request, self.template_name, {"search": search, "token": token, "resubscribed": True})
