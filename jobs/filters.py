"""The catalogue's search filters, defined once: the search page and the API (``/api/v1/jobs/``) both use ``JobFilter``.

``JobFilter(params, queryset=JobPosting.objects.published()).qs`` is the filtered, ordered queryset. Invalid values
(an unknown city code, ``salary_min=abc``) make ``is_valid()`` false with a message per field; callers show the
messages and search without the bad parameter rather than fail.

Filters are of two kinds. *Facet* filters (place, industry, ownership, education, type) are the dimensions the
page counts; ``facet_conditions()`` returns each as a ``Q`` so ``jobs.selectors`` can count every facet "under the
other filters" in one pass. The rest (``q``, salary, date, fresh-graduate, fair) narrow the set the facets count.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from employers.models import Industry, Ownership
from regions.models import City, Province

from .models import Education, EmploymentType, JobPosting
from .search import query_literal

MAX_QUERY_CHARS = 100
MAX_SALARY = 1_000_000
# Rank weights for D, C, B, A: a title/employer match (A) counts ten times a description-only match (C).
RANK_WEIGHTS = [0.05, 0.1, 0.4, 1.0]


class SortChoice:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    SALARY = "salary"
    CHOICES = [(RELEVANCE, _("相关度")), (NEWEST, _("最新发布")), (SALARY, _("薪资最高"))]


POSTED_WITHIN_CHOICES = [("1", _("一天内")), ("3", _("三天内")), ("7", _("一周内")), ("30", _("一个月内"))]
EDUCATION_FILTER_CHOICES = [(str(value), label) for value, label in Education.choices]


class TsQuery(SearchQuery):
    """A ``tsquery`` built by ``jobs.search.query_literal`` and cast as is (no PostgreSQL parser: "c++" stays)."""

    def __init__(self, literal: str):
        super().__init__(Value(literal))

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::tsquery", params


def search_query(text: str | None) -> TsQuery | None:
    literal = query_literal(text)
    return TsQuery(literal) if literal else None


def salary_upper_bound():
    """What a vacancy pays at most per month (its max, or its min when only "8K以上" is known)."""
    return Coalesce("salary_max", "salary_min")


def _fairs(request=None):
    """Every fair, by slug: the model a vacancy's own ``fair`` foreign key points at (fairs are built on vacancies,
    so this module does not import them)."""
    return JobPosting._meta.get_field("fair").related_model._default_manager.all()


class JobFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        max_length=MAX_QUERY_CHARS,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("职位、公司、技能，如：Java 苏州")}),
    )
    province = django_filters.ModelChoiceFilter(
        label=_("省份"),
        queryset=Province.objects.all(),
        method="filter_province",
        empty_label=_("全部省份"),
    )
    city = django_filters.ModelChoiceFilter(
        label=_("城市"), queryset=City.objects.select_related("province"), empty_label=_("全部城市")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业"), queryset=Industry.objects.all(), empty_label=_("全部行业")
    )
    ownership = django_filters.ChoiceFilter(
        label=_("单位性质"), field_name="employer_ownership", choices=Ownership.choices, empty_label=_("不限")
    )
    education = django_filters.ChoiceFilter(
        label=_("学历要求（最高）"), choices=EDUCATION_FILTER_CHOICES, method="filter_education", empty_label=_("不限")
    )
    type = django_filters.ChoiceFilter(
        label=_("工作性质"), field_name="employment_type", choices=EmploymentType.choices, empty_label=_("不限")
    )
    salary_min = django_filters.NumberFilter(
        label=_("月薪不低于（元）"), method="filter_salary_min", min_value=0, max_value=MAX_SALARY
    )
    posted_within = django_filters.ChoiceFilter(
        label=_("发布时间"), choices=POSTED_WITHIN_CHOICES, method="filter_posted_within", empty_label=_("不限")
    )
    fresh = django_filters.ChoiceFilter(
        label=_("应届生可投"), choices=[("1", _("只看应届生可投"))], method="filter_fresh", empty_label=_("不限")
    )
    fair = django_filters.ModelChoiceFilter(
        label=_("招聘会"), queryset=_fairs, to_field_name="slug", empty_label=_("全部")
    )
    sort = django_filters.ChoiceFilter(
        label=_("排序"), choices=SortChoice.CHOICES, method="filter_sort", empty_label=None, null_label=None
    )

    FACET_FILTERS = ("province", "city", "industry", "ownership", "education", "type")

    class Meta:
        model = JobPosting
        fields: list[str] = []

    # --- the filters --------------------------------------------------------------------------------------------

    def filter_q(self, queryset, name, value):
        query = search_query(value)
        if query is None:
            return queryset
        return queryset.filter(search_vector=query)

    @extend_schema_field(OpenApiTypes.STR)  # a province code, e.g. 320000 (the OpenAPI schema's type)
    def filter_province(self, queryset, name, value):
        # On the vacancy's own province_code rather than through a join with regions_city: PostgreSQL then knows the
        # province's share from that column's statistics. Through the join it guessed 0.4 % for Jiangsu's 22 % at a
        # million vacancies and sorted all 220,000 matches for a 1,000-row API page (2.5 s); a list of the province's
        # city codes let it intersect the city index with the search index (352k entries for Shanghai, 250 ms).
        return queryset.filter(province_code=value.pk)

    def filter_education(self, queryset, name, value):
        return queryset.filter(education__lte=int(value))

    def filter_salary_min(self, queryset, name, value):
        # Compared as "upper bound + 0": the same number, but not the expression of the salary sort's index, which
        # the planner would otherwise AND into a text search as a bitmap of most of the catalogue (713k entries for
        # "at least 8,000", 100 ms) to skip a third of the rows. Statistics on this expression: migration jobs.0012.
        return queryset.alias(salary_upper=salary_upper_bound() + 0).filter(
            salary_upper__gte=int(value), salary_negotiable=False
        )

    def filter_posted_within(self, queryset, name, value):
        return queryset.filter(published_at__gte=timezone.now() - timedelta(days=int(value)))

    def filter_fresh(self, queryset, name, value):
        return queryset.filter(fresh_graduate=True)

    def filter_sort(self, queryset, name, value):
        return queryset  # ordering is applied in ``filter_queryset`` once every filter is known

    # --- what the page and the API need -------------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        # cleaned_data keeps the valid fields even when another one is invalid (that one is ignored, not fatal)
        return (self.cleaned().get("q") or "").strip() if self.is_bound else ""

    @property
    def sort_order(self) -> str:
        chosen = self.cleaned().get("sort", "") if self.is_bound else ""
        if chosen in (SortChoice.NEWEST, SortChoice.SALARY):
            return chosen
        if chosen == SortChoice.RELEVANCE and search_query(self.search_text):
            return SortChoice.RELEVANCE
        return SortChoice.RELEVANCE if search_query(self.search_text) else SortChoice.NEWEST

    def filter_queryset(self, queryset):
        return self.order(super().filter_queryset(queryset))

    def order(self, queryset):
        """Order by the chosen sort; relevance ranks title/employer matches above description-only ones."""
        sort = self.sort_order
        if sort == SortChoice.RELEVANCE:
            query = search_query(self.search_text)
            return queryset.annotate(rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)).order_by(
                "-rank", "-published_at", "-id"
            )
        if sort == SortChoice.SALARY:
            return queryset.alias(salary_upper=salary_upper_bound()).order_by(
                F("salary_upper").desc(nulls_last=True), "-published_at", "-id"
            )
        return queryset.order_by("-published_at", "-id")

    def cleaned(self) -> dict:
        """The valid, non-empty parameters (invalid ones are dropped; see ``errors``)."""
        self.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "", [])}

    def facet_conditions(self) -> dict[str, Q]:
        """Each active facet filter as a ``Q``, keyed by dimension (``place`` covers province and city)."""
        data = self.cleaned()
        conditions: dict[str, Q] = {}
        place = Q()
        if data.get("province"):
            place &= Q(province_code=data["province"].pk)
        if data.get("city"):
            place &= Q(city_id=data["city"].pk)
        if place:
            conditions["place"] = place
        if data.get("industry"):
            conditions["industry"] = Q(industry_id=data["industry"].pk)
        if data.get("ownership"):
            conditions["ownership"] = Q(employer_ownership=data["ownership"])
        if data.get("education") not in (None, ""):
            conditions["education"] = Q(education__lte=int(data["education"]))
        if data.get("type"):
            conditions["type"] = Q(employment_type=data["type"])
        return conditions

    def relaxed_queryset(self, queryset):
        """The queryset with every filter except the facet filters (what facets count over), unordered."""
        data = self.cleaned()
        for name, value in data.items():
            if name in self.FACET_FILTERS or name == "sort":
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset
