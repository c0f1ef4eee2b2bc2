"""Parsers for the salary and education text found in employer feeds and forms.

What does not parse is reported as unparsed (the caller keeps the text and flags it); nothing is guessed.
"""

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

# Statutory average paid working days per month (劳社部发〔2008〕3号) and hours per day.
WORKING_DAYS_PER_MONTH = Decimal("21.75")
HOURS_PER_DAY = 8
# Monthly amounts outside this range are refused: below it a unit is almost certainly missing ("8-12"),
# above it the figure is absurd.
MIN_MONTHLY = 100
MAX_MONTHLY = 1_000_000
MIN_MONTHS, MAX_MONTHS = 12, 24


class EducationLevel(enum.IntEnum):
    """Mirrors ``jobs.models.Education``; ordered, so "本科 or less" is ``<= BACHELOR``."""

    ANY = 0
    HIGH_SCHOOL = 1
    ASSOCIATE = 2
    BACHELOR = 3
    MASTER = 4
    DOCTOR = 5


@dataclass(frozen=True)
class ParsedSalary:
    """Monthly CNY amounts. ``parsed=False`` means the text could not be read and must be kept as is."""

    monthly_min: int | None
    monthly_max: int | None
    months: int = 12
    negotiable: bool = False
    parsed: bool = True
    text: str = ""


def _normalise(text: str) -> str:
    """Full-width to half-width, drop whitespace, lowercase."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).lower()


# --- salary ---

_NEGOTIABLE_RE = re.compile(r"(?:薪资|薪酬|薪水|工资|月薪|年薪)?(?:面议|保密|待定)|negotiable")

_NUM = r"\d+(?:\.\d+)?"
_MULT = r"k|千|w|万"
_SEP = r"-|~|〜|—{1,2}|–|−|至|到"
_PERIOD = r"月|年|天|日|小时|时"
_SALARY_RE = re.compile(
    rf"""
    (?P<prefix>月薪|年薪|日薪|时薪)?
    (?P<lo>{_NUM})(?P<lo_mult>{_MULT})?(?P<lo_yuan>元|块)?
    (?:(?:{_SEP})(?P<hi>{_NUM})(?P<hi_mult>{_MULT})?(?:元|块)?)?
    (?:(?:/|每)(?P<period>{_PERIOD}))?
    (?P<bound>及以上|以上|起|以下|以内)?
    (?:(?:/|每)(?P<period2>{_PERIOD}))?
    (?:[·•・*x×,]?(?P<months>\d+)薪)?
    """,
    re.VERBOSE | re.ASCII,
)
_THOUSANDS_SEP_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))", re.ASCII)

_MULTIPLIERS = {None: 1, "k": 1000, "千": 1000, "w": 10000, "万": 10000}
_PREFIX_PERIOD = {"月薪": "月", "年薪": "年", "日薪": "天", "时薪": "小时"}
_PERIOD_CANONICAL = {"月": "月", "年": "年", "天": "天", "日": "天", "小时": "小时", "时": "小时"}


def _to_monthly(amount: Decimal, period: str) -> int:
    if period == "年":
        amount = amount / 12
    elif period == "天":
        amount = amount * WORKING_DAYS_PER_MONTH
    elif period == "小时":
        amount = amount * HOURS_PER_DAY * WORKING_DAYS_PER_MONTH
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_salary(text: str) -> ParsedSalary:
    """Parse feed or form salary text into monthly CNY.

    Daily pay is multiplied by 21.75 days, hourly by 8 × 21.75 hours, annual pay divided by 12; results
    are rounded half up to whole yuan. "·N薪" sets the months per year (12–24) and is only accepted on
    monthly pay.
    """
    original = (text or "").strip()
    unparsed = ParsedSalary(monthly_min=None, monthly_max=None, parsed=False, text=original)
    s = _THOUSANDS_SEP_RE.sub("", _normalise(original))
    if not s:
        return unparsed
    if _NEGOTIABLE_RE.fullmatch(s):
        return ParsedSalary(monthly_min=None, monthly_max=None, negotiable=True, text=original)
    m = _SALARY_RE.fullmatch(s)
    if m is None:
        return unparsed

    if m["period"] and m["period2"]:  # "8k/月以上/月"
        return unparsed
    periods = {_PERIOD_CANONICAL[p] for p in (m["period"], m["period2"]) if p}
    if m["prefix"]:
        periods.add(_PREFIX_PERIOD[m["prefix"]])
    if len(periods) > 1:  # "年薪15万/月"
        return unparsed
    period = periods.pop() if periods else "月"

    hi_mult = _MULTIPLIERS[m["hi_mult"]]
    if m["lo_mult"] or m["lo_yuan"] or m["hi"] is None:
        lo_mult = _MULTIPLIERS[m["lo_mult"]]
    else:  # "15-25K": the unit written once applies to both ends
        lo_mult = hi_mult
    lo = _to_monthly(Decimal(m["lo"]) * lo_mult, period)
    hi = _to_monthly(Decimal(m["hi"]) * hi_mult, period) if m["hi"] is not None else lo

    bound = m["bound"]
    if bound and m["hi"] is not None:
        return unparsed
    if bound in ("以下", "以内"):
        monthly_min, monthly_max = None, hi
    elif bound:
        monthly_min, monthly_max = lo, None
    else:
        monthly_min, monthly_max = lo, hi
    amounts = [a for a in (monthly_min, monthly_max) if a is not None]
    if any(not MIN_MONTHLY <= a <= MAX_MONTHLY for a in amounts) or lo > hi:
        return unparsed

    months = 12
    if m["months"]:
        months = int(m["months"])
        if period != "月" or not MIN_MONTHS <= months <= MAX_MONTHS:
            return unparsed
    return ParsedSalary(monthly_min=monthly_min, monthly_max=monthly_max, months=months, text=original)


def _thousands(amount: int) -> str:
    value = (Decimal(amount) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:f}".removesuffix(".0")


def format_salary(monthly_min: int | None, monthly_max: int | None, months: int = 12, negotiable: bool = False) -> str:
    """Plain-text display: "8–12K·13薪", "8K以上", "12K以下", "8.5–12K", "面议".

    Returns "" when there is nothing to show. Thousands have at most one decimal, rounded half up.
    """
    if negotiable:
        return gettext("面议")
    if monthly_min is not None and monthly_max is not None:
        lo, hi = _thousands(monthly_min), _thousands(monthly_max)
        text = f"{lo}K" if lo == hi else f"{lo}–{hi}K"
    elif monthly_min is not None:
        text = gettext("%(amount)s以上") % {"amount": f"{_thousands(monthly_min)}K"}
    elif monthly_max is not None:
        text = gettext("%(amount)s以下") % {"amount": f"{_thousands(monthly_max)}K"}
    else:
        return ""
    if months and months != 12:
        text += gettext("·%(months)d薪") % {"months": months}
    return text


# --- education ---

_EDUCATION_TOKENS: dict[str, EducationLevel | None] = {
    # levels
    "不限": EducationLevel.ANY,
    "无要求": EducationLevel.ANY,
    "无限制": EducationLevel.ANY,
    "any": EducationLevel.ANY,
    "norequirement": EducationLevel.ANY,
    # Below high school: no level of ours is lower than 不限, so a 初中 requirement asks nothing a graduate lacks.
    "初中": EducationLevel.ANY,
    "小学": EducationLevel.ANY,
    "高中": EducationLevel.HIGH_SCHOOL,
    "中专": EducationLevel.HIGH_SCHOOL,
    "中技": EducationLevel.HIGH_SCHOOL,
    "技校": EducationLevel.HIGH_SCHOOL,
    "职高": EducationLevel.HIGH_SCHOOL,
    "中职": EducationLevel.HIGH_SCHOOL,
    "highschool": EducationLevel.HIGH_SCHOOL,
    "secondaryschool": EducationLevel.HIGH_SCHOOL,
    "大专": EducationLevel.ASSOCIATE,
    "专科": EducationLevel.ASSOCIATE,
    "高职": EducationLevel.ASSOCIATE,
    "associate": EducationLevel.ASSOCIATE,
    "associates": EducationLevel.ASSOCIATE,
    "本科": EducationLevel.BACHELOR,
    "学士": EducationLevel.BACHELOR,
    "bachelor": EducationLevel.BACHELOR,
    "bachelors": EducationLevel.BACHELOR,
    "undergraduate": EducationLevel.BACHELOR,
    "硕士": EducationLevel.MASTER,
    "研究生": EducationLevel.MASTER,
    "硕士研究生": EducationLevel.MASTER,
    "master": EducationLevel.MASTER,
    "masters": EducationLevel.MASTER,
    "博士": EducationLevel.DOCTOR,
    "博士研究生": EducationLevel.DOCTOR,
    "phd": EducationLevel.DOCTOR,
    "ph.d.": EducationLevel.DOCTOR,
    "ph.d": EducationLevel.DOCTOR,
    "doctorate": EducationLevel.DOCTOR,
    "doctoral": EducationLevel.DOCTOR,
    "doctor": EducationLevel.DOCTOR,
    # qualifiers and punctuation that carry no level ("以下" is handled before: it makes any level a ceiling)
    "及以上": None,
    "或以上": None,
    "以上": None,
    "及": None,
    "或": None,
    "学历": None,
    "学位": None,
    "要求": None,
    "全日制": None,
    "统招": None,
    "大学": None,
    "毕业": None,
    "degree": None,
    "'s": None,
    "orabove": None,
    "orhigher": None,
    "andabove": None,
    "or": None,
    "+": None,
    "/": None,
    "、": None,
    ",": None,
    "|": None,
    "(": None,
    ")": None,
}
_CEILING = re.compile(r"(?:及|或)?以下(?:学历)?$")
_EDUCATION_RE = re.compile("|".join(re.escape(t) for t in sorted(_EDUCATION_TOKENS, key=len, reverse=True)))


def parse_education(text: str) -> int | None:
    """Education level (an ``EducationLevel`` value) required by the text, or None if it cannot be read.

    Every part of the text must be a known level or qualifier ("本科及以上学历", "中专/高中",
    "Bachelor's degree"); anything else ("小学", "abc") gives None. Empty text means no requirement (0).
    Where several levels are listed ("本科/硕士") the lowest is the requirement.
    """
    s = _normalise(text or "").replace("\u2019", "'")
    if not s:
        return int(EducationLevel.ANY)
    ceiling = _CEILING.search(s)
    if ceiling:
        # "高中及以下", "初中以下": at most that level, so the minimum asked is none — if the level itself is known.
        level = s[: ceiling.start()]
        return int(EducationLevel.ANY) if level and parse_education(level) is not None else None
    levels: list[EducationLevel] = []
    pos = 0
    while pos < len(s):
        m = _EDUCATION_RE.match(s, pos)
        if m is None:
            return None
        level = _EDUCATION_TOKENS[m.group()]
        if level is not None:
            levels.append(level)
        pos = m.end()
    return int(min(levels)) if levels else None
