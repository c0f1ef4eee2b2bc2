"""``manage.py fair_stats [--fair SLUG] [--json]``: a fair's figures (default: the latest finished fair, whose
report is final; an upcoming fair's figures so far with ``--fair``)."""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from employers.models import Industry, Ownership
from fairs.models import Fair, FairState
from fairs.selectors import fair_statistics
from regions.models import Province


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


class Command(BaseCommand):
    help = (
        "Print a fair's figures: employers and positions by ownership, by the employers' own province and by "
        "industry, and the share of manufacturing (C) plus information/software (I). --json prints the JSON that "
        "staff scripts rely on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fair", metavar="SLUG", help="the fair's slug (default: the latest finished fair, else the latest fair)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, fair: str | None, json: bool, **options):
        stats = fair_statistics(self._fair(fair))
        if json:
            self.stdout.write(_dumps(stats))
        else:
            self.stdout.write(self._table(stats))

    def _fair(self, slug: str | None) -> Fair:
        if slug is None:
            latest = (
                Fair.objects.filter(state=FairState.FINISHED).latest_first().first()
                or Fair.objects.latest_first().first()
            )
            if latest is None:
                raise CommandError(_("还没有任何招聘会。可先运行 `manage.py seed_demo` 创建演示数据。"))
            return latest
        found = Fair.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Fair.objects.latest_first().values_list("slug", flat=True)[:10]) or "—"
            raise CommandError(_("招聘会“%(slug)s”不存在。已有：%(known)s") % {"slug": slug, "known": known})
        return found

    def _table(self, stats: dict) -> str:
        fair = Fair.objects.get(slug=stats["fair"])
        total = stats["employers"]
        provinces = dict(Province.objects.values_list("code", "name"))
        industries = dict(Industry.objects.values_list("code", "name"))
        ownership = {choice.value: str(choice.label) for choice in Ownership}
        sections = [
            (_("单位性质"), [(ownership.get(k, k), v) for k, v in stats["by_ownership"].items()]),
            (_("所在省份"), [(provinces.get(k, k), v) for k, v in stats["by_province"].items()]),
            (_("行业门类"), [(f"{k} {industries.get(k, '')}", v) for k, v in stats["by_industry"].items()]),
        ]
        label_width = max(_width(label) for _title, rows in sections for label, _v in rows) + 2
        header = (
            _pad("", label_width) + _pad(_("单位数"), 8, right=True) + _pad(_("占比"), 9, right=True)
            + _pad(_("岗位数"), 10, right=True)
        )  # fmt: skip
        lines = [
            f"{fair.name} ({fair.slug})",
            _("参会单位 %(employers)d 家，岗位 %(positions)d 个；制造业与信息软件业（C+I）占 %(share).1f%%")
            % {"employers": total, "positions": stats["positions"], "share": stats["share_c_plus_i"] * 100},
        ]
        for title, rows in sections:
            lines += ["", title, header]
            for label, bucket in rows:
                share = f"{100 * bucket['employers'] / total:.1f}%" if total else "–"
                lines.append(
                    _pad(f"  {label}", label_width)
                    + _pad(str(bucket["employers"]), 8, right=True)
                    + _pad(share, 9, right=True)
                    + _pad(str(bucket["positions"]), 10, right=True)
                )
        return "\n".join(lines)


def _dumps(stats: dict) -> str:
    return json.dumps(stats, ensure_ascii=False, indent=2)
