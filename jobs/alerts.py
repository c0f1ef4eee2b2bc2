"""Saved searches: what a stored querystring matches, how it reads, and the signed unsubscribe link.

A saved search stores the search page's GET parameters. ``matching_jobs`` must select exactly what the search page
shows for them. Until the search page's FilterSet (jobs/filters.py on the search branch) is on main, this module
applies the same parameters itself; once it is, ``matching_jobs`` hands the parameters to that FilterSet.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.models import City, Province

from .models import Education, EmploymentType, JobPosting, SavedSearch
from .search import query_literal

# Parameters that change the result set; paging, ordering and view switches are not part of a saved search.
IGNORED_PARAMETERS = {"page", "sort", "order", "view", "partial", "csrfmiddlewaretoken"}
UNSUBSCRIBE_SALT = "jobs.saved_search.unsubscribe"


def normalise_querystring(querystring: str) -> str:
    """Sorted, without empty values or paging, so the same search saved twice is one saved search."""
    params = QueryDict((querystring or "").lstrip("?"))
    pairs = sorted(
        (key, value.strip())
        for key, values in params.lists()
        if key not in IGNORED_PARAMETERS
        for value in values
        if value.strip()
    )
    return urlencode(pairs)


def _search_filterset():
    """The search page's FilterSet (``jobs.filters.JobFilter``), or None while it is not on this branch."""
    try:
        from .filters import JobFilter
    except ImportError:
        return None
    return JobFilter


def matching_jobs(querystring: str) -> QuerySet:
    """Published vacancies the search page would list for ``querystring``.

    With the search page's ``JobFilter`` present this is exactly its queryset (invalid parameters dropped, as the
    page does); otherwise the same parameters are applied here.
    """
    params = QueryDict(querystring)
    filterset = _search_filterset()
    if filterset is not None:
        return filterset(params, queryset=JobPosting.objects.published()).qs
    jobs = JobPosting.objects.published()
    literal = query_literal(params.get("q"))
    if params.get("q") and literal:
        jobs = jobs.filter(search_vector=SearchQuery(literal, search_type="raw", config="simple"))
    provinces = [value for value in params.getlist("province") if value]
    if provinces:
        jobs = jobs.filter(city__province_id__in=provinces)
    cities = [value for value in params.getlist("city") if value]
    if cities:
        jobs = jobs.filter(city_id__in=cities)
    industries = [value for value in params.getlist("industry") if value]
    if industries:
        jobs = jobs.filter(industry_id__in=industries)
    types = [
        value for value in params.getlist("type") + params.getlist("employment_type") if value in EmploymentType.values
    ]
    if types:
        jobs = jobs.filter(employment_type__in=types)
    education = params.get("education")
    if education and education.isdigit():
        jobs = jobs.filter(education__lte=int(education))
    ownership = [value for value in params.getlist("ownership") if value]
    if ownership:
        jobs = jobs.filter(employer__ownership__in=ownership)
    if params.get("fresh") in ("1", "true", "on"):
        jobs = jobs.filter(Q(fresh_graduate=True) | Q(employment_type=EmploymentType.CAMPUS))
    salary = params.get("salary_min")
    if salary and salary.isdigit():
        jobs = jobs.filter(salary_max__gte=int(salary))
    return jobs


def describe_query(querystring: str) -> str:
    """A short human label for a saved search: 「Java」· 上海 · 本科."""
    params = QueryDict(querystring)
    parts = []
    if params.get("q"):
        parts.append(f"「{params['q']}」")
    codes = params.getlist("province")
    parts += list(Province.objects.filter(code__in=codes).values_list("name", flat=True))
    codes = params.getlist("city")
    parts += list(City.objects.filter(code__in=codes).values_list("name", flat=True))
    education = params.get("education")
    if education and education.isdigit() and int(education) in Education.values:
        parts.append(str(Education(int(education)).label))
    for value in params.getlist("type") + params.getlist("employment_type"):
        if value in EmploymentType.values:
            parts.append(str(EmploymentType(value).label))
    return " · ".join(parts) or _("全部职位")


def unsubscribe_token(search: SavedSearch) -> str:
    return signing.dumps({"s": search.pk, "u": search.user_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def search_from_token(token: str) -> SavedSearch | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return SavedSearch.objects.filter(pk=data.get("s"), user_id=data.get("u")).first()


def unsubscribe_url(search: SavedSearch) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("jobs:alert_unsubscribe", args=[unsubscribe_token(search)])


def search_page_url(search: SavedSearch) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("jobs:list") + "?" + search.querystring
