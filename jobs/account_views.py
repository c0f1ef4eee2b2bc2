"""The graduate's pages about vacancies: applications, saved vacancies and searches, and the résumé download that
recruiters of the employers applied to may use."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.models import GraduateProfile
from talentfair.core.errors import ApplicationError

from . import selectors, services
from .alerts import search_page_url
from .models import AlertFrequency, Application


class ResumeDownloadView(LoginRequiredMixin, View):
    """The owner, or a recruiter of an employer the graduate applied to; anyone else gets 404 (not 403)."""

    def get(self, request, user_pk: int):
        profile = GraduateProfile.objects.filter(user_id=user_pk).first()
        readable = profile is not None and selectors.can_read_resume(viewer=request.user, profile=profile)
        if not readable or not profile.has_resume:
            raise Http404
        try:
            handle = profile.resume.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = profile.resume_filename or "resume.pdf"
        if not filename.lower().endswith(".pdf"):
            filename += ".pdf"
        response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ApplicationListView(LoginRequiredMixin, ListView):
    template_name = "accounts/application_list.html"
    context_object_name = "applications"
    paginate_by = 20

    def get_queryset(self):
        return selectors.applications_of(self.request.user)


class ApplicationWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        application = get_object_or_404(Application, pk=pk, graduate=request.user)
        try:
            services.application_withdraw(application=application, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("申请已撤回。"))
        return redirect(reverse("accounts:applications") + f"#application-{pk}")


class SavedJobListView(LoginRequiredMixin, ListView):
    template_name = "accounts/savedjob_list.html"
    context_object_name = "saved_jobs"
    paginate_by = 20

    def get_queryset(self):
        return selectors.saved_jobs_of(self.request.user)


class SavedSearchListView(LoginRequiredMixin, ListView):
    template_name = "accounts/savedsearch_list.html"
    context_object_name = "searches"

    def get_queryset(self):
        return selectors.saved_searches_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for search in context["searches"]:
            search.page_url = search_page_url(search)
        context["frequencies"] = AlertFrequency.choices
        return context


class SavedSearchUpdateView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        search = get_object_or_404(selectors.saved_searches_of(request.user), pk=pk)
        if request.POST.get("delete"):
            services.saved_search_delete(search=search)
            messages.success(request, _("已删除保存的搜索。"))
            return redirect("accounts:searches")
        try:
            services.saved_search_update(
                search=search,
                frequency=request.POST.get("frequency", search.frequency),
                is_active=request.POST.get("is_active") == "on",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("提醒设置已保存。"))
        return HttpResponseRedirect(reverse_lazy("accounts:searches"))
