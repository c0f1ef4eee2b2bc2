"""Fairs in admin, run by the centres that organise them.

Every write goes through ``fairs.services``: the fair's details (``fair_save``), its plan (organisers, zones, booths:
``plan_item_save`` / ``plan_item_delete``), state changes, publishing, exhibitor decisions and booths. The fair's
state, its published flag and an exhibitor's status are read-only here; they change only through the actions.

Who sees what: a fair's host centre (and superusers) edit it and act on all its exhibitors; staff of a centre that
co-organises it see it and act on the exhibitors from their own province (``fairs.selectors``).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentfair.core.admin import DecisionButtonsMixin, ViewOnlyAdminMixin, confirm_with_reason
from talentfair.core.errors import ApplicationError

from . import services
from .models import (
    Booth,
    BoothSize,
    ExhibitorStatus,
    Fair,
    FairLog,
    FairOrganiser,
    FairState,
    Offer,
    Participation,
    Registration,
    RegistrationStatus,
    Zone,
)
from .selectors import fairs_for_staff, is_fair_host, participations_for_staff
from .services.lifecycle import NEXT_STATE

EXHIBITOR_REJECT_REASONS = [
    gettext_lazy("单位资质与招聘会定位不符"),
    gettext_lazy("所带职位信息不完整或不真实"),
    gettext_lazy("展位已满"),
    gettext_lazy("参会人员信息不完整"),
]


def _error_text(error: Exception) -> str:
    return getattr(error, "message", None) or "; ".join(getattr(error, "messages", [str(error)]))


class ServiceWritesMixin:
    """Admin's default writes replaced by the fair's services (``save_model`` / ``delete_model`` / inlines)."""

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            services.plan_item_delete(item=item, by=request.user)
        for item in items:
            services.plan_item_save(item=item, by=request.user)
        formset.save_m2m()


class FairOrganiserInline(admin.TabularInline):
    model = FairOrganiser
    extra = 0
    fields = ["role", "name", "centre", "position"]


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ["code", "name", "name_en", "industries", "booth_count"]
    readonly_fields = ["booth_count"]
    filter_horizontal = []
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_booths=Count("booths"))

    @admin.display(description=gettext_lazy("展位数"))
    def booth_count(self, obj):
        return getattr(obj, "n_booths", 0)


class LogLabelsMixin:
    @admin.display(description=gettext_lazy("原值"))
    def from_label(self, obj):
        return obj.from_label

    @admin.display(description=gettext_lazy("新值"))
    def to_label(self, obj):
        return obj.to_label


class FairLogInline(LogLabelsMixin, admin.TabularInline):
    model = FairLog
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_label", "to_label", "reason", "by"]
    readonly_fields = fields
    ordering = ["-at", "-id"]
    verbose_name_plural = gettext_lazy("操作记录（谁、何时、做了什么、原因）")
    fair_level_only = True  # on the fair's page: its own steps; each exhibitor's page has its own

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("by", "participation__employer")
        return queryset.filter(participation__isnull=True) if self.fair_level_only else queryset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FairAdminForm(forms.ModelForm):
    cohorts = forms.CharField(
        label=gettext_lazy("限毕业届别"),
        required=False,
        help_text=gettext_lazy("如 2026,2027；留空表示不限"),
    )

    class Meta:
        model = Fair
        fields = [
            "name",
            "slug",
            "edition",
            "host_centre",
            "starts_on",
            "ends_on",
            "opens_at",
            "closes_at",
            "city",
            "venue",
            "address",
            "employer_registration_opens",
            "employer_registration_closes",
            "graduate_registration_opens",
            "graduate_registration_closes",
            "graduate_capacity",
            "cohorts",
            "min_education",
            "study_provinces",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cohorts"] = ",".join(str(year) for year in self.instance.cohorts)

    def clean_cohorts(self):
        text = self.cleaned_data["cohorts"].replace("，", ",")
        try:
            years = sorted({int(part) for part in text.split(",") if part.strip()})
        except ValueError:
            raise ValidationError(_("请填写四位年份，用逗号分隔，如 2026,2027")) from None
        if any(not 1980 <= year <= 2100 for year in years):
            raise ValidationError(_("请填写四位年份，用逗号分隔，如 2026,2027"))
        return years

    def _post_clean(self):
        """The fair's rules live in ``fairs.services`` (``fair_validate`` here, ``fair_save`` when saving)."""
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)
        try:
            services.fair_validate(self.instance)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Fair)
class FairAdmin(ServiceWritesMixin, admin.ModelAdmin):
    form = FairAdminForm
    list_display = [
        "name",
        "state",
        "starts_on",
        "city",
        "host_centre",
        "employer_count",
        "position_count",
        "registered",
    ]
    list_filter = ["state", "city__province"]
    list_select_related = ["city", "host_centre"]
    search_fields = ["name", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["city"]
    filter_horizontal = ["study_provinces"]
    readonly_fields = ["state", "exhibitors_published", "links"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "edition", "state", "exhibitors_published", "host_centre", "links"]}),
        (
            gettext_lazy("时间与地点"),
            {"fields": ["starts_on", "ends_on", "opens_at", "closes_at", "city", "venue", "address"]},
        ),
        (
            gettext_lazy("报名"),
            {
                "fields": [
                    "employer_registration_opens",
                    "employer_registration_closes",
                    "graduate_registration_opens",
                    "graduate_registration_closes",
                    "graduate_capacity",
                ]
            },
        ),
        (gettext_lazy("求职者报名条件"), {"fields": ["cohorts", "min_education", "study_provinces"]}),
        (gettext_lazy("简介"), {"fields": ["description"]}),
    ]
    inlines = [FairOrganiserInline, ZoneInline, FairLogInline]
    actions = ["advance", "publish", "unpublish", "allocate"]

    def get_queryset(self, request):
        approved = Q(participations__status=ExhibitorStatus.APPROVED)
        return fairs_for_staff(request.user, super().get_queryset(request)).annotate(
            employer_count=Count("participations", filter=approved, distinct=True),
            position_count=Sum("participations__positions", filter=approved),
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED), distinct=True
            ),
        )

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or is_fair_host(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # a fair's records (registrations, applications, report) outlive it; finish it instead

    def has_run_permission(self, request):
        """State changes, publishing and booth allocation; the service also checks that the user hosts the fair."""
        return request.user.has_perm("fairs.run_fair")

    def save_model(self, request, obj, form, change):
        services.fair_save(fair=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=gettext_lazy("参展单位"), ordering="employer_count")
    def employer_count(self, obj):
        return obj.employer_count

    @admin.display(description=gettext_lazy("岗位数"), ordering="position_count")
    def position_count(self, obj):
        return obj.position_count or 0

    @admin.display(description=gettext_lazy("已报名求职者"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=gettext_lazy("相关页面"))
    def links(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("fairs:detail", args=[obj.slug]),
            _("公开页面"),
            reverse("admin:fairs_participation_changelist") + f"?fair__id__exact={obj.pk}",
            _("参展单位"),
            reverse("admin:fairs_booth_changelist") + f"?fair__id__exact={obj.pk}",
            _("展位"),
            reverse("fairs:check_in", args=[obj.slug]),
            _("入场签到"),
        )

    def _each(self, request, queryset, call, done: str):
        count = 0
        for fair in queryset:
            try:
                call(fair)
                count += 1
            except (ApplicationError, ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{fair.name}: {_error_text(error)}", messages.WARNING)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("推进到下一阶段（报名开放 → 进行中 → 结束）"), permissions=["run"])
    def advance(self, request, queryset):
        def apply(qs, data):
            self._each(
                request,
                qs,
                lambda fair: services.fair_advance(
                    fair=fair, by=request.user, to=services.NEXT_STATE.get(fair.state, ""), reason=data["full_reason"]
                ),
                _("%(count)d 场招聘会已进入下一阶段。"),
            )

        steps = {
            f"{FairState(fair.state).label} → {FairState(NEXT_STATE[fair.state]).label}"
            for fair in queryset
            if fair.state in NEXT_STATE
        }
        title = _("推进招聘会到下一阶段")
        if len(steps) == 1:
            title = f"{title} ({steps.pop()})"
        return confirm_with_reason(
            self,
            request,
            queryset,
            action="advance",
            title=title,
            reason_required=False,
            apply=apply,
            submit_label=_("确认推进"),
        )

    @admin.action(description=gettext_lazy("公布参展单位名单与展位图"), permissions=["run"])
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda fair: services.fair_publish_exhibitors(fair=fair, by=request.user, published=True),
            _("已公布 %(count)d 场招聘会的参展单位。"),
        )

    @admin.action(description=gettext_lazy("撤回公布的参展单位名单"), permissions=["run"])
    def unpublish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda fair: services.fair_publish_exhibitors(fair=fair, by=request.user, published=False),
            _("已撤回 %(count)d 场招聘会的参展单位名单。"),
        )

    @admin.action(description=gettext_lazy("为已通过的参展单位分配展位（按意向展区和行业）"), permissions=["run"])
    def allocate(self, request, queryset):
        for fair in queryset:
            try:
                result = services.booths_allocate(fair=fair, by=request.user)
            except (ApplicationError, PermissionDenied) as error:
                self.message_user(request, f"{fair.name}: {_error_text(error)}", messages.WARNING)
                continue
            self.message_user(
                request,
                _("%(fair)s：已分配 %(n)d 个展位。") % {"fair": fair.name, "n": len(result.assigned)},
                messages.SUCCESS,
            )
            if result.unplaced:
                self.message_user(
                    request,
                    _("%(fair)s：%(n)d 家单位没有空闲展位，请增加展位后再分配。")
                    % {"fair": fair.name, "n": len(result.unplaced)},
                    messages.WARNING,
                )


class PlanItemAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """Zones and booths: part of a fair's plan, listed to its organisers, edited by its host, saved and deleted
    through the plan service (which refuses to delete a booth someone holds, or a zone with booths)."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(fair__in=fairs_for_staff(request.user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or is_fair_host(request.user, obj.fair))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or is_fair_host(request.user, obj.fair))

    def save_model(self, request, obj, form, change):
        services.plan_item_save(item=obj, by=request.user)

    def delete_model(self, request, obj):
        try:
            services.plan_item_delete(item=obj, by=request.user)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Zone)
class ZoneAdmin(PlanItemAdmin):
    list_display = ["code", "name", "fair", "booth_count"]
    list_filter = ["fair"]
    list_select_related = ["fair"]
    raw_id_fields = ["fair"]
    filter_horizontal = ["industries"]
    actions = ["generate_booths"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_booths=Count("booths"))

    def has_generate_permission(self, request):
        return request.user.has_perm("fairs.add_booth")

    @admin.display(description=gettext_lazy("展位数"), ordering="n_booths")
    def booth_count(self, obj):
        return obj.n_booths

    @admin.action(description=gettext_lazy("为所选展区生成展位…"), permissions=["generate"])
    def generate_booths(self, request, queryset):
        def apply(qs, data):
            for zone in qs:
                try:
                    booths = services.booths_generate(
                        zone=zone, by=request.user, count=data["count"], size=data["size"]
                    )
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(request, f"{zone}: {_error_text(error)}", messages.WARNING)
                    continue
                self.message_user(
                    request, _("%(zone)s：已生成 %(n)d 个展位。") % {"zone": zone, "n": len(booths)}, messages.SUCCESS
                )

        return confirm_with_reason(
            self,
            request,
            queryset,
            action="generate_booths",
            title=_("生成展位"),
            reason_required=False,
            extra_fields={
                "count": forms.IntegerField(label=_("每个展区生成数量"), min_value=1, max_value=500, initial=20),
                "size": forms.ChoiceField(label=_("规格"), choices=BoothSize.choices, initial=BoothSize.STANDARD),
            },
            apply=apply,
            submit_label=_("生成"),
        )


@admin.register(Booth)
class BoothAdmin(PlanItemAdmin):
    list_display = ["code", "zone", "size", "fair", "exhibitor"]
    list_filter = ["fair", "size"]
    list_select_related = ["zone", "fair", "participation__employer"]
    search_fields = ["code", "participation__employer__name"]
    raw_id_fields = ["fair", "zone"]
    list_per_page = 100

    @admin.display(description=gettext_lazy("参展单位"))
    def exhibitor(self, obj):
        participation = getattr(obj, "participation", None)
        return participation.employer.name if participation else "—"


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    can_delete = False
    fields = ["job", "positions"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParticipationLogInline(FairLogInline):
    fk_name = "participation"
    fair_level_only = False
    fields = ["at", "action", "from_label", "to_label", "reason", "by"]
    readonly_fields = fields


class BoothChoiceForm(forms.ModelForm):
    """The only field staff edit on an exhibitor: its booth (a manual move, through ``booth_assign``)."""

    class Meta:
        model = Participation
        fields = ["booth"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "booth" in self.fields and self.instance.pk:
            self.fields["booth"].queryset = Booth.objects.filter(fair_id=self.instance.fair_id).filter(
                Q(participation__isnull=True) | Q(participation=self.instance)
            )
            self.fields["booth"].help_text = _("只列出本届招聘会的空闲展位")

    def _post_clean(self):
        """The booth is checked and saved by ``fairs.services.booth_assign`` (under the booth's lock)."""
        self.instance.booth = self.cleaned_data.get("booth")


@admin.register(Participation)
class ParticipationAdmin(DecisionButtonsMixin, admin.ModelAdmin):
    form = BoothChoiceForm
    list_display = ["employer", "fair", "status", "province", "positions", "zone_preference", "booth", "submitted_at"]
    list_filter = ["status", "fair", "employer__city__province", "employer__ownership", "employer__industry"]
    list_select_related = ["employer__city__province", "fair", "booth", "zone_preference"]
    search_fields = ["employer__name", "=employer__uscc", "booth__code"]
    show_full_result_count = False
    ordering = ["submitted_at", "id"]
    readonly_fields = [
        "fair",
        "employer",
        "employer_summary",
        "status",
        "positions",
        "zone_preference",
        "representatives",
        "reason",
        "submitted_at",
        "decided_at",
        "decided_by",
    ]
    fields = [*readonly_fields[:3], "booth", *readonly_fields[3:]]
    inlines = [OfferInline, ParticipationLogInline]
    actions = ["approve", "reject", "allocate"]
    decision_actions = [
        ("approve", gettext_lazy("通过")),
        ("reject", gettext_lazy("不通过")),
        ("allocate", gettext_lazy("分配展位")),
    ]

    def get_queryset(self, request):
        return participations_for_staff(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "employer__city__province"] + ["employer__city__province"]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def has_add_permission(self, request):
        return False  # employers apply from the employer centre

    def has_delete_permission(self, request, obj=None):
        return False  # refuse or withdraw instead: the audit trail stays

    def has_decide_permission(self, request):
        return request.user.has_perm("fairs.change_participation")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != ExhibitorStatus.APPROVED:
            return [*self.readonly_fields, "booth"]
        return self.readonly_fields

    @admin.display(description=gettext_lazy("单位所在省份"))
    def province(self, obj):
        return obj.employer.city.province.display_name

    @admin.display(description=gettext_lazy("单位概况"))
    def employer_summary(self, obj):
        employer = obj.employer
        return format_html(
            "{} {} · {} · {} · {} {} · {}",
            employer.city.province.display_name,
            employer.city.name,
            employer.industry,
            employer.get_ownership_display(),
            _("信用代码"),
            employer.uscc,
            employer.get_verification_state_display(),
        )

    def save_model(self, request, obj, form, change):
        """A manual booth move through ``booth_assign``; a refusal (the booth was taken meanwhile) is shown on
        the exhibitor's page instead of the success message."""
        booth = form.cleaned_data.get("booth")
        current = Participation.objects.get(pk=obj.pk)
        if booth == current.booth:
            return
        try:
            if booth is None:
                services.booth_release(participation=current, by=request.user)
            else:
                services.booth_assign(participation=current, booth=booth, by=request.user)
        except ApplicationError as error:
            request.booth_refusal = error.message

    def log_change(self, request, obj, message):
        if not getattr(request, "booth_refusal", ""):
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        refusal = getattr(request, "booth_refusal", "")
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(reverse("admin:fairs_participation_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def _run(self, request, queryset, call, done: str):
        count = 0
        for participation in queryset.select_related("employer__city", "fair"):
            try:
                call(participation)
                count += 1
            except (ApplicationError, ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{participation.employer.name}: {_error_text(error)}", messages.WARNING)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("通过所选参展报名（邮件通知单位）"), permissions=["decide"])
    def approve(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda p: services.exhibitor_approve(participation=p, by=request.user),
            _("已通过 %(count)d 家单位的参展报名。"),
        )

    @admin.action(description=gettext_lazy("不通过所选参展报名（需填写原因）"), permissions=["decide"])
    def reject(self, request, queryset):
        return confirm_with_reason(
            self,
            request,
            queryset,
            action="reject",
            title=_("参展报名不通过"),
            standard_reasons=[str(r) for r in EXHIBITOR_REJECT_REASONS],
            apply=lambda qs, data: self._run(
                request,
                qs,
                lambda p: services.exhibitor_reject(participation=p, by=request.user, reason=data["full_reason"]),
                _("已驳回 %(count)d 家单位的参展报名。"),
            ),
        )

    @admin.action(description=gettext_lazy("为所选单位分配展位（按意向展区和行业）"), permissions=["decide"])
    def allocate(self, request, queryset):
        for fair in Fair.objects.filter(pk__in=queryset.values("fair")):
            try:
                result = services.booths_allocate(fair=fair, by=request.user, participations=queryset)
            except (ApplicationError, PermissionDenied) as error:
                self.message_user(request, f"{fair.name}: {_error_text(error)}", messages.WARNING)
                continue
            for participation, booth in result.assigned:
                self.message_user(
                    request,
                    _("%(employer)s → 展位 %(booth)s") % {"employer": participation.employer.name, "booth": booth.code},
                )
            if not result.assigned and not result.unplaced:
                self.message_user(request, _("所选单位都已有展位，或尚未通过审核。"), messages.WARNING)
            if result.unplaced:
                self.message_user(
                    request,
                    _("%(n)d 家单位没有空闲展位。") % {"n": len(result.unplaced)},
                    messages.WARNING,
                )


class FairRecordsAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Records a fair keeps of what happened (registrations, its log): read-only, for the fair's organisers."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(fair__in=fairs_for_staff(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Registration)
class RegistrationAdmin(FairRecordsAdmin):
    """Graduates registered for a fair (they register and cancel themselves; check-in happens at the door)."""

    list_display = ["code", "graduate", "fair", "status", "study_province", "queued_at", "checked_in_at"]
    list_filter = ["fair", "status"]
    list_select_related = ["graduate", "fair"]
    search_fields = ["=code", "graduate__email", "graduate__name"]
    show_full_result_count = False


@admin.register(FairLog)
class FairLogAdmin(LogLabelsMixin, FairRecordsAdmin):
    list_display = ["at", "fair", "action", "participation", "from_label", "to_label", "by"]
    list_filter = ["action", "fair"]
    list_select_related = ["fair", "participation__employer", "participation__fair", "by"]
