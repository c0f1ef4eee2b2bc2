"""Admin pieces shared by every app: staff of a talent centre see and act on their own province only."""

from django.contrib import admin
from django.http import Http404


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
        return queryset.filter(**{self.province_lookup: province})

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
            }
            lookup = lookups.get(db_field.related_model._meta.label_lower)
            if lookup:
                kwargs["queryset"] = db_field.related_model._default_manager.filter(**lookup)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProvinceScopedAdmin(ProvinceScopedAdminMixin, admin.ModelAdmin):
    pass
