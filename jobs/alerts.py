"""Saved searches: what a stored querystring matches, how it reads, and the signed unsubscribe link.

A saved search stores the search page's GET parameters, and ``matching_jobs`` hands them to the search page's own
FilterSet, so an alert selects exactly what the page shows.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from regions.models import City, Province

from .filters import JobFilter
from .models import Education, EmploymentType, JobPosting, JobPostingQuerySet, SavedSearch

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


def matching_jobs(querystring: str) -> JobPostingQuerySet:
    """Published vacancies the search page lists for ``querystring``: its own FilterSet, bad values dropped alike."""
    return JobFilter(QueryDict(querystring), queryset=JobPosting.objects.published()).qs


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
