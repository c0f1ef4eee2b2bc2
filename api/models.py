"""API keys for partner talent centres.

A key is shown once, when it is issued; only its SHA-256 digest is stored. Keys are 32 random bytes, so a fast
digest is enough (nothing to brute-force, unlike a password); the short public ``prefix`` finds the row without
scanning and lets staff tell keys apart in admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    centre = models.ForeignKey(
        "regions.TalentCentre", on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("人才服务中心")
    )
    name = models.CharField(_("用途"), max_length=100, help_text=_("如：江苏省人才流动服务中心职位镜像"))
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
