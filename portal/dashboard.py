"""The centre staff's dashboard in admin: queue sizes and the statistics charts, scoped to their province."""

from datetime import timedelta

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from employers.models import Employer, VerificationState
from fairs.charts import fair_charts, pending_chart
from fairs.models import Fair
from fairs.selectors import pending_review_by_province
from jobs.models import JobPosting, JobStatus, Report, ReportStatus
from talentfair.core.admin import staff_province_code


def _scoped(queryset, province: str | None, lookup: str):
    if province is None:
        return queryset
    if not province:
        return queryset.none()
    return queryset.filter(**{lookup: province})


def moderation_queues(request) -> list[dict]:
    """What waits for this staff member: label, count and the admin list to work it from."""
    province = staff_province_code(request)
    now = timezone.now()
    jobs = JobPosting.objects.all()
    if province is not None:
        jobs = jobs.moderated_in(province) if province else jobs.none()
    return [
        {
            "label": _("待认证单位"),
            "count": _scoped(Employer.objects.all(), province, "city__province")
            .filter(verification_state=VerificationState.PENDING)
            .count(),
            "url": reverse("admin:employers_pendingemployer_changelist"),
        },
        {
            "label": _("待匹配单位"),
            "count": _scoped(Employer.objects.all(), province, "city__province")
            .filter(verification_state=VerificationState.UNMATCHED)
            .count(),
            "url": reverse("admin:feeds_unmatchedemployer_changelist"),
        },
        {
            "label": _("待审核职位"),
            "count": jobs.filter(status=JobStatus.PENDING).count(),
            "url": reverse("admin:jobs_pendingjob_changelist"),
        },
        {
            "label": _("待处理举报"),
            "count": _scoped(Report.objects.all(), province, "job__city__province")
            .filter(status=ReportStatus.OPEN)
            .count(),
            "url": reverse("admin:jobs_report_changelist") + "?status__exact=open",
        },
        {
            "label": _("三天内到期的职位"),
            "count": jobs.filter(
                status=JobStatus.PUBLISHED, valid_through__gte=now, valid_through__lt=now + timedelta(days=3)
            ).count(),
            "url": reverse("admin:jobs_jobposting_changelist") + "?status__exact=published",
        },
    ]


class ModerationDashboardView(TemplateView):
    template_name = "admin/moderation/dashboard.html"

    def get_context_data(self, **kwargs):
        request = self.request
        province = staff_province_code(request)
        fair = Fair.objects.latest_first().select_related("city").first()
        jobs = _scoped(JobPosting.objects.all(), province, "city__province")
        pending = pending_review_by_province(jobs)
        if province:
            pending = {code: n for code, n in pending.items() if code == province}
        charts = {"pending_all": pending_chart(pending)}
        if fair is not None:
            charts.update(fair_charts(fair))
        return {
            **admin.site.each_context(request),
            **super().get_context_data(**kwargs),
            "title": _("审核工作台"),
            "queues": moderation_queues(request),
            "fair": fair,
            "charts": charts,
        }


dashboard_view = admin.site.admin_view(ModerationDashboardView.as_view())
