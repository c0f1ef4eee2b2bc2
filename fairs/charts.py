"""The fair's statistics as charts (public fair page and the admin dashboard share these)."""

from django.utils.translation import gettext as _

from accounts.models import OTHER_PROVINCE
from employers.models import Industry, Ownership
from regions.models import Province
from talentfair.core.charts import Chart, columns, donut, hbar

from .models import Fair
from .selectors import MANUFACTURING_AND_SOFTWARE, applications_per_day, fair_statistics


def _province_names() -> dict[str, str]:
    return {province.code: province.local_name for province in Province.objects.all()}


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
    industries = {industry.code: industry.local_name for industry in Industry.objects.all()}
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
    }


def _study_names() -> dict[str, str]:
    return {**_province_names(), OTHER_PROVINCE: _("长三角以外"), "": _("未填写")}


def report_charts(report: dict) -> dict[str, Chart]:
    """What graduates did at the fair: where they study, who came, and where their applications went."""
    names = _study_names()
    by_study = [(code, value) for code, value in report["graduates_by_study_province"].items() if value["registered"]]
    flow = report["application_flow"]
    cross = sum(row["applications"] for row in flow if row["from"] and row["from"] != row["to"])
    total = sum(row["applications"] for row in flow)
    return {
        "graduates_registered": hbar(
            _("报名求职者（按院校所在省份）"),
            [(names.get(code, code), value["registered"]) for code, value in by_study],
            value_label=_("人数"),
        ),
        "graduates_checked_in": hbar(
            _("到场求职者（按院校所在省份）"),
            [(names.get(code, code), value["checked_in"]) for code, value in by_study],
            value_label=_("人数"),
        ),
        "flow": hbar(
            _("跨省求职流向（院校所在省份 → 单位所在省份）"),
            [
                (f"{names.get(row['from'], row['from'])} → {names.get(row['to'], row['to'])}", row["applications"])
                for row in flow[:12]
            ],
            value_label=_("申请数"),
            note=(_("跨省申请占 %(share)s") % {"share": f"{cross / total * 100:.1f}%"} if total else ""),
        ),
    }
