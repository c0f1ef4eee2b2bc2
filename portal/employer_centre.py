"""The employer centre: a recruiter's organisation (employers), its vacancies and their applicants (jobs), in one
set of pages.

Every lookup is scoped to the recruiter's own employer, so another employer's vacancy or application id gives 404.
"""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from employers import registration
from employers import selectors as employer_selectors
from employers.forms import EmployerRegisterForm, JoinForm
from employers.models import Membership, MembershipRole, MembershipStatus, VerificationState
from employers.views import MemberRequiredMixin
from jobs import selectors as job_selectors
from jobs import services as job_services
from jobs.models import Application, ApplicationStatus, JobPosting, JobStatus
from talentfair.core.errors import ApplicationError
from talentfair.core.forms import form_errors_from

from .forms import JobForm, MoveForm


class CentreMixin(MemberRequiredMixin):
    """A member's page about the employer's own vacancies: another employer's vacancy id is a 404."""

    def get_job(self, pk: int) -> JobPosting:
        return get_object_or_404(JobPosting.objects.select_related("employer"), pk=pk, employer=self.employer)


class CentreView(LoginRequiredMixin, TemplateView):
    """Start page: register or join (no membership), waiting (pending), or the vacancies with their states."""

    template_name = "employers/centre_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = registration.current_membership(self.request.user)
        context["membership"] = membership
        if membership and membership.status == MembershipStatus.ACTIVE:
            employer = membership.employer
            context["employer"] = employer
            context["jobs"] = job_selectors.centre_jobs(employer)
            context["registered_elsewhere"] = registration.registered_elsewhere(employer)
            context["is_owner"] = membership.role == MembershipRole.OWNER
            if context["is_owner"]:
                context["pending_requests"] = employer_selectors.pending_requests(employer)
            context["can_submit"] = employer.verification_state == VerificationState.VERIFIED
        return context


class EmployerRegisterView(LoginRequiredMixin, TemplateView):
    template_name = "employers/employer_register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", EmployerRegisterForm())
        context.setdefault("join_form", JoinForm())
        return context

    def post(self, request):
        form = EmployerRegisterForm(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in registration.REGISTER_FIELDS}
            try:
                employer = registration.employer_register(by=request.user, uscc=form.cleaned_data["uscc"], **data)
            except ValidationError as error:
                form_errors_from(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("单位“%(name)s”已登记，等待人才服务中心审核。") % {"name": employer.name})
                return redirect("employers:centre")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class JoinView(LoginRequiredMixin, View):
    def post(self, request):
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                registration.membership_request(by=request.user, uscc=form.cleaned_data["uscc"])
            except ValidationError as error:
                form_errors_from(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已提交加入申请，请等待该单位管理员批准。"))
                return redirect("employers:centre")
        view = EmployerRegisterView()
        view.setup(request)
        return view.render_to_response(view.get_context_data(join_form=form), status=400)


class MembersView(CentreMixin, TemplateView):
    template_name = "employers/membership_list.html"
    owner_only = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = employer_selectors.members_of(self.employer)
        return context


class MembershipDecideView(CentreMixin, View):
    owner_only = True

    def post(self, request, pk: int):
        membership = get_object_or_404(Membership, pk=pk, employer=self.employer)
        try:
            registration.membership_decide(
                membership=membership, by=request.user, approve=request.POST.get("decision") == "approve"
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已处理加入申请。"))
        return redirect("employers:members")


class JobFormMixin(CentreMixin):
    template_name = "employers/job_form.html"

    def render_form(self, form, job=None, status=200):
        context = {"form": form, "job": job, "employer": self.employer, "membership": self.membership}
        return render(self.request, self.template_name, context, status=status)

    def after_save(self, request, job):
        if "submit" in request.POST and job.status in (JobStatus.DRAFT, JobStatus.REJECTED):
            try:
                job = job_services.job_submit(job=job, by=request.user)
            except ApplicationError as error:
                messages.warning(request, _("已保存为草稿。") + error.message)
                return redirect("employers:centre")
            if job.status == JobStatus.PUBLISHED:
                messages.success(request, _("职位已发布。"))
            else:
                messages.success(request, _("职位已提交审核。"))
        else:
            messages.success(request, _("职位已保存。"))
        return redirect("employers:centre")


class JobCreateView(JobFormMixin, View):
    def get(self, request):
        initial = {"industry": self.employer.industry_id, "city": self.employer.city_id}
        if request.GET.get("fair", "").isdigit():
            initial["fair"] = int(request.GET["fair"])
        return self.render_form(JobForm(initial=initial))

    def post(self, request):
        form = JobForm(request.POST)
        if form.is_valid():
            try:
                job = job_services.job_create(employer=self.employer, by=request.user, **form.service_fields())
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                return self.after_save(request, job)
        return self.render_form(form, status=400)


class JobUpdateView(JobFormMixin, View):
    def get(self, request, pk: int):
        job = self.get_job(pk)
        return self.render_form(JobForm(instance=job), job=job)

    def post(self, request, pk: int):
        job = self.get_job(pk)
        was_published = job.status == JobStatus.PUBLISHED
        form = JobForm(request.POST, instance=JobPosting.objects.get(pk=job.pk))
        if form.is_valid():
            try:
                job = job_services.job_update(job=job, by=request.user, **form.service_fields())
            except ValidationError as error:
                form_errors_from(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                if was_published and job.status == JobStatus.PENDING:
                    messages.warning(request, _("修改了职位的主要内容，职位已转入重新审核，审核通过前不对外显示。"))
                return self.after_save(request, job)
        return self.render_form(form, job=job, status=400)


class JobActionView(CentreMixin, View):
    """submit / close / renew from the vacancy list."""

    def post(self, request, pk: int, action: str):
        job = self.get_job(pk)
        try:
            if action == "submit":
                job = job_services.job_submit(job=job, by=request.user)
                done = _("职位已发布。") if job.status == JobStatus.PUBLISHED else _("职位已提交审核。")
            elif action == "close":
                job_services.job_close(job=job, by=request.user)
                done = _("职位已关闭。")
            elif action == "renew":
                job_services.job_renew(job=job, by=request.user)
                done = _("职位已续期。")
            else:
                raise Http404
        except (ApplicationError, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("employers:centre")


class ApplicantListView(CentreMixin, TemplateView):
    template_name = "employers/applicant_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job(self.kwargs["pk"])
        context["job"] = job
        context["applications"] = job_selectors.applicants_of(job)
        context["move_form"] = MoveForm()
        return context


class ApplicationMoveView(CentreMixin, View):
    def post(self, request, pk: int):
        application = get_object_or_404(Application.objects.select_related("job"), pk=pk, job__employer=self.employer)
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择新的进度。"))
        else:
            try:
                job_services.application_move(application=application, by=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as error:
                messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("已将申请更新为“%(status)s”，并通知了求职者。")
                    % {"status": ApplicationStatus(form.cleaned_data["status"]).label},
                )
        return redirect(reverse("employers:applicants", args=[application.job_id]) + f"#application-{pk}")


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Stop spreadsheet formula injection: a cell starting with = + - @ is written as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ApplicantExportView(CentreMixin, View):
    """CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends."""

    def get(self, request, pk: int):
        job = self.get_job(pk)
        writer = csv.writer(_Echo())
        header = ("姓名", "电子邮箱", "手机号码", "毕业院校", "专业", "学历", "毕业届别", "状态", "投递时间", "附言")
        rows = [[_(label) for label in header]]
        for application in job_selectors.applicants_of(job):
            profile = getattr(application.graduate, "profile", None)
            rows.append(
                [
                    profile.name if profile else application.graduate.name,
                    application.graduate.email,
                    profile.mobile if profile else "",
                    profile.school if profile else "",
                    profile.major if profile else "",
                    profile.get_degree_display() if profile and profile.degree else "",
                    profile.cohort_display if profile else "",
                    application.get_status_display(),
                    timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
                    application.cover_note,
                ]
            )
        body = "\ufeff" + "".join(writer.writerow([_cell(cell) for cell in row]) for row in rows)
        response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
        filename = f"applicants-{job.pk}-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
