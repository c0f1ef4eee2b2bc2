"""Partner centres' access: API keys (read, and push for a key tied to a feed source) and webhook endpoints.

A key is shown once, when it is issued; only its SHA-256 digest is stored. Keys are 32 random bytes, so a fast
digest is enough (nothing to brute-force, unlike a password); the short public ``prefix`` finds the row without
scanning and lets staff tell keys apart in admin.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    centre = models.ForeignKey(
        "regions.TalentCentre", on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("人才服务中心")
    )
    name = models.CharField(_("用途"), max_length=100, help_text=_("如：江苏省人才流动服务中心职位镜像"))
    feed_source = models.ForeignKey(
        "feeds.FeedSource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("推送写入的职位源"),
        help_text=_(
            "选择后，该密钥可通过 /api/v1/partner/jobs/ 推送职位，按该职位源的规则（信任级别、审核）写入；"
            "不选则只能读取"
        ),
    )
    prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("密钥摘要"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("吊销人"),
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")

    def __str__(self) -> str:
        return f"{self.centre} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(models.Model):
    """Where a partner centre wants the vacancy events pushed (``api.webhooks``).

    Deliveries go out in sequence order, each a batch of events signed with ``secret`` (HMAC-SHA256; the secret is
    kept as it is because signing needs it — it is shown in admin once, when it is made). ``delivered_seq`` is the
    last event the endpoint acknowledged; after ``failures`` consecutive failed attempts the next one waits
    (exponential backoff), and after ``WEBHOOK_MAX_FAILURES`` the endpoint is disabled and its contact mailed.
    """

    centre = models.ForeignKey(
        "regions.TalentCentre",
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("人才服务中心"),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：江苏职位镜像同步"))
    url = models.URLField(
        _("接收地址"),
        max_length=500,
        help_text=_("合作方接收推送的 http/https 地址；不能是内部网络地址"),
    )
    contact_email = models.EmailField(_("联系人邮箱"), help_text=_("推送连续失败而停用时通知这个邮箱"))
    secret = models.CharField(_("签名密钥"), max_length=64, editable=False)
    enabled = models.BooleanField(_("启用"), default=True, editable=False)
    delivered_seq = models.BigIntegerField(
        _("已送达至序号"), default=0, editable=False, help_text=_("对方已确认收到的最后一个事件序号")
    )
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("下次重试时间"), null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(_("停用时间"), null=True, blank=True, editable=False)
    disabled_reason = models.TextField(_("停用原因"), blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("创建人"),
    )

    class Meta:
        ordering = ["centre", "name"]
        verbose_name = _("推送地址")
        verbose_name_plural = _("推送地址（Webhook）")

    def __str__(self) -> str:
        return f"{self.centre} · {self.name}"


class WebhookDelivery(models.Model):
    """One attempt to deliver a batch of events to an endpoint, and what the partner answered."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("推送地址")
    )
    first_seq = models.BigIntegerField(_("起始序号"))
    last_seq = models.BigIntegerField(_("结束序号"))
    events = models.PositiveIntegerField(_("事件数"))
    attempt = models.PositiveIntegerField(_("第几次尝试"), default=1)
    ok = models.BooleanField(_("成功"), default=False)
    status_code = models.PositiveSmallIntegerField(_("HTTP状态码"), null=True, blank=True)
    response_body = models.TextField(_("响应内容（节选）"), blank=True)
    error = models.TextField(_("错误"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    started_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    trace_id = models.CharField(_("追踪编号"), max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        indexes = [models.Index(fields=["endpoint", "-started_at"], name="webhookdelivery_endpoint_idx")]

    def __str__(self) -> str:
        return f"{self.endpoint_id} #{self.first_seq}–{self.last_seq}"
