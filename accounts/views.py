"""The graduate's own pages: profile and résumé, applications, saved vacancies and searches."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from employers.models import Membership
from jobs import services as job_services
from jobs.alerts import search_page_url
from jobs.models import AlertFrequency, Application
from talentfair.core.errors import ApplicationError

from . import selectors, services
from .forms import ProfileForm, ResumeForm
from .models import GraduateProfile


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form (unknown fields become non-field errors)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class DashboardView(LoginRequiredMixin, View):
    """Where login lands: recruiters go to the employer centre, everyone else to their applications."""

    def get(self, request):
        if Membership.objects.filter(user=request.user).exists():
            return redirect("employers:centre")
        return redirect("accounts:applications")


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = services.profile_get(user=self.request.user)
        context.setdefault(
            "form",
            ProfileForm(
                initial={
                    "name": profile.name or self.request.user.name,
                    "mobile": profile.mobile,
                    "school": profile.school,
                    "major": profile.major,
                    "degree": profile.degree,
                    "cohort": profile.cohort,
                    "study_province": profile.study_province,
                }
            ),
        )
        context.setdefault("resume_form", ResumeForm())
        context["profile"] = profile
        context["next"] = self.request.GET.get("next", "")
        return context

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("个人资料已保存。"))
                return redirect(_safe_next(request) or reverse("accounts:profile"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


class ResumeUploadView(LoginRequiredMixin, View):
    def post(self, request):
        form = ResumeForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["resume"]
            try:
                services.resume_upload(user=request.user, file=upload, filename=upload.name)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("简历已上传。"))
                return redirect(_safe_next(request) or reverse("accounts:profile"))
        view = ProfileView()
        view.setup(request)
        return view.render_to_response(view.get_context_data(resume_form=form), status=400)


class ResumeDeleteView(LoginRequiredMixin, View):
    def post(self, request):
        services.resume_delete(user=request.user)
        messages.success(request, _("简历已删除。"))
        return redirect("accounts:profile")


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
            job_services.application_withdraw(application=application, by=request.user)
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
            job_services.saved_search_delete(search=search)
            messages.success(request, _("已删除保存的搜索。"))
            return redirect("accounts:searches")
        try:
            job_services.saved_search_update(
                search=search,
                frequency=request.POST.get("frequency", search.frequency),
                is_active=request.POST.get("is_active") == "on",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("提醒设置已保存。"))
        return HttpResponseRedirect(reverse_lazy("accounts:searches"))
