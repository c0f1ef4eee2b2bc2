"""Feed admin for centre staff: sources (with "sync now"), every sync run (progress, counts, issues), provenance.

Everything is scoped to the staff member's province through ``ProvinceScopedAdmin``; superusers see all.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talentfair.core.admin import ProvinceScopedAdmin
from talentfair.core.errors import ApplicationError

from .models import FeedRecord, FeedSource, RunStatus, SyncIssue, SyncRun
from .services import feed_sync_request, sync_run_apply

STATUS_COLOURS = {
    RunStatus.SUCCESS: "#1a7f37",
    RunStatus.NOT_MODIFIED: "#57606a",
    RunStatus.HELD: "#9a6700",
    RunStatus.FAILED: "#cf222e",
    RunStatus.SKIPPED: "#57606a",
    RunStatus.RUNNING: "#0969da",
    RunStatus.QUEUED: "#0969da",
    RunStatus.APPLIED: "#1a7f37",
}


def status_badge(status: str, label: str):
    return format_html('<strong style="color:{}">{}</strong>', STATUS_COLOURS.get(status, "inherit"), label)


class FeedSourceForm(forms.ModelForm):
    # Declared so a scheme-less entry means https; the model's validator still accepts only http and https.
    url = forms.URLField(
        label=FeedSource._meta.get_field("url").verbose_name,
        max_length=500,
        assume_scheme="https",
        help_text=FeedSource._meta.get_field("url").help_text,
    )

    class Meta:
        model = FeedSource
        exclude: list[str] = []
        widgets = {"auth_header_value": forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"})}


@admin.register(FeedSource)
class FeedSourceAdmin(ProvinceScopedAdmin):
    province_lookup = "centre__province"
    form = FeedSourceForm
    list_display = ["name", "centre", "format", "enabled", "interval_minutes", "last_run", "next_sync_at"]
    list_filter = ["enabled", "format", ("centre", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["centre"]
    search_fields = ["name", "slug", "url"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["etag", "last_modified", "recent_runs"]
    autocomplete_fields = ["represented_employers"]
    actions = ["sync_now"]
    fieldsets = [
        (None, {"fields": ["centre", "name", "slug", "url", "format", "encoding"]}),
        (_("合作方接口认证"), {"fields": ["auth_header_name", "auth_header_value"], "classes": ["collapse"]}),
        (_("计划与安全阈值"), {"fields": ["enabled", "interval_minutes", "next_sync_at", "max_close_share"]}),
        (_("信任：代哪些单位发布"), {"fields": ["trust", "represented_employers"]}),
        (_("数据补全"), {"fields": ["default_industry"]}),
        (_("同步状态"), {"fields": ["etag", "last_modified", "recent_runs"]}),
    ]

    def get_queryset(self, request):
        latest = SyncRun.objects.filter(source=OuterRef("pk")).order_by("-queued_at", "-id")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_status=Subquery(latest.values("status")[:1]), last_at=Subquery(latest.values("queued_at")[:1])
            )
        )

    @admin.display(description=_("最近同步"))
    def last_run(self, obj):
        if not obj.last_status:
            return "—"
        label = RunStatus(obj.last_status).label
        url = reverse("admin:feeds_syncrun_changelist") + f"?source__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, status_badge(obj.last_status, label))

    @admin.display(description=_("最近10次同步"))
    def recent_runs(self, obj):
        if not obj.pk:
            return "—"
        runs = obj.runs.order_by("-queued_at", "-id")[:10]
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">#{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:feeds_syncrun_change", args=[r.pk]),
                    r.pk,
                    r.queued_at.strftime("%Y-%m-%d %H:%M"),
                    status_badge(r.status, r.get_status_display()),
                    gettext("新增 %(c)d / 更新 %(u)d / 关闭 %(x)d / 拒收 %(r)d")
                    % {"c": r.created, "u": r.updated, "x": r.closed, "r": r.rejected},
                )
                for r in runs
            ),
        )
        return format_html("<table>{}</table>", rows) if runs else "—"

    @admin.action(description=_("立即同步所选职位源"), permissions=["change"])
    def sync_now(self, request, queryset):
        for source in queryset:
            feed_sync_request(source=source, by=request.user)
        self.message_user(
            request,
            gettext("已加入同步队列：%(names)s。刷新“同步记录”查看进度。")
            % {"names": "、".join(s.name for s in queryset)},
            messages.SUCCESS,
        )


@admin.register(SyncRun)
class SyncRunAdmin(ProvinceScopedAdmin):
    province_lookup = "source__centre__province"
    list_display = [
        "id",
        "source",
        "status_display",
        "progress",
        "queued_at",
        "duration_display",
        "fetched",
        "created",
        "held",
        "updated",
        "unchanged",
        "closed",
        "rejected",
    ]
    list_filter = ["status", "trigger", ("source", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["source"]
    date_hierarchy = "queued_at"
    actions = ["apply_held"]
    readonly_fields = [
        "source",
        "trigger",
        "requested_by",
        "applies",
        "status_display",
        "progress",
        "error",
        "queued_at",
        "started_at",
        "finished_at",
        "duration_display",
        "http_status",
        "bytes_fetched",
        "fetched",
        "created",
        "updated",
        "merged",
        "held",
        "unchanged",
        "closed",
        "would_close",
        "rejected",
        "warnings",
        "attempts",
        "timings",
        "issue_summary",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A run is a record: nothing on it is edited, so no save buttons (change permission is for the actions).
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("状态"), ordering="status")
    def status_display(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("进度"))
    def progress(self, obj):
        if obj.status == RunStatus.RUNNING:
            stages = {
                "fetch": _("下载"),
                "parse": _("解析"),
                "normalise": _("校验"),
                "index": _("分词"),
                "write": _("写入"),
            }
            return gettext("%(stage)s：已处理 %(n)d 条") % {
                "stage": stages.get(obj.stage, obj.stage),
                "n": obj.processed,
            }
        if obj.status == RunStatus.QUEUED:
            return gettext("等待执行")
        return "—"

    @admin.display(description=_("耗时"))
    def duration_display(self, obj):
        duration = obj.duration
        return f"{duration.total_seconds():.1f}s" if duration is not None else "—"

    @admin.display(description=_("问题记录"))
    def issue_summary(self, obj):
        issues = list(obj.issues.all()[:20])
        if not issues:
            return "—"
        url = reverse("admin:feeds_syncissue_changelist") + f"?run__id__exact={obj.pk}"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((i.get_severity_display(), i.record_id, i.line or "", i.field, i.reason) for i in issues),
        )
        total = obj.rejected + obj.warnings
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>"
            '<p><a href="{}">{}</a></p>',
            _("级别"),
            _("记录编号"),
            _("位置"),
            _("字段"),
            _("原因"),
            rows,
            url,
            gettext("查看全部 %(n)d 条") % {"n": total},
        )

    @admin.action(description=_("确认所选待确认的同步生效"), permissions=["change"])
    def apply_held(self, request, queryset):
        applied = 0
        for run in queryset:
            try:
                sync_run_apply(run=run, by=request.user)
                applied += 1
            except ApplicationError as exc:
                self.message_user(request, f"#{run.pk}: {exc.message}", messages.ERROR)
        if applied:
            self.message_user(request, gettext("已加入同步队列：%(n)d 个") % {"n": applied}, messages.SUCCESS)


@admin.register(SyncIssue)
class SyncIssueAdmin(ProvinceScopedAdmin):
    province_lookup = "run__source__centre__province"
    list_display = ["run", "severity", "record_id", "line", "field", "reason", "value"]
    list_filter = ["severity", "field", ("run__source", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["run__source"]
    search_fields = ["record_id", "reason"]
    readonly_fields = ["run", "severity", "record_id", "line", "field", "reason", "value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedRecord)
class FeedRecordAdmin(ProvinceScopedAdmin):
    province_lookup = "source__centre__province"
    list_display = ["external_id", "source", "job", "active", "first_seen_at", "changed_at", "removed_at"]
    list_filter = ["active", ("source", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["source", "job"]
    search_fields = ["external_id", "job__title"]
    readonly_fields = [f.name for f in FeedRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
