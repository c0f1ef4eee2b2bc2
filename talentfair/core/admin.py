"""Admin pieces shared by every app: staff of a talent centre see and act on their own province only."""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin_login import RateLimitedAdminAuthenticationForm
from .models import HeldTask


def staff_province_code(request) -> str | None:
    """The province a staff member works for; None means every province (superusers)."""
    user = request.user
    if user.is_superuser:
        return None
    centre = getattr(user, "centre", None)
    return centre.province_id if centre else ""


class ProvinceScopedAdminMixin:
    """Scope lists, detail pages and bulk actions to the staff member's province.

    ``province_lookup`` is the ORM path from the model to a province code, e.g. ``"city__province"`` for an
    employer or ``"centre__province"`` for a feed source. Staff without a centre see nothing; superusers see all.
    Bulk actions receive the changelist's queryset, which goes through ``get_queryset``, so they are scoped too.
    """

    province_lookup: str = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        province = staff_province_code(request)
        if province is None:
            return queryset
        if not province:
            return queryset.none()
        return self.in_scope(queryset, province)

    def in_scope(self, queryset, province: str):
        """The rows of ``queryset`` this province's staff act on; a model with a rule of its own overrides this."""
        return queryset.filter(**{self.province_lookup: province})

    def get_list_filter(self, request):
        """A province filter means nothing to staff who only ever see one province."""
        filters = super().get_list_filter(request)
        if staff_province_code(request) is None:
            return filters
        return [f for f in filters if not (isinstance(f, str) and (f == "province" or f.endswith("__province")))]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Out of scope looks exactly like missing: a 404, not a redirect that confirms the id exists.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Staff pick cities, centres and employers of their own province only."""
        province = staff_province_code(request)
        if province:
            lookups = {
                "regions.city": {"province": province},
                "regions.talentcentre": {"province": province},
                "employers.employer": {"city__province": province},
                "feeds.feedsource": {"centre__province": province},
            }
            lookup = lookups.get(db_field.related_model._meta.label_lower)
            if lookup:
                kwargs["queryset"] = db_field.related_model._default_manager.filter(**lookup)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ViewOnlyAdminMixin:
    """What admin shows but never writes: records made by the services (histories, memberships, reference data,
    held tasks); their changes are decisions taken elsewhere."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionsOnlyAdminMixin:
    """What admin shows read-only and changes only through its actions and decision buttons (each calls a
    service): the change form has nothing to save, so saving or deleting from it writes nothing."""

    def save_model(self, request, obj, form, change):
        pass

    def delete_model(self, request, obj):
        pass

    def has_delete_permission(self, request, obj=None):
        return False


class ProvinceScopedAdmin(ProvinceScopedAdminMixin, admin.ModelAdmin):
    pass


admin.site.site_header = gettext_lazy("长三角人才交流 · 管理后台")
admin.site.site_title = gettext_lazy("长三角人才交流管理后台")
admin.site.index_title = gettext_lazy("中心工作台")
admin.site.index_template = "admin/talentfair_index.html"  # the queues of the staff member's province on top
admin.site.login_form = RateLimitedAdminAuthenticationForm  # the site's login limits, at /admin/login/ too


# --- decisions that need a reason: an intermediate confirmation page for admin actions -----------------------------


class ReasonForm(forms.Form):
    """A standard reason to pick, free text, or both; joined into the one reason the service receives."""

    standard = forms.ChoiceField(label=gettext_lazy("常用原因"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("原因说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )

    def __init__(self, *args, standard_reasons=(), reason_required=True, extra_fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        self.fields["standard"].choices = [("", _("（不选，只填写说明）"))] + [(r, r) for r in standard_reasons]
        if not standard_reasons:
            del self.fields["standard"]
        for name, field in (extra_fields or {}).items():
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get("standard") or "", (cleaned.get("reason") or "").strip()]
        cleaned["full_reason"] = "；".join(part for part in parts if part)
        if self.reason_required and not cleaned["full_reason"]:
            raise forms.ValidationError(_("请选择或填写原因，对方会看到这段说明。"))
        return cleaned


def confirm_with_reason(
    modeladmin,
    request,
    queryset,
    *,
    action: str,
    title: str,
    apply: Callable[[Any, dict], None],
    standard_reasons: Sequence[str] = (),
    reason_required: bool = True,
    extra_fields: dict | None = None,
    submit_label: str | None = None,
):
    """Show the selected objects and a reason form; on a valid POST call ``apply(queryset, cleaned_data)``.

    ``queryset`` comes from the changelist, i.e. through the admin's scoped ``get_queryset``: objects of another
    province cannot be slipped in by editing the posted ids.
    """
    if not queryset.exists():
        messages.warning(request, _("没有可操作的对象。"))
        return None
    form_kwargs = {
        "standard_reasons": standard_reasons,
        "reason_required": reason_required,
        "extra_fields": extra_fields,
    }
    if "apply" in request.POST:
        form = ReasonForm(request.POST, **form_kwargs)
        if form.is_valid():
            apply(queryset, form.cleaned_data)
            return None
    else:
        form = ReasonForm(**form_kwargs)
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "objects": list(queryset[:200]),
        "count": queryset.count(),
        "action": action,
        "form": form,
        "select_across": request.POST.get("select_across", "0"),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "submit_label": submit_label or title,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/moderation/reason_form.html", context)


def report_bulk_result(request, result, *, done_message: str) -> None:
    """Messages for a ``BulkResult``-like outcome (done count, refused descriptions)."""
    if result.done:
        messages.success(request, done_message % {"count": result.done})
    for refusal in result.refused[:20]:
        messages.warning(request, refusal)
    if len(result.refused) > 20:
        messages.warning(request, _("另有%(count)d项未处理。") % {"count": len(result.refused) - 20})


class DecisionButtonsMixin:
    """Buttons on an object's admin page for the decision actions the user may run (e.g. approve / reject).

    Each button posts the one object to the changelist's action, so it takes the same path (and the same
    intermediate reason page and scoping) as the bulk action.
    """

    decision_actions: Sequence[tuple[str, str]] = ()
    change_form_template = "admin/moderation/change_form_with_decisions.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        available = self.get_actions(request)
        buttons = [(name, label) for name, label in self.decision_actions if name in available]
        extra_context = {**(extra_context or {}), "decision_actions": buttons}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(HeldTask)
class HeldTaskAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Work kept while the broker was unreachable (``talentfair.core.queue``), for operators: read-only, sent by the
    ``core.send_held_tasks`` beat task once the broker is back."""

    list_display = ["name", "queue", "created_at", "attempts", "trace_id", "error"]
    list_filter = ["name"]
    readonly_fields = ["name", "args", "kwargs", "queue", "error", "attempts", "trace_id", "created_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
