"""PROVISIONAL stand-in for the search page's FilterSet (``jobs/filters.py``, issue 3, branch ``search``).

The API must use the search page's own FilterSet so both read parameters alike; until that lands, this one takes
the same parameter names so the API, its schema and its tests can be built. Replace the import in ``api/views.py``
and delete this file when ``jobs/filters.py`` is on main.
"""

from datetime import timedelta

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from employers.models import Ownership
from jobs.models import Education, EmploymentType
from jobs.search import query_literal

SORTS = (("newest", "newest"), ("salary", "salary"), ("relevance", "relevance"))


class JobFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q")
    province = django_filters.CharFilter(field_name="city__province_id")
    city = django_filters.CharFilter(field_name="city_id")
    industry = django_filters.CharFilter(field_name="industry_id")
    ownership = django_filters.ChoiceFilter(field_name="employer__ownership", choices=Ownership.choices)
    education = django_filters.TypedChoiceFilter(
        field_name="education", lookup_expr="lte", choices=Education.choices, coerce=int
    )
    type = django_filters.ChoiceFilter(field_name="employment_type", choices=EmploymentType.choices)
    salary_min = django_filters.NumberFilter(field_name="salary_max", lookup_expr="gte", min_value=0)
    posted_within = django_filters.TypedChoiceFilter(
        method="filter_posted_within", choices=((1, 1), (3, 3), (7, 7), (30, 30)), coerce=int
    )
    fresh = django_filters.BooleanFilter(method="filter_fresh")
    fair = django_filters.CharFilter(field_name="fair__slug")
    sort = django_filters.ChoiceFilter(method="filter_sort", choices=SORTS, empty_label=None)

    def filter_q(self, queryset, name, value):
        literal = query_literal(value)
        if literal is None:
            return queryset
        query = SearchQuery(literal, search_type="raw", config="simple")
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

    @extend_schema_field({"type": "integer", "enum": [1, 3, 7, 30]})
    def filter_posted_within(self, queryset, name, value):
        return queryset.filter(published_at__gte=timezone.now() - timedelta(days=value))

    def filter_fresh(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(fresh_graduate=True) | Q(employment_type=EmploymentType.CAMPUS))

    def filter_sort(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        if sort == "salary":
            return queryset.order_by(F("salary_max").desc(nulls_last=True), "-published_at", "-id")
        if sort == "relevance" and "rank" in queryset.query.annotations:
            return queryset.order_by("-rank", "-published_at", "-id")
        return queryset.order_by("-published_at", "-id")


def job_facets(queryset) -> dict:
    """PROVISIONAL stand-in for ``jobs.selectors`` facets (issue 3)."""
    from django.db.models import Count

    from employers.models import Industry
    from regions.models import Province

    provinces = dict(Province.objects.values_list("code", "name"))
    industries = dict(Industry.objects.values_list("code", "name"))
    base = queryset.order_by()

    def counts(field, labels):
        rows = base.values(field).annotate(n=Count("id")).order_by("-n")
        return [{"value": str(r[field]), "label": str(labels.get(r[field], r[field])), "count": r["n"]} for r in rows]

    return {
        "total": base.count(),
        "facets": {
            "province": counts("city__province_id", provinces),
            "industry": counts("industry_id", industries),
            "ownership": counts("employer__ownership", dict(Ownership.choices)),
            "education": counts("education", dict(Education.choices)),
            "type": counts("employment_type", dict(EmploymentType.choices)),
        },
    }
