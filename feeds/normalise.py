"""Normalise and validate one raw feed record into the catalogue's terms.

Place through ``regions.resolver``, salary and education through ``jobs.parsing``, USCC through
``employers.uscc``, HTML through nh3. A record that cannot become a vacancy raises ``RecordRejected`` (field,
reason, value); one that can, but with something worth telling the partner (salary kept as text, education not
understood, unsafe HTML removed), carries ``warnings``. Nothing here touches the database except the cached,
read-only reference tables.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from employers.models import Industry, Ownership
from employers.uscc import normalise_uscc, validate_uscc
from jobs.models import EmploymentType
from jobs.parsing import parse_education, parse_salary
from regions.resolver import province_place, resolve_place

from .parsers import RawRecord

MAX_ID_LENGTH = 80
MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 20_000

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "h3", "h4"}
_UNSAFE_HTML = re.compile(r"<\s*(script|style|iframe|object|embed|form|svg|math)\b|\son\w+\s*=|javascript:", re.I)
_UNSAFE_TAG = re.compile(r"<\s*(script|style|iframe|object|embed|form|svg|math)\b", re.I)  # its first branch
_COHORT = re.compile(r"(20\d\d)\s*届")
_TITLE_NOISE = re.compile(r"[\s\W_]+")


class RecordRejected(Exception):
    def __init__(self, field: str, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.field, self.reason, self.value = field, reason, (value or "")[:200]


@dataclass
class Warning_:
    field: str
    reason: str
    value: str = ""


@dataclass
class NormalRecord:
    external_id: str
    content_hash: str
    position: int
    title: str
    raw_description: str  # as sent (length-checked); ``description`` is what is stored
    city_id: str
    province_name: str
    city_name: str
    address: str
    employer_name: str
    employer_website: str
    uscc: str
    employer_city_id: str
    ownership: str
    industry_code: str | None
    category: str
    tags: str
    employment_type: str
    education: int
    experience: int
    headcount: int
    salary_min: int | None
    salary_max: int | None
    salary_months: int
    salary_negotiable: bool
    salary_text: str
    salary_unparsed: bool
    fresh_graduate: bool
    cohort: int | None
    experience_text: str
    original_url: str
    remote: bool
    direct_apply: bool | None
    employer_logo_url: str
    valid_through: datetime
    published_at: datetime
    warnings: list[Warning_] = field(default_factory=list)
    # filled in by the pipeline once the employer is known
    employer_id: int | None = None
    match_key: str = ""
    has_markup: bool = False

    @cached_property
    def description(self) -> str:
        """The description as stored: HTML sanitised with nh3 on first use. Deferred so it runs in the write loop,
        while PostgreSQL writes the previous chunk, not in the planning pass where nothing else runs."""
        return sanitise(self.raw_description) if self.has_markup else self.raw_description

    @property
    def norm_title(self) -> str:
        return normalise_title(self.title)


def normalise_title(title: str) -> str:
    return _TITLE_NOISE.sub("", unicodedata.normalize("NFKC", title).lower())


def normalise_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split()).upper()


# --- cached look-ups (the same strings repeat thousands of times in a feed) ---


@lru_cache(maxsize=20_000)
def _place(text: str):
    return resolve_place(text)


@lru_cache(maxsize=20_000)
def _salary(text: str):
    return parse_salary(text)


@lru_cache(maxsize=20_000)
def _uscc(text: str) -> str:
    return validate_uscc(text)


@lru_cache(maxsize=2_000)
def _education(text: str):
    return parse_education(text)


@lru_cache(maxsize=1)
def _industries() -> tuple[dict[str, str], list[tuple[str, str]]]:
    rows = list(Industry.objects.values_list("code", "name"))
    return dict(rows), [(name, code) for code, name in rows]


def industry_code(text: str) -> str | None:
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    names, pairs = _industries()
    if len(text) == 1 and text.upper() in names:
        return text.upper()
    if len(text) >= 2 and text[0].upper() in names and text[1] in " 　-—:：":
        return text[0].upper()
    for name, code in pairs:
        if text == name or text in name or name in text:
            return code
    return None


def industry_name(code: str | None) -> str:
    return _industries()[0].get(code or "", "")


_OWNERSHIP = (
    (("国有", "国企", "央企", "事业单位", "机关", "国资", "state"), Ownership.STATE),
    (("外资", "合资", "外企", "外商", "港澳台", "foreign", "joint"), Ownership.FOREIGN),
    (("民营", "私营", "民企", "个体", "股份制", "private"), Ownership.PRIVATE),
)


@lru_cache(maxsize=1_000)
def ownership(text: str) -> str:
    lowered = (text or "").lower()
    for words, value in _OWNERSHIP:
        if any(word in lowered for word in words):
            return value
    return Ownership.OTHER


_EMPLOYMENT = (
    (("校招", "校园", "应届", "campus", "graduate"), EmploymentType.CAMPUS),
    (("实习", "intern"), EmploymentType.INTERNSHIP),
    (("contractor", "外包", "劳务派遣", "劳务"), EmploymentType.CONTRACTOR),
    (("per_diem", "per diem", "perdiem", "日结"), EmploymentType.PER_DIEM),
    (("temporary", "临时", "短期"), EmploymentType.TEMPORARY),
    (("volunteer", "志愿"), EmploymentType.VOLUNTEER),
    (("全职", "full_time", "full-time", "fulltime", "full time", "正式", "合同"), EmploymentType.FULL_TIME),
    (("兼职", "part_time", "part-time", "parttime", "part time", "小时工"), EmploymentType.PART_TIME),
    (("other", "其他"), EmploymentType.OTHER),
)
# When a posting lists several, the first of these it has is its type.
_EMPLOYMENT_ORDER = (
    EmploymentType.CAMPUS,
    EmploymentType.INTERNSHIP,
    EmploymentType.FULL_TIME,
    EmploymentType.PART_TIME,
    EmploymentType.CONTRACTOR,
    EmploymentType.TEMPORARY,
    EmploymentType.PER_DIEM,
    EmploymentType.VOLUNTEER,
    EmploymentType.OTHER,
)


def employment_type(values: list[str]) -> str | None:
    return _employment_type(tuple(values))


@lru_cache(maxsize=1_000)
def _employment_type(values: tuple[str, ...]) -> str | None:
    found = []
    for value in values:
        lowered = value.lower()
        for words, kind in _EMPLOYMENT:
            if any(word in lowered for word in words):
                found.append(kind)
                break
    if not found:
        return None
    for kind in _EMPLOYMENT_ORDER:
        if kind in found:
            return kind
    return None


_EXPERIENCE_RANGE = re.compile(r"(\d+)\s*(?:年)?\s*(?:-|~|～|—|–|至|到|to)\s*(\d+)\s*(?:年|years?)", re.I)
_EXPERIENCE_CEILING = re.compile(r"(\d+)\s*(?:年|years?)\s*(?:以内|以下|内|or less|and under)", re.I)
_EXPERIENCE = re.compile(r"(\d+)\s*\+?\s*(?:年|years?)", re.I)
_NO_EXPERIENCE = ("无经验", "无需经验", "经验不限", "不限", "在校", "应届", "no experience", "none")


@lru_cache(maxsize=1_000)
def experience(text: str) -> int:
    """The minimum years asked, as one of the catalogue's steps (0, 1, 3, 5, 10). A range ("1-3年", "3至5年")
    asks its lower bound; "1年以内" / "1年以下", "无经验", "经验不限", "在校", "应届" ask none; "3年以上" asks 3."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    lowered = text.lower()
    if not text or any(word in lowered for word in _NO_EXPERIENCE) or _EXPERIENCE_CEILING.search(text):
        return 0
    match = _EXPERIENCE_RANGE.search(text) or _EXPERIENCE.search(text)
    if not match:
        return 0
    years = int(match.group(1))
    for threshold in (10, 5, 3, 1):
        if years >= threshold:
            return threshold
    return 0


_BARE_DATE = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
_DATE_CN = re.compile(r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")


def parse_when(text: str, *, end_of_day: bool) -> datetime | None:
    """ISO date or date-time, "2026/6/30", "2026年6月30日"; a bare date is that day in Asia/Shanghai."""
    return _parse_when(text, end_of_day)


@lru_cache(maxsize=20_000)  # a feed's dates repeat thousands of times; datetimes are immutable
def _parse_when(text: str, end_of_day: bool) -> datetime | None:
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    moment = None
    if not _BARE_DATE.match(text):  # a bare date is a day, not its midnight (datetime.fromisoformat would say 00:00)
        try:
            moment = parse_datetime(text.replace(" ", "T", 1) if len(text) > 10 else text)
        except ValueError:
            moment = None
    zone = timezone.get_default_timezone()
    if moment is not None:
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    day = None
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        match = _DATE_CN.match(text)
        if match:
            try:
                day = datetime(int(match[1]), int(match[2]), int(match[3])).date()  # noqa: DTZ001 - a date
            except ValueError:
                day = None
    if day is None:
        return None
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=zone)


_HEADCOUNT = re.compile(r"^(?:招聘?|需要?|共)?\s*(\d{1,5})\s*(?:(?:-|~|～|至|到)\s*\d{1,5})?\s*(?:人|名|位|个)?$")
_HEADCOUNT_SOME = re.compile(r"^(?:招聘?|需要?)?\s*(?:若干|不限|多|数)\s*(?:人|名|位)?$")


@lru_cache(maxsize=1_000)
def parse_headcount(text: str) -> int | None:
    """Positions as partners write them: "3", "3人", "招3人", "招聘5名", "3-5人" (its lower bound); "若干",
    "招若干人", "不限", "多名" are 1 (docs/feeds.md). None when unreadable."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split())
    if _HEADCOUNT_SOME.match(text):
        return 1
    match = _HEADCOUNT.match(text)
    if match and int(match.group(1)) > 0:
        return int(match.group(1))
    return None


def _website(candidates: str) -> str:
    """The first candidate that is an http(s) address fitting the employer's website field and not a page of this
    portal (our own feed names the employer's page here as its ``url``); never a javascript: link or a
    2,000-character tracking URL on an employer's page."""
    ours = _our_host()
    for text in candidates.split():
        parts = urlsplit(text)
        if (
            len(text) <= 200
            and parts.scheme.lower() in ("http", "https")
            and parts.netloc
            and parts.netloc.lower() != ours
        ):
            return text
    return ""


def _posting_url(text: str) -> str:
    """The posting's page on the partner's site (or the employer's logo there), kept as its original link:
    http(s), at most 500 characters, not a page of this portal (our own feed names our vacancy page as ``url``)."""
    text = text.strip()
    if not text:
        return ""
    parts = urlsplit(text)
    usable = len(text) <= 500 and parts.scheme.lower() in ("http", "https") and parts.netloc
    return text if usable and parts.netloc.lower() != _our_host() else ""


def _our_host() -> str:
    return _host_of(settings.SITE_URL)


@lru_cache(maxsize=4)
def _host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


_REMOTE_WORDS = {"true", "yes", "1", "是", "远程", "可远程", "远程办公", "telecommute", "remote"}


def _is_remote(value) -> bool:
    """JSON-LD gives a bool; CSV and XML a word: 是 / 远程 / true / yes / 1."""
    if isinstance(value, bool):
        return value
    return "".join(str(value or "").split()).lower() in _REMOTE_WORDS


def unsafe_html(text: str) -> bool:
    """``_UNSAFE_HTML.search(text)``, twice as fast for the usual description: without "=" or ":" only the first
    branch can match (the others need one of them), and that branch alone is the cheaper search."""
    if "=" in text or ":" in text:
        return _UNSAFE_HTML.search(text) is not None
    return "<" in text and _UNSAFE_TAG.search(text) is not None


_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes={}, link_rel=None)  # built once: ~40% faster than nh3.clean


def sanitise(html: str) -> str:
    return _CLEANER.clean(html).strip()


def normalise(raw: RawRecord, *, now: datetime, default_industry: str | None = None) -> NormalRecord:
    f = raw.fields
    warnings: list[Warning_] = []
    external_id = raw.external_id
    if not external_id:
        raise RecordRejected("id", _("缺少职位编号"))
    if len(external_id) > MAX_ID_LENGTH:
        raise RecordRejected("id", _("职位编号超过 %(n)d 个字符") % {"n": MAX_ID_LENGTH}, external_id)
    if f.get("id_derived"):
        warnings.append(Warning_("id", _("记录没有编号，已按单位、职位、地点和发布日期生成"), external_id))
    title = " ".join((f.get("title") or "").split())
    if not title:
        raise RecordRejected("title", _("缺少职位名称"))
    if len(title) > MAX_TITLE_LENGTH:
        raise RecordRejected("title", _("职位名称超过 %(n)d 个字符") % {"n": MAX_TITLE_LENGTH}, title)
    employer_name = " ".join((f.get("employer_name") or "").split())
    if not employer_name:
        raise RecordRejected("employer_name", _("缺少单位名称"))
    if len(employer_name) > 200:
        raise RecordRejected("employer_name", _("单位名称超过 200 个字符"), employer_name)

    uscc = ""
    if f.get("uscc"):
        try:
            uscc = _uscc(f["uscc"])
        except ValidationError as exc:
            raise RecordRejected("uscc", exc.messages[0], normalise_uscc(f["uscc"])) from None

    places = f.get("places") or []
    remote = _is_remote(f.get("remote"))
    if remote and f.get("employer_place") and not (places and _place(places[0])):
        places = [f["employer_place"]]  # remote, open to a place we cannot name ("CN"): where the employer is
    if not places:
        raise RecordRejected("places", _("缺少工作地点"))
    match = _place(places[0])
    if not match:
        raise RecordRejected("places", match.reason, places[0])
    # "上海" or "江苏省" alone: the province as a place — found and filtered by province, shown without a city. Not
    # the employer's registered city: a company registered in 浦东 hires for 闵行 too (docs/feeds.md).
    city = match.city or province_place(match.province)

    employer_city = None
    for text in (f.get("employer_place") or "", uscc[2:8] if uscc else ""):
        if text:
            candidate = _place(text)
            if candidate.city is not None:
                employer_city = candidate.city
                break

    valid_through = None
    if f.get("valid_through"):
        valid_through = parse_when(f["valid_through"], end_of_day=True)
        if valid_through is None:
            raise RecordRejected("valid_through", _("无法识别的截止日期"), f["valid_through"])
        if valid_through < now:
            raise RecordRejected("valid_through", _("截止日期已过"), f["valid_through"])
    published_at = parse_when(f.get("date_posted") or "", end_of_day=False)
    if published_at is None or published_at > now:
        published_at = now
    if valid_through is None:
        valid_through = now + timedelta(days=settings.VACANCY_DEFAULT_VALID_DAYS)

    salary_text = " ".join((f.get("salary") or "").split())[:100]
    salary = _salary(salary_text) if salary_text else None
    if salary is not None and not salary.parsed:
        warnings.append(Warning_("salary", _("薪资无法解析，仅显示原文"), salary_text))

    education_text = f.get("education") or ""
    education = _education(education_text)
    if education is None:
        warnings.append(Warning_("education", _("无法识别的学历要求，按“不限”处理"), education_text))
        education = 0

    types = f.get("employment_type") or []
    kind = employment_type(types) if types else EmploymentType.FULL_TIME
    if kind is None:
        warnings.append(Warning_("employment_type", _("无法识别的工作性质，按“全职”处理"), "、".join(types)))
        kind = EmploymentType.FULL_TIME

    description = f.get("description") or ""
    if "&lt;" in description and "<" not in description:
        # HTML escaped once more than it should be ("&lt;p&gt;…"): unescaped once, then sanitised like any HTML.
        description = html.unescape(description)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise RecordRejected("description", _("职位描述超过 %(n)d 个字符") % {"n": MAX_DESCRIPTION_LENGTH})
    if unsafe_html(description):
        warnings.append(Warning_("description", _("职位描述含脚本或不安全的 HTML，已清除"), description))

    headcount_text = (f.get("headcount") or "").strip()
    headcount = 1
    if headcount_text:
        read = parse_headcount(headcount_text)
        if read is None:
            warnings.append(Warning_("headcount", _("无法识别的招聘人数，按 1 人处理"), headcount_text))
        else:
            headcount = read

    qualifications = f.get("qualifications") or ""
    cohort_match = _COHORT.search(f"{title} {' '.join(types)} {qualifications}")
    fresh = (
        kind == EmploymentType.CAMPUS
        or "应届" in title
        or "应届" in (f.get("tags") or "")
        or "应届" in qualifications
        or "届毕业生" in qualifications
    )

    return NormalRecord(
        external_id=external_id,
        content_hash=raw.content_hash,
        position=raw.position,
        title=title,
        raw_description=description,
        has_markup="<" in description or "&" in description,
        city_id=city.code,
        province_name=city.province.name,
        city_name="" if city.is_province_level else city.name,
        address=(f.get("address") or "")[:200],
        employer_name=employer_name,
        employer_website=_website(f.get("employer_website") or ""),
        uscc=uscc,
        employer_city_id=(employer_city or city).code,
        ownership=ownership(f.get("ownership") or ""),
        industry_code=industry_code(f.get("industry") or "") or None,
        category=(f.get("category") or "")[:50],
        tags=" ".join((f.get("tags") or "").replace("，", " ").replace(",", " ").replace("、", " ").split())[:200],
        employment_type=kind,
        education=education,
        experience=experience(f.get("experience") or ""),
        experience_text=" ".join((f.get("experience") or "").split())[:50],
        original_url=_posting_url(f.get("url") or ""),
        remote=remote,
        direct_apply=f.get("direct_apply") if isinstance(f.get("direct_apply"), bool) else None,
        employer_logo_url=_posting_url(f.get("employer_logo") or ""),
        headcount=headcount,
        salary_min=salary.monthly_min if salary and salary.parsed else None,
        salary_max=salary.monthly_max if salary and salary.parsed else None,
        salary_months=salary.months if salary and salary.parsed else 12,
        salary_negotiable=bool(salary and salary.negotiable),
        salary_text=salary_text,
        salary_unparsed=bool(salary is not None and not salary.parsed),
        fresh_graduate=fresh,
        cohort=int(cohort_match.group(1)) if cohort_match else None,
        valid_through=valid_through,
        published_at=published_at,
        warnings=warnings,
    )
