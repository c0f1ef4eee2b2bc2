"""What the core app stores: tasks that could not be handed to the broker yet."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HeldTask(models.Model):
    """A Celery task that could not be sent because the broker was unreachable, kept to be sent once it is back
    (``talentfair.core.queue``): a mail, a sync, a logo fetch is late, never lost."""

    name = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("位置参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    queue = models.CharField(_("队列"), max_length=100, blank=True)
    error = models.TextField(_("发送失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("重发次数"), default=0)
    trace_id = models.CharField(_("追踪编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("暂存时间"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"
