"""The graduate's profile and résumé pages (applications, saved vacancies and searches: ``jobs.account_views``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from talentfair.core.forms import form_errors_from

from . import services
from .forms import ProfileForm, ResumeForm


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
