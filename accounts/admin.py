"""Users in admin (e-mail login). Centre staff see their own centre's province colleagues; only superusers manage
accounts, permissions and groups (a staff member must not be able to grant themselves more)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy

from talentfair.core.admin import ProvinceScopedAdminMixin

from .models import User


class UserChangeFormByEmail(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreationFormByEmail(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


@admin.register(User)
class UserAdmin(ProvinceScopedAdminMixin, DjangoUserAdmin):
    province_lookup = "centre__province"
    form = UserChangeFormByEmail
    add_form = UserCreationFormByEmail
    ordering = ["email"]
    list_display = ["email", "name", "centre", "is_staff", "is_superuser", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "centre__province", "centre", "groups"]
    list_select_related = ["centre"]
    search_fields = ["email", "name"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (gettext_lazy("个人信息"), {"fields": ["name", "centre"]}),
        (
            gettext_lazy("权限"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (gettext_lazy("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups", "user_permissions"]
