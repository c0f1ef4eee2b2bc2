"""Joint job fairs (长三角地区人才交流洽谈会) and the employers taking part in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FairQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-starts_on", "-edition")


class Fair(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    edition = models.PositiveSmallIntegerField(_("届次"), null=True, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    venue = models.CharField(_("场馆"), max_length=200)
    city = models.ForeignKey("regions.City", on_delete=models.PROTECT, related_name="fairs", verbose_name=_("城市"))
    organisers = models.TextField(_("主办单位"), help_text=_("每行一个"))
    co_organisers = models.TextField(_("协办单位"), blank=True, help_text=_("每行一个"))
    description = models.TextField(_("简介"), blank=True)

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="fair_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organiser_list(self) -> list[str]:
        return [line.strip() for line in self.organisers.splitlines() if line.strip()]

    @property
    def co_organiser_list(self) -> list[str]:
        return [line.strip() for line in self.co_organisers.splitlines() if line.strip()]


class Participation(models.Model):
    """An employer at a fair: its booth and the positions (headcount) it offers there."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="participations", verbose_name=_("招聘会"))
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="participations", verbose_name=_("招聘单位")
    )
    booth = models.CharField(_("展位号"), max_length=20, blank=True)
    positions = models.PositiveIntegerField(_("招聘岗位数"), default=0, help_text=_("在招聘会上提供的岗位（人数）"))

    class Meta:
        ordering = ["fair", "booth"]
        verbose_name = _("参会单位")
        verbose_name_plural = _("参会单位")
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="participation_unique_employer"),
            models.UniqueConstraint(
                fields=["fair", "booth"], condition=~models.Q(booth=""), name="participation_unique_booth"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} @ {self.fair}"
