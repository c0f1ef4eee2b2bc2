"""Fairs in admin. A fair is a joint event of all four provinces: every staff member sees all fairs; the staff of
the host province (and superusers) edit one. Participations are listed per employer province."""

from django.contrib import admin
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy

from talentfair.core.admin import ProvinceScopedAdmin, staff_province_code

from .models import Fair, Participation


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["employer"]
    fields = ["employer", "booth", "positions"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employer")


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "starts_on", "ends_on", "city", "venue", "employer_count", "position_count"]
    list_filter = ["city__province"]
    list_select_related = ["city"]
    search_fields = ["name", "venue", "organisers"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["city"]
    date_hierarchy = "starts_on"
    inlines = [ParticipationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(employer_count=Count("participations"), position_count=Sum("participations__positions"))
        )

    def _hosts(self, request, obj) -> bool:
        province = staff_province_code(request)
        return obj is None or province is None or obj.city.province_id == province

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._hosts(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._hosts(request, obj)

    @admin.display(description=gettext_lazy("参会单位"), ordering="employer_count")
    def employer_count(self, obj):
        return obj.employer_count

    @admin.display(description=gettext_lazy("岗位数"), ordering="position_count")
    def position_count(self, obj):
        return obj.position_count or 0


@admin.register(Participation)
class ParticipationAdmin(ProvinceScopedAdmin):
    province_lookup = "employer__city__province"
    list_display = ["employer", "fair", "booth", "positions", "province"]
    list_filter = ["fair", "employer__city__province", "employer__ownership", "employer__industry"]
    list_select_related = ["employer__city__province", "fair"]
    search_fields = ["employer__name", "booth"]
    autocomplete_fields = ["employer"]
    raw_id_fields = ["fair"]
    show_full_result_count = False

    @admin.display(description=gettext_lazy("单位所在省份"))
    def province(self, obj):
        return obj.employer.city.province.display_name
