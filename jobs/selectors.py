"""Reads for the vacancy search: one page of results, the total and the facet counts, in a fixed number of queries.

The page (``jobs.views.JobSearchView``) and the API serve the same ``job_search`` result.

How it stays fast at a million vacancies (DESIGN.md §9: exact counts and ranking over large match sets are what
make broad queries slow):

* Facets are counted in one pass with ``GROUPING SETS`` over the *relaxed* set — the query and the non-facet
  filters — with one ``count(*) FILTER (…)`` per facet that applies the *other* facet filters, so "江苏 (1,234)"
  is what choosing 江苏 would give, and a facet's counts add up to the total.
* Exact when small: a probe reads at most ``EXACT_LIMIT + 1`` rows of the relaxed set; if that is all of it, every
  count is computed exactly from those rows (no second pass).
* Estimated when large: otherwise the same pass runs over a block sample of the table (``TABLESAMPLE SYSTEM``)
  and is scaled up; such counts are marked estimated and shown rounded ("约 31万"). The total is still exact
  whenever a capped count of the full filter set finds at most ``EXACT_LIMIT`` rows.
* Relevance ranking ranks a capped candidate set: the first ``RANK_CANDIDATES`` matches when there are more
  (Google-style, results beyond ``MAX_RESULTS`` are not paged; the page says so).
"""

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import GraduateProfile, User
from employers.models import Employer, Industry, MembershipStatus, Ownership
from regions.models import City

from .filters import RANK_WEIGHTS, JobFilter, SortChoice, TsQuery, search_query
from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Education,
    EmploymentType,
    JobPosting,
    SavedJob,
    SavedSearch,
)
from .search import query_tokens, quote_lexeme

PAGE_SIZE = 20
MAX_RESULTS = 1000  # 50 pages; beyond that the graduate should narrow the search
RANK_CANDIDATES = MAX_RESULTS
EXACT_LIMIT = 1000  # relaxed sets up to this size are counted exactly (a probe reads at most this + 1 rows)
EXACT_MARGIN = 3  # a sampled estimate above EXACT_LIMIT × this is not checked by an exact capped count
# The block sample reads enough rows to see about SAMPLE_HITS matches, within these bounds: a broad query or a
# browse needs fewer rows than a narrow query for the same precision (counts are shown to two figures).
SAMPLE_HITS = 1_500
SAMPLE_ROWS_MIN, SAMPLE_ROWS_MAX = 5_000, 10_000
FACET_DIMENSIONS = ("place", "industry", "ownership", "education", "type")
_COLUMNS = ("city_id", "industry_id", "education", "employment_type", "employer_ownership")

T = TypeVar("T")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int | None  # None: not seen in an estimate's sample (may still exist)
    selected: bool
    url: str
    estimated: bool = False

    @property
    def count_display(self) -> str:
        return format_count(self.count, self.estimated)


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    clear_url: str | None = None  # set when this facet's filter is active

    @property
    def shown(self) -> list[FacetOption]:
        """Options worth a click: the selected one and those with (possibly unknown) matches."""
        return [o for o in self.options if o.selected or o.count is None or o.count > 0]


@dataclass
class DropSuggestion:
    label: str
    url: str
    count: int | None
    estimated: bool


@dataclass
class SearchPage:
    jobs: list
    total: int
    estimated: bool
    page: int
    num_pages: int
    sort: str
    query: str
    facets: list[Facet]
    errors: dict[str, list[str]]
    form: object = None
    query_string: str = ""  # the valid parameters without page, for pagination links
    page_clamped: bool = False
    capped: bool = False  # more results than can be paged
    suggestions: list[DropSuggestion] = field(default_factory=list)

    @property
    def total_display(self) -> str:
        return format_count(self.total, self.estimated)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def format_count(count: int | None, estimated: bool) -> str:
    """Exact counts with thousands separators; estimates rounded to two significant figures, e.g. "约 31万"."""
    if count is None:
        return ""
    if not estimated:
        return f"{count:,}"
    if count >= 10_000:
        rounded = _round_significant(count, 2)
        if (get_language() or "zh").startswith("zh"):
            return _("约 %(n)s万") % {"n": f"{rounded / 10_000:g}"}
        return _("约 %(n)s") % {"n": f"{rounded:,}"}
    return _("约 %(n)s") % {"n": f"{_round_significant(count, 2):,}"}


def _round_significant(value: int, digits: int) -> int:
    if value <= 0:
        return 0
    magnitude = 10 ** max(0, int(math.floor(math.log10(value))) - digits + 1)
    return int(round(value / magnitude) * magnitude)


# --- counting ---------------------------------------------------------------------------------------------------------


@dataclass
class _Counts:
    total: int
    estimated: bool
    by_dimension: dict[str, dict[str, int]]  # dimension → value → count (place: city codes)


def _flag(condition: Q | None) -> Value | ExpressionWrapper:
    if condition is None:
        return Value(True)
    return ExpressionWrapper(condition, output_field=BooleanField())


def _relaxed_with_flags(filterset: JobFilter, base: QuerySet) -> tuple[QuerySet, list[str]]:
    conditions = filterset.facet_conditions()
    relaxed = filterset.relaxed_queryset(base)
    if len(conditions) > 1:
        # Only rows failing at most one facet filter can count anywhere.
        misses = sum(
            (Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField()))
            for condition in conditions.values()
        )
        relaxed = relaxed.alias(facet_misses=misses).filter(facet_misses__lte=1)
    flags = [f"m_{dimension}" for dimension in FACET_DIMENSIONS]
    relaxed = relaxed.annotate(
        **{f"m_{dimension}": _flag(conditions.get(dimension)) for dimension in FACET_DIMENSIONS}
    ).values_list(*_COLUMNS, *flags)
    return relaxed, flags


def _count_rows(rows: Iterable[tuple]) -> dict[str, dict[str, int]]:
    by_dimension: dict[str, dict[str, int]] = {d: {} for d in FACET_DIMENSIONS}
    total = 0
    for row in rows:
        values = dict(zip(("place", "industry", "education", "type", "ownership"), row[:5], strict=True))
        matches = dict(zip(FACET_DIMENSIONS, row[5:], strict=True))
        for dimension in FACET_DIMENSIONS:
            if all(matches[other] for other in FACET_DIMENSIONS if other != dimension):
                bucket = by_dimension[dimension]
                key = str(values[dimension])
                bucket[key] = bucket.get(key, 0) + 1
        if all(matches.values()):
            total += 1
    by_dimension["_total"] = {"": total}
    return by_dimension


def _table_rows() -> int:
    def estimate() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'jobs_jobposting'::regclass")
            row = cursor.fetchone()
        return max(int(row[0]) if row else 0, 1)

    return cache.get_or_set("jobs:search:table-rows", estimate, 600) or 1


def _sampled_counts(relaxed: QuerySet, expected_rows: float) -> tuple[dict[str, dict[str, int]], float]:
    """The grouped counts over a block sample of the table, and the factor that scales them up."""
    table_rows = _table_rows()
    share = min(1.0, max(expected_rows, 1.0) / table_rows)
    sample_rows = min(SAMPLE_ROWS_MAX, max(SAMPLE_ROWS_MIN, SAMPLE_HITS / share))
    percent = min(100.0, max(0.01, 100.0 * sample_rows / table_rows))
    sql, params = relaxed.query.get_compiler(using=relaxed.db).as_sql()
    table = f"{connection.ops.quote_name(JobPosting._meta.db_table)}"
    # percent is a float we computed; REPEATABLE keeps an estimate stable between page loads
    sql = sql.replace(f"FROM {table}", f"FROM {table} TABLESAMPLE SYSTEM ({percent:.4f}) REPEATABLE (2018)", 1)
    names = [
        "city_id",
        "industry_id",
        "education",
        "employment_type",
        "ownership",
        *[f"m_{d}" for d in FACET_DIMENSIONS],
    ]
    others = {
        dimension: " AND ".join(f"m_{other}" for other in FACET_DIMENSIONS if other != dimension) or "TRUE"
        for dimension in FACET_DIMENSIONS
    }
    grouped = f"""
        SELECT GROUPING(city_id, industry_id, education, employment_type, ownership) AS g,
               city_id, industry_id, education, employment_type, ownership,
               count(*) FILTER (WHERE {others["place"]}) AS n_place,
               count(*) FILTER (WHERE {others["industry"]}) AS n_industry,
               count(*) FILTER (WHERE {others["education"]}) AS n_education,
               count(*) FILTER (WHERE {others["type"]}) AS n_type,
               count(*) FILTER (WHERE {others["ownership"]}) AS n_ownership,
               count(*) FILTER (WHERE {" AND ".join(f"m_{d}" for d in FACET_DIMENSIONS)}) AS n_total,
               count(*) AS n_rows
        FROM ({sql}) AS sample ({", ".join(names)})
        GROUP BY GROUPING SETS ((city_id), (industry_id), (education), (employment_type), (ownership), ())
    """  # noqa: S608 - only our own compiled SQL and fixed identifiers are interpolated; values stay parameters
    by_dimension: dict[str, dict[str, int]] = {d: {} for d in FACET_DIMENSIONS}
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        for g, city, industry, education, employment_type, ownership, *counts in cursor.fetchall():
            n_place, n_industry, n_education, n_type, n_ownership, n_total, n_rows = counts
            # GROUPING() bits, most significant first: city, industry, education, type, ownership
            if g == 0b01111:
                by_dimension["place"][city] = n_place
            elif g == 0b10111:
                by_dimension["industry"][industry] = n_industry
            elif g == 0b11011:
                by_dimension["education"][str(education)] = n_education
            elif g == 0b11101:
                by_dimension["type"][employment_type] = n_type
            elif g == 0b11110:
                by_dimension["ownership"][ownership] = n_ownership
            elif g == 0b11111:
                by_dimension["_total"] = {"": n_total}
                by_dimension["_rows"] = {"": n_rows}  # the relaxed rows that count anywhere (what a probe reads)
    return by_dimension, 100.0 / percent


def _capped_count(queryset: QuerySet, limit: int) -> int:
    return queryset.order_by().values("pk")[: limit + 1].count()


def _planned_rows(queryset: QuerySet) -> float:
    """How many rows PostgreSQL expects ``queryset`` to return (its plan, not a count: about a millisecond)."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"]


def count_matches(filterset: JobFilter, base: QuerySet, filtered: QuerySet) -> _Counts:
    """Total and facet counts: exact for small relaxed sets, a scaled block sample beyond ``EXACT_LIMIT``.

    The planner's row estimate (its lexeme statistics know "工程师" from "调香师") decides the order: a set it
    expects to be small is probed first and usually counted exactly from the probe alone; a set it expects to be
    large goes straight to the sample, and is probed only if the sample disagrees.
    """
    relaxed, _flags = _relaxed_with_flags(filterset, base)
    known_large = False

    def probe() -> _Counts | None:
        rows = list(relaxed.order_by()[: EXACT_LIMIT + 1])
        if len(rows) > EXACT_LIMIT:
            return None
        by_dimension = _count_rows(rows)
        return _Counts(total=by_dimension.pop("_total")[""], estimated=False, by_dimension=by_dimension)

    within_reach = EXACT_LIMIT * EXACT_MARGIN
    planned = _planned_rows(relaxed)
    if planned < within_reach:
        if (counts := probe()) is not None:
            return counts
        known_large = True
    sampled, scale = _sampled_counts(relaxed.order_by(), planned)
    by_dimension = {d: {k: round(v * scale) for k, v in counts.items()} for d, counts in sampled.items()}
    estimate = by_dimension.pop("_total", {}).get("", 0)
    relaxed_rows = by_dimension.pop("_rows", {}).get("", 0)
    if scale <= 1.0:
        # A small catalogue: the "sample" was the whole table, so these counts are exact.
        return _Counts(total=estimate, estimated=False, by_dimension=by_dimension)
    if not known_large and relaxed_rows < within_reach and (counts := probe()) is not None:
        return counts
    # Without facet filters the result set is the relaxed set, now known to be large; with them, a capped count
    # keeps a small total exact, unless the sample already puts it far beyond the cap (30+ sampled rows), where
    # that count would read thousands of rows to learn nothing the page shows.
    exact = EXACT_LIMIT + 1
    if filterset.facet_conditions() and estimate < within_reach:
        exact = _capped_count(filtered, EXACT_LIMIT)
    if exact <= EXACT_LIMIT:
        return _Counts(total=exact, estimated=False, by_dimension=by_dimension)
    # More than EXACT_LIMIT match; never show an estimate below that.
    return _Counts(total=max(estimate, EXACT_LIMIT + 1), estimated=True, by_dimension=by_dimension)


# --- results ----------------------------------------------------------------------------------------------------------


def ordered_results(filterset: JobFilter, filtered: QuerySet, *, total: int | None = None) -> QuerySet:
    """The filtered set in the chosen sort; relevance ranks at most ``RANK_CANDIDATES`` matches (all of them when
    ``total`` says there are no more; ``total=None``, as the API calls it, caps whenever ranking)."""
    if filterset.sort_order == SortChoice.RELEVANCE and (total is None or total > RANK_CANDIDATES):
        # The first RANK_CANDIDATES matches the index hands over, not the newest: ordering a broad match set by date
        # reads every match from the heap (3 s for 20k matches at 1M rows on this machine), this reads ~1,000.
        candidates = filtered.order_by().values("pk")[:RANK_CANDIDATES]
        return filterset.order(JobPosting.objects.filter(pk__in=candidates))
    return filterset.order(filtered)


def _capped_ranked_ids(filterset: JobFilter, filtered: QuerySet, *, offset: int, limit: int = PAGE_SIZE) -> list[int]:
    """A page of ids in ``ordered_results``' capped relevance order, each candidate ranked in the pass that finds
    it (ranking them by id afterwards read every candidate's row a second time)."""
    query = search_query(filterset.search_text)
    if query is None:  # only ranked when there is text to rank by (``ordered_results``)
        return list(filtered.order_by("-published_at", "-id").values_list("id", flat=True)[offset : offset + limit])
    candidates = (
        filtered.order_by()
        .annotate(rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS))
        .values("id", "published_at", "rank")[:RANK_CANDIDATES]
    )
    sql, params = candidates.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM ({sql}) AS c ORDER BY c.rank DESC, c.published_at DESC, c.id DESC LIMIT %s OFFSET %s",  # noqa: S608 - our own compiled SQL; values stay parameters
            [*params, limit, offset],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _ordered_ids(filterset: JobFilter, filtered: QuerySet, *, total: int, offset: int, limit: int) -> list[int]:
    if filterset.sort_order == SortChoice.RELEVANCE and total > RANK_CANDIDATES:
        return _capped_ranked_ids(filterset, filtered, offset=offset, limit=limit)
    ordered = ordered_results(filterset, filtered, total=total)
    return list(ordered.values_list("pk", flat=True)[offset : offset + limit])


def _page_of_results(
    filterset: JobFilter, filtered: QuerySet, *, total: int, offset: int, shared_key: str | None = None
) -> list:
    """One page, ordered by the chosen sort. Relevance ranks at most ``RANK_CANDIDATES`` matches.

    With ``shared_key`` the order of every pageable result (ids only) is shared through the cache like the counts
    (``_shared_counts``), so the next page or the next visitor reads just its twenty rows; those rows are always
    loaded fresh and through the visibility rule, so a vacancy closed or hidden since leaves the page at once."""
    # Order and cut the page on the vacancies' own columns first, then load only its rows with their employer,
    # place and industry (joining those for every ranked candidate cost more than the ranking). The list shows
    # neither the description nor the vector: leave both in storage.
    if shared_key is None:
        ids = _ordered_ids(filterset, filtered, total=total, offset=offset, limit=PAGE_SIZE)
        rows = JobPosting.objects.with_related().defer("description", "search_vector").in_bulk(ids)
    else:
        order = _shared(shared_key, lambda: _ordered_ids(filterset, filtered, total=total, offset=0, limit=MAX_RESULTS))
        ids = order[offset : offset + PAGE_SIZE]
        rows = JobPosting.objects.published().with_related().defer("description", "search_vector").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


# --- labels and links -------------------------------------------------------------------------------------------------


def _url(params: dict, **changes: Any) -> str:
    merged = {k: v for k, v in params.items() if k != "page"}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


def _facets(filterset: JobFilter, counts: _Counts, params: dict) -> list[Facet]:
    data = filterset.cleaned()
    estimated = counts.estimated
    facets: list[Facet] = []

    def option_count(dimension: str, key: str) -> int | None:
        value = counts.by_dimension[dimension].get(key, 0)
        return value if value or not estimated else None

    cities = list(City.objects.select_related("province").order_by("code"))
    province_counts: dict[str, int] = {}
    for city in cities:
        n = counts.by_dimension["place"].get(city.code, 0)
        province_counts[city.province_id] = province_counts.get(city.province_id, 0) + n
    chosen_province = data.get("province") or (data["city"].province if data.get("city") else None)
    provinces = {c.province_id: c.province for c in cities}
    facets.append(
        Facet(
            "province",
            _("省份"),
            [
                FacetOption(
                    code,
                    province.display_name,
                    province_counts.get(code) or (None if estimated else 0),
                    chosen_province is not None and chosen_province.pk == code,
                    _url(params, province=code, city=None),
                )
                for code, province in sorted(provinces.items())
            ],
            clear_url=_url(params, province=None, city=None) if chosen_province else None,
        )
    )
    if chosen_province is not None:
        # Cities within the chosen province, under every other filter (the place filter is the province alone).
        facets.append(
            Facet(
                "city",
                _("城市"),
                [
                    FacetOption(
                        c.code,
                        _("未写明城市") if c.is_province_level else c.local_name,
                        option_count("place", c.code),
                        data.get("city") is not None and data["city"].pk == c.code,
                        _url(params, province=c.province_id, city=c.code),
                    )
                    for c in sorted(cities, key=lambda c: (c.is_province_level, c.code))
                    if c.province_id == chosen_province.pk
                    # the province as a place, only when some vacancy is placed there (or it is the filter)
                    and (not c.is_province_level or counts.by_dimension["place"].get(c.code) or data.get("city") == c)
                ],
                clear_url=_url(params, city=None) if data.get("city") else None,
            )
        )
    facets.append(
        Facet(
            "industry",
            _("行业"),
            [
                FacetOption(
                    i.code,
                    i.name,
                    option_count("industry", i.code),
                    data.get("industry") is not None and data["industry"].pk == i.code,
                    _url(params, industry=i.code),
                )
                for i in Industry.objects.order_by("code")
            ],
            clear_url=_url(params, industry=None) if data.get("industry") else None,
        )
    )
    facets.append(
        Facet(
            "ownership",
            _("单位性质"),
            [
                FacetOption(
                    value,
                    str(label),
                    option_count("ownership", value),
                    data.get("ownership") == value,
                    _url(params, ownership=value),
                )
                for value, label in Ownership.choices
            ],
            clear_url=_url(params, ownership=None) if data.get("ownership") else None,
        )
    )
    # Education is "at most this level": each option counts the vacancies asking that level or less.
    per_level = counts.by_dimension["education"]
    running = 0
    education_options = []
    for value, label in Education.choices:
        running += per_level.get(str(value), 0)
        education_options.append(
            FacetOption(
                str(value),
                str(label) if value == Education.ANY else _("%(level)s及以下") % {"level": label},
                running or (None if estimated else 0),
                str(data.get("education", "")) == str(value),
                _url(params, education=value),
            )
        )
    facets.append(
        Facet(
            "education",
            _("学历要求"),
            education_options,
            clear_url=_url(params, education=None) if data.get("education") not in (None, "") else None,
        )
    )
    facets.append(
        Facet(
            "type",
            _("工作性质"),
            [
                FacetOption(
                    value, str(label), option_count("type", value), data.get("type") == value, _url(params, type=value)
                )
                for value, label in EmploymentType.choices
            ],
            clear_url=_url(params, type=None) if data.get("type") else None,
        )
    )
    for f in facets:
        for option in f.options:
            option.estimated = estimated
    return facets


FILTER_LABELS = {
    "q": _("关键词"),
    "province": _("省份"),
    "city": _("城市"),
    "industry": _("行业"),
    "ownership": _("单位性质"),
    "education": _("学历要求"),
    "type": _("工作性质"),
    "salary_min": _("月薪"),
    "posted_within": _("发布时间"),
    "fresh": _("应届生可投"),
    "fair": _("招聘会"),
}
_DIMENSION_OF = {"province": "place", "city": "place", "industry": "industry", "ownership": "ownership",
                 "education": "education", "type": "type"}  # fmt: skip


def _drop_suggestions(filterset: JobFilter, base: QuerySet, counts: _Counts, params: dict) -> list[DropSuggestion]:
    """On an empty page: what dropping each active filter would give, the most rewarding first.

    Facet counts are already "under the other filters", so their sum is what dropping that facet's filter gives;
    the other filters cost one capped count each (only on an empty page, at most five).
    """
    data = filterset.cleaned()
    suggestions = []
    for name in FILTER_LABELS:
        if name not in data:
            continue
        drops: dict = {name: None}
        dimension = _DIMENSION_OF.get(name)
        if dimension == "place":
            place = counts.by_dimension["place"]
            if name == "city" and "province" in data:
                prefix = data["province"].pk[:2]
                count = sum(n for code, n in place.items() if code.startswith(prefix))
            else:
                count = sum(place.values())
                drops = {"province": None, "city": None}
            estimated = counts.estimated
        elif dimension:
            count = sum(counts.by_dimension[dimension].values())
            estimated = counts.estimated
        else:
            reduced = {k: v for k, v in params.items() if k != name}
            count = _capped_count(JobFilter(reduced, queryset=base).qs, EXACT_LIMIT)
            estimated = count > EXACT_LIMIT
        if count:
            suggestions.append(DropSuggestion(FILTER_LABELS[name], _url(params, **drops), count, estimated))
    suggestions.sort(key=lambda s: -(s.count or 0))
    return suggestions


# --- the search -------------------------------------------------------------------------------------------------------


def _shared(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, shared by every process through the cache for ``SEARCH_CACHE_TTL`` seconds.

    A search's counts (the probe or the sample: most of its database time), the order of its results (ids only)
    and its facet links are the same for the next page, the next sort or the next visitor; the counts of a large set
    are estimates anyway. The result rows themselves are always read fresh and through the visibility rule, so a
    vacancy that closes or is hidden leaves every page at once, and its count within the TTL. Without the cache
    (Redis away) every request computes everything."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.SEARCH_CACHE_TTL)
    return value


def _shared_key(kind: str, clean_params: dict, *, ignore: tuple[str, ...]) -> str:
    same = sorted((k, v) for k, v in clean_params.items() if k not in ignore)
    return f"jobs:search:{kind}:" + hashlib.sha1(repr(same).encode(), usedforsecurity=False).hexdigest()


def job_search(params: Mapping[str, Any], *, page: str | int | None = 1, base: QuerySet | None = None) -> SearchPage:
    """Search the public catalogue with GET-style ``params``; never raises on bad input (see ``errors``)."""
    default_base = base is None
    base = JobPosting.objects.published() if base is None else base
    filterset = JobFilter(params, queryset=base)
    errors = {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
    clean_params = {
        name: str(params.get(name))
        for name in filterset.filters
        if name not in errors and params.get(name) not in (None, "")
    }
    filtered = filterset.qs.order_by()
    shared = default_base and not errors and settings.SEARCH_CACHE_TTL > 0
    if shared:
        counts = _shared(
            _shared_key("counts", clean_params, ignore=("page", "sort")),
            lambda: count_matches(filterset, base, filtered),
        )
    else:
        counts = count_matches(filterset, base, filtered)
    pageable = min(counts.total, MAX_RESULTS)
    num_pages = max(1, math.ceil(pageable / PAGE_SIZE))
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 0
    clamped = not 1 <= number <= num_pages
    number = min(max(number, 1), num_pages)
    jobs = _page_of_results(
        filterset,
        filtered,
        total=counts.total,
        offset=(number - 1) * PAGE_SIZE,
        shared_key=_shared_key("order", clean_params, ignore=("page",)) if shared else None,
    )
    result = SearchPage(
        jobs=jobs,
        total=counts.total,
        estimated=counts.estimated,
        page=number,
        num_pages=num_pages,
        sort=filterset.sort_order,
        query=filterset.search_text,
        facets=_shared(
            _shared_key(f"facets-{get_language()}", clean_params, ignore=("page",)),
            lambda: _facets(filterset, counts, clean_params),
        )
        if shared
        else _facets(filterset, counts, clean_params),
        errors=errors,
        form=filterset.form,
        query_string=urlencode(clean_params),
        page_clamped=clamped,
        capped=counts.total > MAX_RESULTS,
    )
    if not jobs and counts.total == 0:
        result.suggestions = _drop_suggestions(filterset, base, counts, clean_params)
    return result


def similar_jobs(job: JobPosting, *, limit: int = 5) -> list[JobPosting]:
    """Open vacancies like this one: sharing words of its title, same province first, best matches first."""
    words = [w for w in query_tokens(job.title) if len(w) > 1][:8]
    qs = JobPosting.objects.published().exclude(pk=job.pk)
    if not words:
        return list(
            qs.filter(industry_id=job.industry_id, city__province_id=job.city.province_id)
            .with_related()
            .order_by("-published_at")[:limit]
        )
    # Title (and employer-name) words only: weight A, so a shared word in a description is not "similar".
    query = TsQuery(" | ".join(f"{quote_lexeme(w)}:A" for w in words))
    candidates = qs.filter(search_vector=query).order_by("-published_at", "-id").values("pk")[:200]
    same_province = Case(
        When(city__province_id=job.city.province_id, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    ranked = (
        JobPosting.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS), same_province=same_province)
        .order_by("-same_province", "-rank", "-published_at")
    )
    return list(ranked.with_related().defer("description", "search_vector")[:limit])


def search_facets(filterset: JobFilter, base: QuerySet) -> tuple[int, bool, list[Facet]]:
    """The search page's total and facets for a bound ``filterset`` over ``base``, without a page of results (the
    API's facet endpoint): ``(total, estimated, facets)``."""
    counts = count_matches(filterset, base, filterset.qs.order_by())
    return counts.total, counts.estimated, _facets(filterset, counts, {})


# --- the catalogue in figures (home page) -----------------------------------------------------------------------------

CATALOGUE_FIGURES_KEY = "jobs:catalogue-figures"
CATALOGUE_FIGURES_TTL = 15 * 60  # refreshed every 5 minutes by Celery beat (jobs.refresh_catalogue_figures)


def compute_catalogue_figures() -> dict:
    """Open vacancies, positions and fresh-graduate vacancies, in total and by province: one pass over the public
    catalogue (about a second at a million vacancies, so the home page reads the cached copy)."""
    rows = list(
        JobPosting.objects.published()
        .order_by()
        .values("province_code")
        .annotate(
            vacancies=Count("id"),
            positions=Sum("headcount"),
            fresh=Count("id", filter=Q(fresh_graduate=True) | Q(employment_type=EmploymentType.CAMPUS)),
        )
    )
    by_province = {row["province_code"]: row["vacancies"] for row in rows}
    return {
        "vacancies": sum(by_province.values()),
        "positions": sum(row["positions"] or 0 for row in rows),
        "fresh": sum(row["fresh"] for row in rows),
        "by_province": by_province,
    }


def refresh_catalogue_figures() -> dict:
    figures = compute_catalogue_figures()
    cache.set(CATALOGUE_FIGURES_KEY, figures, CATALOGUE_FIGURES_TTL)
    return figures


def catalogue_figures() -> dict:
    """The cached figures (at most ~5 minutes old); computed on the spot only when the cache is cold."""
    return cache.get(CATALOGUE_FIGURES_KEY) or refresh_catalogue_figures()


# --- the graduate's pages and the résumé access rule ---


def applications_of(user: User) -> QuerySet:
    """The graduate's applications, newest first, with vacancy, employer and status history."""
    return (
        Application.objects.filter(graduate=user)
        .select_related("job__employer", "job__city__province")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")))
        .order_by("-created_at", "-id")
    )


def saved_jobs_of(user: User) -> QuerySet:
    return SavedJob.objects.filter(user=user).select_related("job__employer", "job__city__province")


def saved_searches_of(user: User) -> QuerySet:
    return SavedSearch.objects.filter(user=user)


def can_read_resume(*, viewer: User, profile: GraduateProfile) -> bool:
    """The owner, or an active recruiter of an employer the graduate applied to (and did not withdraw from)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == profile.user_id:
        return True
    return (
        Application.objects.filter(
            graduate_id=profile.user_id,
            job__employer__memberships__user=viewer,
            job__employer__memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    )


# --- the employer centre ---


def centre_jobs(employer: Employer) -> QuerySet:
    """The employer's vacancies, newest first, with applicant counts."""
    return (
        JobPosting.objects.filter(employer=employer)
        .select_related("city__province")
        .annotate(
            applicant_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN)),
            new_count=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)),
        )
        .order_by("-updated_at", "-id")
    )


def applicants_of(job: JobPosting) -> QuerySet:
    """A vacancy's applications, newest first, with the graduate's profile (one query, no N+1)."""
    return Application.objects.filter(job=job).select_related("graduate__profile", "job").order_by("-created_at", "-id")
