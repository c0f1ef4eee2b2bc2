"""Employers in admin: the verification queue, the full list, memberships and the verification history.

Decisions go through ``employers.services`` (audit row, e-mail); admin never writes the verification fields itself.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentfair.core.admin import (
    ActionsOnlyAdminMixin,
    DecisionButtonsMixin,
    ProvinceScopedAdmin,
    ViewOnlyAdminMixin,
    confirm_with_reason,
)
from talentfair.core.errors import ApplicationError

from . import services
from .models import (
    Employer,
    EmployerReview,
    Industry,
    Membership,
    PendingEmployer,
    VerificationState,
)
from .uscc import division_agrees_with_city, validate_uscc

REJECT_REASONS = [
    gettext_lazy("统一社会信用代码与单位名称不符"),
    gettext_lazy("营业执照信息无法核实"),
    gettext_lazy("单位所在地与信用代码登记地不符"),
    gettext_lazy("联系人或联系方式无效"),
    gettext_lazy("单位简介不完整"),
]
SUSPEND_REASONS = [
    gettext_lazy("发布虚假招聘信息"),
    gettext_lazy("向求职者收取费用"),
    gettext_lazy("多次被举报并查实"),
    gettext_lazy("单位已注销或停业"),
]


@admin.register(Industry)
class IndustryAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """GB/T 4754-2017 sections, loaded by a data migration: reference data, not edited here."""

    list_display = ["code", "name", "name_en", "employer_count"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(employer_count=Count("employers"))

    @admin.display(description=gettext_lazy("单位数"), ordering="employer_count")
    def employer_count(self, obj):
        return obj.employer_count


class MembershipInline(admin.TabularInline):
    """Who belongs to the employer, read-only: joining is the recruiter's request and the owner's decision
    (``employers.registration``), never an edit here."""

    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "status", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EmployerReviewInline(admin.TabularInline):
    model = EmployerReview
    extra = 0
    can_delete = False
    fields = ["at", "decision", "previous_state", "reason", "by"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("认证记录（谁、何时、决定、原因）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EmployerActionsMixin(DecisionButtonsMixin):
    """Verify / reject / suspend actions, shared by the queue and the full list."""

    def has_verify_permission(self, request):
        return request.user.has_perm("employers.verify_employer")

    def _run(self, request, queryset, service, reason: str, done: str):
        count = 0
        for employer in queryset:
            try:
                service(employer=employer, by=request.user, reason=reason)
                count += 1
            except (ApplicationError, ValidationError) as error:
                message = getattr(error, "message", None) or "; ".join(error.messages)
                self.message_user(request, f"{employer.name}: {message}", messages.WARNING)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("认证通过所选单位"), permissions=["verify"])
    def verify(self, request, queryset):
        self._run(request, queryset, services.employer_verify, "", _("已认证 %(count)d 家单位，已通知其招聘人员。"))

    @admin.action(description=gettext_lazy("驳回所选单位的认证（需填写原因）"), permissions=["verify"])
    def reject(self, request, queryset):
        return confirm_with_reason(
            self,
            request,
            queryset,
            action="reject",
            title=_("驳回单位认证"),
            standard_reasons=[str(r) for r in REJECT_REASONS],
            apply=lambda qs, data: self._run(
                request, qs, services.employer_reject, data["full_reason"], _("已驳回 %(count)d 家单位。")
            ),
        )

    @admin.action(description=gettext_lazy("暂停所选单位（其全部职位随即隐藏）"), permissions=["verify"])
    def suspend(self, request, queryset):
        return confirm_with_reason(
            self,
            request,
            queryset,
            action="suspend",
            title=_("暂停单位"),
            standard_reasons=[str(r) for r in SUSPEND_REASONS],
            apply=lambda qs, data: self._run(
                request, qs, services.employer_suspend, data["full_reason"], _("已暂停 %(count)d 家单位。")
            ),
        )


class EmployerAdminForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose what is shown)


@admin.register(Employer)
class EmployerAdmin(EmployerActionsMixin, ProvinceScopedAdmin):
    province_lookup = "city__province"
    form = EmployerAdminForm
    list_display = [
        "name",
        "uscc",
        "uscc_check",
        "ownership",
        "industry",
        "city_display",
        "state_badge",
        "is_trusted",
        "source_centre",
        "created_at",
    ]
    list_filter = [
        "verification_state",
        "city__province",
        "ownership",
        "industry",
        "is_trusted",
        "source_centre",
    ]
    list_select_related = ["city__province", "industry", "source_centre"]
    search_fields = ["name", "=uscc", "contact_name", "contact_email"]
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ["industry"]
    raw_id_fields = ["city"]
    readonly_fields = ["verification_state", "verification_reason", "verified_at", "verified_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.verification_state == VerificationState.UNMATCHED:
            return [*fields, "uscc"]  # a code comes with a decision: the match queue (feeds.matching)
        return fields

    fieldsets = [
        (None, {"fields": ["name", "uscc", "ownership", "industry", "city", "size", "address"]}),
        (gettext_lazy("联系人"), {"fields": ["contact_name", "contact_phone", "contact_email", "website"]}),
        (gettext_lazy("简介"), {"fields": ["description"], "classes": ["collapse"]}),
        (
            gettext_lazy("认证"),
            {
                "fields": [
                    "verification_state",
                    "verification_reason",
                    "verified_by",
                    "verified_at",
                    "is_trusted",
                    "source_centre",
                    "created_at",
                ]
            },
        ),
    ]
    inlines = [MembershipInline, EmployerReviewInline]
    actions = ["verify", "reject", "suspend"]
    decision_actions = [
        ("verify", gettext_lazy("认证通过")),
        ("reject", gettext_lazy("驳回")),
        ("suspend", gettext_lazy("暂停")),
    ]

    def save_model(self, request, obj, form, change):
        """Through the service: a rename reindexes the employer's vacancies and marks them changed."""
        if not change:
            raise PermissionDenied  # employers come from registration and partner feeds, not from admin
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        services.employer_update(employer=obj, by=request.user, changes=changes)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an employer leaves the public by a decision (suspend), keeping its history

    @admin.display(description=gettext_lazy("所在地"), ordering="city")
    def city_display(self, obj):
        return obj.city.place_label

    @admin.display(description=gettext_lazy("信用代码核验"))
    def uscc_check(self, obj):
        return uscc_check_html(obj)

    @admin.display(description=gettext_lazy("认证状态"), ordering="verification_state")
    def state_badge(self, obj):
        colours = {"pending": "#e67700", "verified": "#2b8a3e", "rejected": "#c92a2a", "suspended": "#c92a2a"}
        return format_html(
            '<strong style="color:{}">{}</strong>',
            colours.get(obj.verification_state, "#333"),
            obj.get_verification_state_display(),
        )


def uscc_check_html(employer: Employer):
    """✓/✗ for the check character, and whether the registering division fits the stated city."""
    try:
        validate_uscc(employer.uscc)
    except ValidationError as error:
        return format_html('<span style="color:#c92a2a">✗ {}</span>', error.messages[0])
    if division_agrees_with_city(employer.uscc, employer.city_id):
        return format_html('<span style="color:#2b8a3e">✓ {}</span>', _("校验位正确，登记地与所在地一致"))
    return format_html(
        '<span style="color:#e67700">⚠ {}</span>',
        _("登记地代码 %(division)s 与所在地 %(city)s 不符")
        % {"division": employer.uscc[2:8], "city": employer.city_id},
    )


@admin.register(PendingEmployer)
class PendingEmployerAdmin(ActionsOnlyAdminMixin, EmployerActionsMixin, ProvinceScopedAdmin):
    """The verification queue: pending employers, oldest first, with what a moderator checks."""

    province_lookup = "city__province"
    list_display = [
        "name",
        "uscc",
        "uscc_check",
        "ownership",
        "industry",
        "city_display",
        "contact",
        "source_centre",
        "created_at",
    ]
    list_filter = [
        "city__province",
        "ownership",
        "industry",
        "source_centre",
    ]
    list_select_related = ["city__province", "industry", "source_centre"]
    search_fields = ["name", "=uscc", "contact_name"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["verify", "reject", "suspend"]
    decision_actions = EmployerAdmin.decision_actions
    inlines = [MembershipInline, EmployerReviewInline]
    fields = EmployerAdmin.fieldsets[0][1]["fields"] + EmployerAdmin.fieldsets[1][1]["fields"] + ["description"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(verification_state=VerificationState.PENDING)

    def get_readonly_fields(self, request, obj=None):
        return self.fields  # the queue is for deciding; corrections are made on the employer's own page

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    city_display = EmployerAdmin.city_display
    uscc_check = EmployerAdmin.uscc_check

    @admin.display(description=gettext_lazy("联系人"))
    def contact(self, obj):
        return " ".join(part for part in (obj.contact_name, obj.contact_phone, obj.contact_email) if part)


@admin.register(Membership)
class MembershipAdmin(ViewOnlyAdminMixin, ProvinceScopedAdmin):
    """Memberships are requested by recruiters and decided by the employer's owner (employers.registration, with
    its one-organisation rule); admin shows them."""

    province_lookup = "employer__city__province"
    list_display = ["user", "employer", "role", "status", "created_at"]
    list_filter = ["role", "status", "employer__city__province"]
    list_select_related = ["user", "employer"]
    search_fields = ["user__email", "user__name", "employer__name"]
    raw_id_fields = ["user", "employer"]
    show_full_result_count = False
    readonly_fields = ["user", "employer", "role", "status", "created_at"]


@admin.register(EmployerReview)
class EmployerReviewAdmin(ViewOnlyAdminMixin, ProvinceScopedAdmin):
    """The verification history, read-only."""

    province_lookup = "employer__city__province"
    list_display = ["at", "employer", "decision", "previous_state", "reason", "by"]
    list_filter = ["decision", "employer__city__province"]
    list_select_related = ["employer", "by"]
    search_fields = ["employer__name", "reason"]
    show_full_result_count = False
