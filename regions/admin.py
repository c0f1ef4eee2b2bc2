"""Reference data (GB/T 2260 regions, partner centres): loaded by migrations, browsed in admin.

Provinces and cities are read-only here: their names are in every vacancy's search document and on every card, and
the codes are what vacancies, employers and scopes point at — a change is a data migration, reviewed and tested.
A centre's province decides whose moderation its staff do, so it is set once, when the centre is added."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy

from talentfair.core.admin import ViewOnlyAdminMixin

from .models import City, Province, TalentCentre


@admin.register(Province)
class ProvinceAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "name_en", "city_count"]
    search_fields = ["code", "name", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(description=gettext_lazy("城市/区数"), ordering="city_count")
    def city_count(self, obj):
        return obj.city_count


@admin.register(City)
class CityAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "name_en", "province__name"]


@admin.register(TalentCentre)
class TalentCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "province", "website", "staff_count"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "province"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def has_delete_permission(self, request, obj=None):
        return False  # staff, sources, fairs and keys point at it

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(staff_count=Count("staff"))

    @admin.display(description=gettext_lazy("工作人员"), ordering="staff_count")
    def staff_count(self, obj):
        return obj.staff_count
