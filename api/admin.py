"""Staff issue and revoke partner API keys here, for centres of their own province.

The key is shown once, in the confirmation message after "save"; only its digest is stored, so a lost key is
revoked and a new one issued.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentfair.core.admin import ProvinceScopedAdmin
from talentfair.core.errors import ApplicationError

from .models import ApiKey
from .services import api_key_issue, api_key_revoke


class ApiKeyIssueForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["centre", "name"]


@admin.register(ApiKey)
class ApiKeyAdmin(ProvinceScopedAdmin):
    province_lookup = "centre__province"
    form = ApiKeyIssueForm
    list_display = ["prefix", "centre", "name", "created_at", "last_used_at", "state"]
    list_filter = ["centre__province", "centre"]
    search_fields = ["prefix", "name", "centre__name"]
    list_select_related = ["centre", "created_by"]
    actions = ["revoke"]
    readonly_fields = [
        "prefix",
        "centre",
        "name",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["centre", "name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the row stays as the record of who could read the API and when

    @admin.display(description=gettext_lazy("状态"))
    def state(self, key: ApiKey) -> str:
        return _("有效") if key.is_active else _("已吊销")

    def save_model(self, request, obj, form, change):
        if change:
            return  # an issued key cannot be edited
        key, plain = api_key_issue(centre=form.cleaned_data["centre"], name=form.cleaned_data["name"], by=request.user)
        obj.pk, obj.prefix = key.pk, key.prefix
        self.message_user(
            request,
            format_html(
                "{} <code class='api-key'>{}</code>",
                _("新密钥如下，只显示这一次，请立即复制并安全地交给合作中心："),
                plain,
            ),
            messages.WARNING,
        )

    def response_add(self, request, obj, post_url_continue=None):
        # Skip Django's own "was added successfully" message so the one-time key is the message staff see.
        return self.response_post_save_add(request, obj)

    @admin.action(description=gettext_lazy("吊销所选密钥"))
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset:
            try:
                api_key_revoke(key=key, by=request.user)
                revoked += 1
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        if revoked:
            self.message_user(request, _("已吊销 %(n)d 个密钥。") % {"n": revoked}, messages.SUCCESS)
