"""The four regions of the Yangtze River Delta, their cities (GB/T 2260) and the partner talent centres."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def english() -> bool:
    return (get_language() or "").startswith("en")


class Province(models.Model):
    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    short_name = models.CharField(_("简称"), max_length=4)
    name_en = models.CharField(_("英文名"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("省/直辖市")
        verbose_name_plural = _("省/直辖市")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name without its 省/市 suffix: 江苏, 上海."""
        return self.name.removesuffix("省").removesuffix("市")

    @property
    def local_name(self) -> str:
        """``display_name`` in the active language: 江苏 on the Chinese site, Jiangsu on the English one."""
        return self.name_en if english() and self.name_en else self.display_name


class CityQuerySet(models.QuerySet):
    def divisions(self):
        """Real cities and Shanghai's districts: without the four province-level places (``is_province_level``),
        which only feeds that name no city use. What people choose from when they register or post."""
        return self.exclude(code=models.F("province_id"))


class City(models.Model):
    """A prefecture-level city, or for Shanghai one of its 16 districts — or, for each province, the province itself
    as a place (code = the province's code): a partner's vacancy that says only "上海" or "江苏省" is placed there,
    findable and filterable by province and shown without a city, rather than refused or guessed."""

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=20)
    name_en = models.CharField(_("英文名"), max_length=40, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="cities", verbose_name=_("省份"))

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("城市/区")
        verbose_name_plural = _("城市/区")

    def __str__(self) -> str:
        return self.name

    @property
    def is_province_level(self) -> bool:
        return self.code == self.province_id

    @property
    def local_name(self) -> str:
        """苏州市 on the Chinese site, Suzhou on the English one."""
        return self.name_en if english() and self.name_en else self.name

    @property
    def full_name(self) -> str:
        """``江苏省苏州市``; Shanghai's districts read ``上海市浦东新区``; a province-level place ``江苏省``."""
        return self.province.name if self.is_province_level else f"{self.province.name}{self.name}"

    @property
    def local_full_name(self) -> str:
        """``full_name`` on the Chinese site; ``Pudong New Area, Shanghai`` on the English one."""
        return self.place_label if english() else self.full_name

    @property
    def place_label(self) -> str:
        """Where, in a line of a listing: ``江苏 苏州市``, ``上海 浦东新区``, or ``上海`` alone for a province-level
        place; ``Suzhou, Jiangsu`` on the English site."""
        province = self.province.local_name
        if self.is_province_level:
            return province
        if english():
            return f"{self.local_name}, {province}"
        return f"{province} {self.name}"


class TalentCentre(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(_("标识"), max_length=50, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="centres", verbose_name=_("所属省份"))
    website = models.URLField(_("网站"), blank=True)

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("人才服务中心")
        verbose_name_plural = _("人才服务中心")

    def __str__(self) -> str:
        return self.name
