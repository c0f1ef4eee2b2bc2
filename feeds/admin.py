"""Feed admin for centre staff: sources (with "sync now"), every sync run (progress, counts, issues), provenance.

Everything is scoped to the staff member's province through ``ProvinceScopedAdmin``; superusers see all.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employers.forms import CityChoiceField
from employers.models import Employer
from employers.uscc import normalise_uscc
from jobs.models import JobPosting
from talentfair.core.admin import ActionsOnlyAdminMixin, ProvinceScopedAdmin, ViewOnlyAdminMixin
from talentfair.core.errors import ApplicationError

from .fetch import validate_public_url
from .matching import (
    match_candidates,
    sources_naming,
    unmatched_employer_match,
    unmatched_employer_refuse,
    unmatched_employer_verify,
    unmatched_employers,
)
from .models import FeedRecord, FeedSource, RunStatus, SyncIssue, SyncRun, UnmatchedEmployer
from .services import feed_source_save, feed_sync_request, sync_run_apply

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

    def clean_url(self):
        try:
            return validate_public_url(self.cleaned_data["url"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["url"]) from None


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

    def save_model(self, request, obj, form, change):
        feed_source_save(source=obj, by=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # disable it instead: its runs, issues and provenance rows are the record of what it brought

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
class SyncRunAdmin(ActionsOnlyAdminMixin, ProvinceScopedAdmin):
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
        "unmatched",
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
        "trace_id",
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
        "unmatched",
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
class SyncIssueAdmin(ViewOnlyAdminMixin, ProvinceScopedAdmin):
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
class FeedRecordAdmin(ViewOnlyAdminMixin, ProvinceScopedAdmin):
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


class MatchForm(forms.Form):
    target = forms.TypedChoiceField(label=_("匹配到"), coerce=int, required=False, widget=forms.RadioSelect)
    target_uscc = forms.CharField(
        label=_("或输入已登记单位的统一社会信用代码"), max_length=30, required=False, help_text=_("18位")
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (c.pk, f"{c.name} · {c.city.place_label} · {c.uscc} · {c.get_verification_state_display()}")
            for c in candidates
        ]

    def clean(self):
        cleaned = super().clean()
        uscc = normalise_uscc(cleaned.get("target_uscc") or "")
        if uscc:
            target = Employer.objects.filter(uscc=uscc).first()
            if target is None:
                raise forms.ValidationError(_("没有使用该统一社会信用代码的已登记单位。"))
            cleaned["employer"] = target
        elif cleaned.get("target"):
            cleaned["employer"] = Employer.objects.get(pk=cleaned["target"])
        else:
            raise forms.ValidationError(_("请选择一个单位，或输入已登记单位的统一社会信用代码。"))
        return cleaned


class VerifyForm(forms.Form):
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, help_text=_("核对营业执照或国家企业信用信息公示系统后填写")
    )
    name = forms.CharField(label=_("单位名称"), max_length=200)
    city = CityChoiceField(label=_("所在城市"))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("记入审核记录"),
    )


@admin.register(UnmatchedEmployer)
class UnmatchedEmployerAdmin(ActionsOnlyAdminMixin, ProvinceScopedAdmin):
    """The match queue of the staff member's province: match each employer to a registered one, verify it as new
    with its USCC, or refuse it (``feeds.matching``). Nothing here is edited as a form."""

    province_lookup = "city__province"
    list_display = ["name", "place", "source_centre", "held_count", "created_at"]
    list_select_related = ["city__province", "source_centre"]
    list_filter = ["city__province", ("source_centre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    ordering = ["created_at", "id"]
    decisions = {"match": MatchForm, "verify": VerifyForm, "refuse": RefuseForm}

    def get_queryset(self, request):
        return unmatched_employers(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("employers.verify_employer")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("employers.verify_employer")

    @admin.display(description=_("所在地"), ordering="city")
    def place(self, obj):
        return obj.city.place_label

    @admin.display(description=_("待发布职位"), ordering="held_count")
    def held_count(self, obj):
        return obj.held_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        employer = self.get_object(request, object_id)
        if employer is None:
            raise Http404
        candidates = match_candidates(employer)
        forms_ = {
            "match": MatchForm(prefix="match", candidates=candidates),
            "verify": VerifyForm(prefix="verify", initial={"name": employer.name, "city": employer.city_id}),
            "refuse": RefuseForm(prefix="refuse"),
        }
        decision = request.POST.get("decision")
        if request.method == "POST" and decision in self.decisions and self.has_change_permission(request, employer):
            kwargs = {"candidates": candidates} if decision == "match" else {}
            form = forms_[decision] = self.decisions[decision](request.POST, prefix=decision, **kwargs)
            if form.is_valid():
                try:
                    message = self._decide(request, employer, decision, form.cleaned_data)
                except ApplicationError as exc:
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:feeds_unmatchedemployer_changelist"))
        held = JobPosting.objects.filter(employer=employer).select_related("city__province").order_by("pk")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("待匹配单位：%(name)s") % {"name": employer.name},
            "employer": employer,
            "sources": sources_naming(employer),
            "held": held,
            "forms": forms_,
            "can_decide": self.has_change_permission(request, employer),
        }
        return TemplateResponse(request, "admin/feeds/unmatched_employer.html", context)

    def _decide(self, request, employer, decision: str, data: dict) -> str:
        if decision == "refuse":
            refused = unmatched_employer_refuse(employer=employer, by=request.user, reason=data["reason"])
            return gettext("已不予导入“%(name)s”，%(n)d 个职位未通过。") % {"name": employer.name, "n": refused}
        if decision == "match":
            target = data["employer"]
            released = unmatched_employer_match(employer=employer, target=target, by=request.user)
            lead = gettext("“%(name)s”已匹配到“%(target)s”。") % {"name": employer.name, "target": target.name}
        else:
            released = unmatched_employer_verify(
                employer=employer, uscc=data["uscc"], name=data["name"], city=data["city"], by=request.user
            )
            lead = gettext("“%(name)s”已核验并认证。") % {"name": data["name"]}
        return (
            lead
            + " "
            + gettext("%(published)d 个职位已发布，%(held)d 个待单位所在地工作人员审核。")
            % {
                "published": released.published,
                "held": released.held,
            }
        )
