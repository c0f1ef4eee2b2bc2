"""Staff issue and revoke partner API keys here, for centres of their own province.

The key is shown once, in the confirmation message after "save"; only its digest is stored, so a lost key is
revoked and a new one issued.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feeds.fetch import validate_public_url
from talentfair.core.admin import ProvinceScopedAdmin, ViewOnlyAdminMixin
from talentfair.core.errors import ApplicationError

from .models import ApiKey, WebhookDelivery, WebhookEndpoint
from .services import api_key_issue, api_key_revoke
from .webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_disable,
    webhook_endpoint_enable,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)


class ApiKeyIssueForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["centre", "name", "feed_source"]

    def clean(self):
        data = super().clean()
        source, centre = data.get("feed_source"), data.get("centre")
        if source is not None and centre is not None and source.centre_id != centre.pk:
            self.add_error("feed_source", _("只能选择该中心自己的职位源。"))
        return data


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
        "feed_source",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["centre", "name", "feed_source"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the row stays as the record of who could read the API and when

    @admin.display(description=gettext_lazy("状态"))
    def state(self, key: ApiKey) -> str:
        return _("有效") if key.is_active else _("已吊销")

    def save_model(self, request, obj, form, change):
        if change:
            return  # an issued key cannot be edited
        key, plain = api_key_issue(
            centre=form.cleaned_data["centre"],
            name=form.cleaned_data["name"],
            feed_source=form.cleaned_data.get("feed_source"),
            by=request.user,
        )
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


class WebhookEndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ["centre", "name", "url", "contact_email"]

    def clean_url(self):
        try:
            return validate_public_url(self.cleaned_data["url"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["url"]) from None


def _delivery_error(delivery: WebhookDelivery) -> str:
    """What went wrong, in the reader's language when it is the partner's HTTP answer (network errors are kept as
    the worker wrote them)."""
    if delivery.ok:
        return ""
    if delivery.status_code:
        return _("对方返回 HTTP %(status)d") % {"status": delivery.status_code}
    return delivery.error


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ProvinceScopedAdmin):
    """A centre's endpoints: add and edit them here (through ``api.webhooks``); delivery state is read-only, and
    switching an endpoint on or off, or giving it a new secret, are actions."""

    province_lookup = "centre__province"
    form = WebhookEndpointForm
    list_display = ["name", "centre", "url", "state", "delivered_seq", "failures", "next_attempt_at"]
    list_filter = ["centre__province", "centre", "enabled"]
    search_fields = ["name", "url", "centre__name"]
    list_select_related = ["centre"]
    actions = ["enable", "disable", "rotate_secret"]
    state_fields = [
        "enabled",
        "delivered_seq",
        "failures",
        "next_attempt_at",
        "disabled_at",
        "disabled_reason",
        "created_at",
        "created_by",
        "recent_deliveries",
    ]

    def get_fields(self, request, obj=None):
        return ["centre", "name", "url", "contact_email", *(self.state_fields if obj else [])]

    def get_readonly_fields(self, request, obj=None):
        return ["centre", *self.state_fields] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # disable instead: the deliveries stay as the record of what the partner was sent

    @admin.display(description=gettext_lazy("状态"))
    def state(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.enabled:
            return _("重试等待中") if endpoint.failures else _("启用")
        return _("已停用")

    @admin.display(description=gettext_lazy("最近的推送"))
    def recent_deliveries(self, endpoint: WebhookEndpoint) -> str:
        rows = endpoint.deliveries.all()[:10]
        if not rows:
            return _("尚无推送")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            _("发送时间"),
            _("事件序号"),
            _("结果"),
            _("HTTP状态码"),
            _("错误"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(timezone.localtime(d.started_at), "Y-m-d H:i:s"),
                        d.first_seq,
                        d.last_seq,
                        _("成功") if d.ok else _("失败"),
                        d.status_code or "—",
                        _delivery_error(d),
                    )
                    for d in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            webhook_endpoint_update(
                endpoint=obj,
                by=request.user,
                changes={name: data[name] for name in ("name", "url", "contact_email") if name in form.changed_data},
            )
            return
        endpoint, secret = webhook_endpoint_create(
            centre=data["centre"],
            name=data["name"],
            url=data["url"],
            contact_email=data["contact_email"],
            by=request.user,
        )
        obj.pk = endpoint.pk
        self._show_secret(request, secret)

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_post_save_add(request, obj)  # the one-time secret is the message staff see

    def _show_secret(self, request, secret: str) -> None:
        self.message_user(
            request,
            format_html(
                "{} <code class='api-key'>{}</code>",
                _("签名密钥如下，只显示这一次，请立即复制并安全地交给合作中心："),
                secret,
            ),
            messages.WARNING,
        )

    def _each(self, request, queryset, service, done: str) -> None:
        count = 0
        for endpoint in queryset:
            try:
                service(endpoint=endpoint, by=request.user)
                count += 1
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            except ValidationError as exc:  # the address no longer passes the public-address rule
                self.message_user(request, f"{endpoint}: {'; '.join(exc.messages)}", messages.WARNING)
        if count:
            self.message_user(request, done % {"n": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("启用所选推送地址（从已送达处继续）"))
    def enable(self, request, queryset):
        self._each(request, queryset, webhook_endpoint_enable, _("已启用 %(n)d 个推送地址。"))

    @admin.action(description=gettext_lazy("停用所选推送地址"))
    def disable(self, request, queryset):
        self._each(request, queryset, webhook_endpoint_disable, _("已停用 %(n)d 个推送地址。"))

    @admin.action(description=gettext_lazy("为所选推送地址生成新签名密钥"))
    def rotate_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("请一次只选择一个推送地址：新密钥只显示一次。"), messages.WARNING)
            return
        self._show_secret(request, webhook_endpoint_rotate_secret(endpoint=queryset.get(), by=request.user))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ViewOnlyAdminMixin, ProvinceScopedAdmin):
    province_lookup = "endpoint__centre__province"
    list_display = ["started_at", "endpoint", "first_seq", "last_seq", "events", "attempt", "ok", "status_code"]
    list_filter = ["ok", "endpoint__centre__province", "endpoint"]
    list_select_related = ["endpoint__centre"]
    search_fields = ["endpoint__name", "trace_id"]
    date_hierarchy = "started_at"
