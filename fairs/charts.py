"""The fair's statistics as charts (public fair page and the admin dashboard share these)."""

from django.utils.translation import gettext as _

from employers.models import Industry, Ownership
from regions.models import Province
from talentfair.core.charts import Chart, columns, donut, hbar

from .models import Fair
from .selectors import MANUFACTURING_AND_SOFTWARE, applications_per_day, fair_statistics, pending_review_by_province


def _province_names() -> dict[str, str]:
    return {province.code: province.display_name for province in Province.objects.all()}


def pending_chart(counts: dict[str, int], *, title: str | None = None) -> Chart:
    names = _province_names()
    return hbar(
        title or _("待审核职位（按工作地点省份）"),
        [(names.get(code, code), n) for code, n in counts.items()],
        value_label=_("职位数"),
    )


def fair_charts(fair: Fair, stats: dict | None = None) -> dict[str, Chart]:
    """Every chart of a fair, keyed by a stable id (used for the HTML ids and in tests)."""
    stats = stats or fair_statistics(fair)
    names = _province_names()
    industries = {industry.code: industry.name for industry in Industry.objects.all()}
    ownership_labels = dict(Ownership.choices)
    by_industry = sorted(stats["by_industry"].items(), key=lambda item: -item[1]["employers"])
    share = stats["share_c_plus_i"]
    return {
        "ownership": donut(
            _("参会单位性质"),
            [
                (ownership_labels[key], value["employers"])
                for key, value in stats["by_ownership"].items()
                if key in ownership_labels and (value["employers"] or key != "other")
            ],
            value_label=_("家单位"),
        ),
        "industry": hbar(
            _("参会单位行业分布（GB/T 4754 门类）"),
            [(f"{code} {industries.get(code, '')}", value["employers"]) for code, value in by_industry],
            keys=[code for code, _value in by_industry],
            highlight=MANUFACTURING_AND_SOFTWARE,
            value_label=_("单位数"),
            note=_("制造业（C）与信息传输、软件和信息技术服务业（I）合计占 %(share)s")
            % {"share": f"{share * 100:.1f}%"},
        ),
        "employers_by_province": hbar(
            _("参会单位来源地（按单位所在省份）"),
            [(names.get(code, code), value["employers"]) for code, value in stats["by_province"].items()],
            value_label=_("单位数"),
        ),
        "positions_by_province": hbar(
            _("提供岗位数（按单位所在省份）"),
            [(names.get(code, code), value["positions"]) for code, value in stats["by_province"].items()],
            value_label=_("岗位数"),
        ),
        "applications": columns(
            _("每日申请数（本次招聘会职位）"),
            [(day.strftime("%m-%d"), n) for day, n in applications_per_day(fair)],
            value_label=_("申请数"),
        ),
        "pending": pending_chart(
            pending_review_by_province(fair.jobs.all()), title=_("本次招聘会待审核职位（按省份）")
        ),
    }
