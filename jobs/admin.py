"""Vacancies in admin: the review queue, the catalogue, reports, applications (read-only) and the audit trail.

Every decision calls ``jobs.services`` (one path shared with every other caller: audit row, e-mail to the
employer). Admin never edits a vacancy's content: employers do that in the employer centre, through ``job_update``.
"""

from difflib import unified_diff

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentfair.core.admin import (
    ActionsOnlyAdminMixin,
    DecisionButtonsMixin,
    ProvinceScopedAdmin,
    ViewOnlyAdminMixin,
    confirm_with_reason,
    report_bulk_result,
)
from talentfair.core.errors import ApplicationError

from . import services
from .filters import search_query
from .models import (
    Application,
    ApplicationEvent,
    JobPosting,
    JobReview,
    JobStatus,
    PendingJob,
    Report,
    ReportStatus,
    ReviewDecision,
)

REJECT_REASONS = [
    gettext_lazy("职位描述过于简单，请补充岗位职责和任职要求"),
    gettext_lazy("薪资信息不明确或明显不合理"),
    gettext_lazy("含有性别、年龄、地域、婚育等歧视性要求"),
    gettext_lazy("向求职者收取费用或押金"),
    gettext_lazy("职位信息与单位经营范围不符"),
    gettext_lazy("职位描述中含有个人联系方式或外部链接"),
]
UNPUBLISH_REASONS = [
    gettext_lazy("经举报核实为虚假招聘"),
    gettext_lazy("含有歧视性要求"),
    gettext_lazy("职位信息不实"),
    gettext_lazy("职位已招满"),
]
APPROVED_DECISIONS = (ReviewDecision.APPROVED, ReviewDecision.AUTO_APPROVED)
# How snapshot fields are shown (labels from the model).
DIFF_FIELDS = services.SNAPSHOT_FIELDS


def _field_label(name: str) -> str:
    return str(JobPosting._meta.get_field(name.removesuffix("_id")).verbose_name)


def changes_since_approval(job: JobPosting, snapshot: dict | None) -> list[tuple[str, str, str]]:
    """``(label, before, after)`` for each snapshot field that differs from the last approved version."""
    if not snapshot:
        return []
    changes = []
    for name in DIFF_FIELDS:
        before, after = snapshot.get(name), getattr(job, name)
        if before != after:
            changes.append(
                (_field_label(name), "" if before is None else str(before), "" if after is None else str(after))
            )
    return changes


def _last_approved_snapshot():
    return Subquery(
        JobReview.objects.filter(job=OuterRef("pk"), decision__in=APPROVED_DECISIONS)
        .order_by("-at", "-id")
        .values("snapshot")[:1]
    )


def _open_first():
    return Case(When(status=ReportStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())


class JobReviewInline(admin.TabularInline):
    model = JobReview
    extra = 0
    can_delete = False
    fields = ["at", "decision", "reason", "by"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("审核记录（谁、何时、决定、原因）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "details", "status", "resolution", "resolved_by"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JobActionsMixin(DecisionButtonsMixin):
    """Approve / reject / request changes / unpublish, all through ``jobs_decide`` (one service call per vacancy)."""

    decision_actions = [
        ("approve", gettext_lazy("审核通过")),
        ("reject", gettext_lazy("不通过")),
        ("request_changes", gettext_lazy("要求修改")),
        ("unpublish", gettext_lazy("下架")),
    ]

    def has_review_permission(self, request):
        return request.user.has_perm("jobs.review_jobposting")

    def _decide(self, request, queryset, decision: str, reason: str, done: str) -> None:
        try:
            result = services.jobs_decide(jobs=queryset, by=request.user, decision=decision, reason=reason)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        report_bulk_result(request, result, done_message=done)

    @admin.action(description=gettext_lazy("审核通过所选职位"), permissions=["review"])
    def approve(self, request, queryset):
        self._decide(request, queryset, ReviewDecision.APPROVED, "", _("已通过 %(count)d 个职位，已通知招聘单位。"))

    def _with_reason(self, request, queryset, *, action, title, decision, done, reasons):
        return confirm_with_reason(
            self,
            request,
            queryset,
            action=action,
            title=title,
            standard_reasons=[str(r) for r in reasons],
            apply=lambda qs, data: self._decide(request, qs, decision, data["full_reason"], done),
        )

    @admin.action(description=gettext_lazy("不通过所选职位（需填写原因）"), permissions=["review"])
    def reject(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="reject",
            title=_("职位审核不通过"),
            decision=ReviewDecision.REJECTED,
            done=_("已驳回 %(count)d 个职位，已通知招聘单位。"),
            reasons=REJECT_REASONS,
        )

    @admin.action(description=gettext_lazy("要求修改所选职位（需填写原因）"), permissions=["review"])
    def request_changes(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="request_changes",
            title=_("要求修改职位"),
            decision=ReviewDecision.CHANGES_REQUESTED,
            done=_("已要求 %(count)d 个职位修改，已通知招聘单位。"),
            reasons=REJECT_REASONS,
        )

    @admin.action(description=gettext_lazy("下架所选职位（需填写原因）"), permissions=["review"])
    def unpublish(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="unpublish",
            title=_("下架职位"),
            decision=ReviewDecision.UNPUBLISHED,
            done=_("已下架 %(count)d 个职位，已通知招聘单位。"),
            reasons=UNPUBLISH_REASONS,
        )


class JobSearchMixin:
    """Chinese search through the vacancies' search vector (rjieba tokens, GIN index), or a vacancy id."""

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        if term.lstrip("#").isdigit():
            return queryset.filter(pk=int(term.lstrip("#"))), False
        query = search_query(term)
        if query is None:
            return queryset.none(), False
        return queryset.filter(search_vector=query), False


class ReadOnlyJobMixin:
    """Vacancy content is the employer's; admin shows it and decides on it."""

    def get_readonly_fields(self, request, obj=None):
        return [*self.get_fields(request, obj)]

    def has_add_permission(self, request):
        return False


JOB_FIELDSETS = [
    (None, {"fields": ["title", "employer", "employer_state", "status", "rejection_reason", "changes"]}),
    (
        gettext_lazy("职位信息"),
        {
            "fields": [
                "city",
                "address",
                "industry",
                "category",
                "tags",
                "employment_type",
                "education",
                "experience",
                "headcount",
                "salary_text",
                "salary_display",
                "fresh_graduate",
                "cohort",
                "fair",
                "description",
            ]
        },
    ),
    (
        gettext_lazy("发布与来源"),
        {"fields": ["published_at", "valid_through", "closed_at", "source", "external_id", "created_at", "updated_at"]},
    ),
]


class BaseJobAdmin(ActionsOnlyAdminMixin, JobActionsMixin, JobSearchMixin, ReadOnlyJobMixin, ProvinceScopedAdmin):
    """Never deleted here (unpublish or close instead: applications, audit rows and partners' mirrors refer to it)."""

    province_lookup = "city__province"

    def in_scope(self, queryset, province: str):
        return queryset.moderated_in(province)

    # The list shows none of the long columns; the search vector alone is kilobytes per row.
    list_defer: tuple[str, ...] = ("description", "search_vector")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name and match.url_name.endswith("_changelist"):
            queryset = queryset.defer(*self.list_defer)
        return queryset

    list_select_related = ["employer", "city__province", "source"]
    show_full_result_count = False
    list_per_page = 50
    search_help_text = gettext_lazy("按职位名称、单位、地点或描述搜索（中文分词），或输入职位编号")
    fieldsets = JOB_FIELDSETS
    inlines = [JobReviewInline, ReportInline]

    def get_fields(self, request, obj=None):
        return [name for _, options in self.fieldsets for name in options["fields"]]

    @admin.display(description=gettext_lazy("工作地点"), ordering="city")
    def place(self, obj):
        return obj.city.place_label

    @admin.display(description=gettext_lazy("薪资"))
    def salary_display(self, obj):
        return obj.salary_display

    @admin.display(description=gettext_lazy("单位认证状态"))
    def employer_state(self, obj):
        return obj.employer.get_verification_state_display()

    @admin.display(description=gettext_lazy("自上次通过以来的修改"))
    def changes(self, obj):
        review = obj.reviews.filter(decision__in=APPROVED_DECISIONS).order_by("-at", "-id").first()
        if review is None:
            return _("（从未通过审核，首次提交）")
        rows = changes_since_approval(obj, review.snapshot)
        if not rows:
            return _("与%(date)s通过的版本相同") % {"date": f"{review.at:%Y-%m-%d}"}
        html_rows = []
        for label, before, after in rows:
            if len(before) > 80 or len(after) > 80:
                diff = "\n".join(unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))
                html_rows.append((label, format_html("<pre style='white-space:pre-wrap'>{}</pre>", diff), ""))
            else:
                html_rows.append((label, before or "—", after or "—"))
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("字段"),
            _("通过时"),
            _("现在"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", html_rows),
        )


@admin.register(JobPosting)
class JobPostingAdmin(BaseJobAdmin):
    list_display = ["title", "employer", "place", "status", "source", "published_at", "valid_through"]
    list_filter = [
        "status",
        "city__province",
        "industry",
        "employer__ownership",
        "employment_type",
        "source",
        "fresh_graduate",
    ]
    actions = ["approve", "reject", "request_changes", "unpublish"]


@admin.register(PendingJob)
class PendingJobAdmin(BaseJobAdmin):
    """The review queue: pending vacancies, longest waiting first; resubmissions say what changed."""

    list_display = ["title", "employer", "place", "waiting_since", "resubmission", "salary_display"]
    list_defer = ("search_vector",)  # the resubmission column compares the description
    list_filter = ["city__province", "industry", "employer__ownership", "employment_type", "source"]
    actions = ["approve", "reject", "request_changes"]
    decision_actions = JobActionsMixin.decision_actions[:3]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=JobStatus.PENDING)
            .annotate(
                approved_snapshot=_last_approved_snapshot(),
            )
        )

    def get_ordering(self, request):
        # Oldest first. ``updated_at`` (indexed) moves when a vacancy is (re)submitted, so it is the time it has
        # been waiting; ordering by the audit rows instead would evaluate a subquery per pending row.
        return ["updated_at", "id"]

    @admin.display(description=gettext_lazy("等待审核自"), ordering="updated_at")
    def waiting_since(self, obj):
        return obj.updated_at

    @admin.display(description=gettext_lazy("修改后重新提交"))
    def resubmission(self, obj):
        if not obj.approved_snapshot:
            return _("首次提交")
        labels = [label for label, _before, _after in changes_since_approval(obj, obj.approved_snapshot)]
        return _("改动：%(fields)s") % {"fields": "、".join(labels)} if labels else _("无实质改动")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobReview)
class JobReviewAdmin(ViewOnlyAdminMixin, ProvinceScopedAdmin):
    """The vacancies' audit trail, read-only."""

    province_lookup = "job__city__province"
    list_display = ["at", "job", "decision", "reason", "by"]
    list_filter = ["decision", "job__city__province"]
    list_select_related = ["job", "by"]
    search_fields = ["job__title", "reason"]
    raw_id_fields = ["job"]
    show_full_result_count = False
    exclude = ["snapshot"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["at", "status", "note", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ProvinceScopedAdmin):
    """Applications are the graduate's and the employer's business: staff may only look (for complaints)."""

    province_lookup = "job__city__province"
    list_display = ["job", "employer", "graduate", "status", "created_at"]
    list_filter = ["status", "job__city__province"]
    list_select_related = ["job__employer", "graduate"]
    search_fields = ["job__title", "job__employer__name", "graduate__email"]
    raw_id_fields = ["job", "graduate"]
    show_full_result_count = False
    inlines = [ApplicationEventInline]
    readonly_fields = ["job", "graduate", "status", "cover_note", "created_at", "updated_at"]

    @admin.display(description=gettext_lazy("招聘单位"))
    def employer(self, obj):
        return obj.job.employer

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the graduate withdraws it; its history is the record both sides rely on


@admin.register(Report)
class ReportAdmin(ActionsOnlyAdminMixin, DecisionButtonsMixin, ProvinceScopedAdmin):
    """The reports queue: open reports first, oldest first; resolve (optionally unpublishing) or dismiss."""

    province_lookup = "job__city__province"
    list_display = ["created_at", "job_link", "reason", "details_short", "status", "job_status", "reporter_email"]
    list_filter = ["status", "reason", "job__city__province"]
    list_select_related = ["job__employer", "reporter"]
    search_fields = ["job__title", "job__employer__name", "details"]
    show_full_result_count = False
    actions = ["resolve", "dismiss"]
    decision_actions = [("resolve", gettext_lazy("查实处理")), ("dismiss", gettext_lazy("不予处理"))]
    readonly_fields = [
        "job",
        "reporter_info",
        "reason",
        "details",
        "status",
        "resolution",
        "job_unpublished",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]

    def get_fields(self, request, obj=None):
        return self.readonly_fields  # a report is decided by the actions; nothing on it is edited

    def get_queryset(self, request):
        # Open first (alphabetical: "dismissed" < "open" < "resolved" would not do), then oldest first.
        return super().get_queryset(request).annotate(open_first=_open_first())

    def get_ordering(self, request):
        return [_open_first(), "created_at", "id"]

    def has_add_permission(self, request):
        return False

    def has_resolve_permission(self, request):
        return request.user.has_perm("jobs.change_report")

    @admin.display(description=gettext_lazy("职位"))
    def job_link(self, obj):
        return format_html("{} · {}", obj.job.title, obj.job.employer.name)

    @admin.display(description=gettext_lazy("举报人"), ordering="reporter__email")
    def reporter_email(self, obj):
        return obj.reporter.email

    @admin.display(description=gettext_lazy("举报人"))
    def reporter_info(self, obj):
        """Who reported, and their other reports — what staff weigh a report by (a user's account page is not
        theirs to open)."""
        others = Report.objects.filter(reporter_id=obj.reporter_id).exclude(pk=obj.pk)
        url = reverse("admin:jobs_report_changelist") + f"?reporter__id__exact={obj.reporter_id}"
        return format_html(
            '{} {} · <a href="{}">{}</a>',
            obj.reporter.name or "",
            obj.reporter.email,
            url,
            _("该用户的全部举报（另有 %(n)d 条，其中 %(upheld)d 条查实）")
            % {"n": others.count(), "upheld": others.filter(status=ReportStatus.RESOLVED).count()},
        )

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "reporter__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=gettext_lazy("说明"))
    def details_short(self, obj):
        return (obj.details[:40] + "…") if len(obj.details) > 40 else obj.details

    @admin.display(description=gettext_lazy("职位状态"))
    def job_status(self, obj):
        return obj.job.get_status_display()

    def _close(self, request, queryset, service, **kwargs) -> None:
        done = 0
        for report in queryset:
            try:
                service(report=report, by=request.user, **kwargs)
                done += 1
            except (ApplicationError, ValidationError) as error:
                message = getattr(error, "message", None) or "; ".join(error.messages)
                self.message_user(request, f"{report}: {message}", messages.WARNING)
        if done:
            self.message_user(request, _("已处理 %(count)d 条举报。") % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("查实处理所选举报（可同时下架职位）"), permissions=["resolve"])
    def resolve(self, request, queryset):
        unpublish = forms.BooleanField(
            label=_("同时下架职位（原因即上方说明，招聘单位会收到通知）"), required=False, initial=True
        )
        return confirm_with_reason(
            self,
            request,
            queryset,
            action="resolve",
            title=_("处理举报"),
            standard_reasons=[str(r) for r in UNPUBLISH_REASONS],
            extra_fields={"unpublish": unpublish},
            apply=lambda qs, data: self._close(
                request, qs, services.report_resolve, resolution=data["full_reason"], unpublish=data["unpublish"]
            ),
        )

    @admin.action(description=gettext_lazy("不予处理所选举报"), permissions=["resolve"])
    def dismiss(self, request, queryset):
        return confirm_with_reason(
            self,
            request,
            queryset,
            action="dismiss",
            title=_("不予处理"),
            standard_reasons=[_("经核实职位信息无误"), _("举报内容不明确")],
            apply=lambda qs, data: self._close(request, qs, services.report_dismiss, resolution=data["full_reason"]),
        )
