"""Reads behind the API and the outbound feed."""

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from employers.models import Employer, Industry
from fairs.models import ExhibitorStatus, Fair, FairOrganiser, Participation, Registration, RegistrationStatus
from jobs.models import Application, JobPosting, JobStatus
from regions.models import City, TalentCentre

_SPACE_FOR_PLUS = re.compile(r" (\d\d(?::?\d\d)?)$")


def parse_updated_since(raw: str) -> datetime:
    """An ISO 8601 timestamp (or date) from a query string; without an offset it is Asia/Shanghai time.

    An unencoded "+08:00" arrives as " 08:00" (a "+" in a query string is a space), so that is read as "+".
    """
    text = _SPACE_FOR_PLUS.sub(r"+\1", raw.strip())
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime(day.year, day.month, day.day) if day else None  # noqa: DTZ001 - made aware below
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "updated_since": [
                    _("无法识别的时间“%(value)s”，请使用 ISO 8601 格式，如 2026-03-01T08:00:00+08:00。")
                    % {"value": raw[:50]}
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # In UTC, so odd offsets ("-23:41", which PostgreSQL refuses) never reach the database; years 1 and 9999 are
    # clamped, since they may not survive the conversion.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if moment.year < 5000 else datetime.max.replace(tzinfo=UTC)


# What the API reads of a vacancy, as values() (no model instances: a partner's page can hold 1,000 rows). The names
# of its city, province, industry, fair and source centre are added by ``with_reference_names``.
JOB_VALUES = (
    "id",
    "title",
    "description",
    "address",
    "category",
    "tags",
    "employment_type",
    "education",
    "experience",
    "headcount",
    "salary_min",
    "salary_max",
    "salary_months",
    "salary_negotiable",
    "salary_text",
    "fresh_graduate",
    "cohort",
    "remote",
    "status",
    "published_at",
    "valid_through",
    "closed_at",
    "updated_at",
    "employer_id",
    "employer__name",
    "employer__uscc",
    "employer__ownership",
    "employer_public",
    "city_id",
    "industry_id",
    "fair_id",
    "source_id",
)


def jobs_public() -> QuerySet[JobPosting]:
    """Open vacancies, as the search page lists them (model rows: filter, then read with ``JOB_VALUES``)."""
    return JobPosting.objects.published()


def jobs_changed_since(since: datetime) -> QuerySet[JobPosting]:
    """Every vacancy that has ever been public and changed at or after ``since``, whatever its status now (closed,
    expired, withdrawn), oldest change first, so a partner can keep an exact mirror."""
    return JobPosting.objects.filter(published_at__isnull=False, updated_at__gte=since).order_by("updated_at", "id")


def job_rows(pks: Iterable[int]) -> list[dict]:
    """``job_row`` for many vacancies at once (those ever public)."""
    rows = list(JobPosting.objects.filter(pk__in=list(pks), published_at__isnull=False).values(*JOB_VALUES))
    return with_reference_names(rows)


def job_row(pk: int) -> dict | None:
    """One vacancy that has ever been public, as a ``JOB_VALUES`` row with its names (the serializer hides a
    withdrawn one's text)."""
    row = JobPosting.objects.filter(pk=pk, published_at__isnull=False).values(*JOB_VALUES).first()
    return with_reference_names([row])[0] if row else None


def with_reference_names(rows: list[dict]) -> list[dict]:
    """Add to ``JOB_VALUES`` rows the names of their city, its province, their industry, fair and source centre
    (``city__name``, ``city__province_id``, ``city__province__name``, ``industry__name``, ``fair__slug``,
    ``fair__name``, ``source__slug``), read for the codes on the page in one small query per kind.

    Not joined into the page's query: with these five tables beside the vacancy and its employer, PostgreSQL spent
    ~30 ms planning each request (the join order search over seven tables) at a million vacancies, more than a
    1,000-row page takes to read.
    """
    if not rows:
        return rows
    cities = {
        code: (name, province, province_name)
        for code, name, province, province_name in City.objects.filter(
            code__in={row["city_id"] for row in rows}
        ).values_list("code", "name", "province_id", "province__name")
    }
    industries = dict(
        Industry.objects.filter(code__in={row["industry_id"] for row in rows}).values_list("code", "name")
    )
    fair_ids = {row["fair_id"] for row in rows if row["fair_id"] is not None}
    fairs = (
        {pk: (slug, name) for pk, slug, name in Fair.objects.filter(pk__in=fair_ids).values_list("pk", "slug", "name")}
        if fair_ids
        else {}
    )
    source_ids = {row["source_id"] for row in rows if row["source_id"] is not None}
    centres = dict(TalentCentre.objects.filter(pk__in=source_ids).values_list("pk", "slug")) if source_ids else {}
    for row in rows:
        row["city__name"], row["city__province_id"], row["city__province__name"] = cities[row["city_id"]]
        row["industry__name"] = industries[row["industry_id"]]
        fair = fairs.get(row["fair_id"])
        if fair is None:  # none, or deleted since the page was read (the vacancy's fair is then set to NULL)
            row["fair_id"], row["fair__slug"], row["fair__name"] = None, None, None
        else:
            row["fair__slug"], row["fair__name"] = fair
        row["source__slug"] = centres.get(row["source_id"])
    return rows


def jobs_for_feed() -> QuerySet[JobPosting]:
    """Open vacancies with everything ``job_posting_jsonld`` reads, in one query per batch."""
    return (
        JobPosting.objects.published()
        .with_related()
        .select_related("employer__city__province")
        .defer("search_vector")  # never shown, and large
    )


def employers_public() -> QuerySet[Employer]:
    return Employer.objects.public().select_related("city__province", "industry").order_by("id")


def fairs_with_totals() -> QuerySet[Fair]:
    """Listed fairs (not drafts) with their approved exhibitors' totals and organisers."""
    approved = Q(participations__status=ExhibitorStatus.APPROVED)
    return (
        Fair.objects.listed()
        .select_related("city")
        .prefetch_related(Prefetch("organisers", queryset=FairOrganiser.objects.select_related("centre")))
        .annotate(
            employer_count=Count("participations", filter=approved),
            position_count=Coalesce(Sum("participations__positions", filter=approved), 0),
            registered_count=_count(Registration.objects.filter(status=RegistrationStatus.REGISTERED)),
            waitlisted_count=_count(Registration.objects.filter(status=RegistrationStatus.WAITLISTED)),
            checked_in_count=_count(Registration.objects.filter(checked_in_at__isnull=False)),
            application_count=_count(Application.objects.all()),
        )
        .order_by("-starts_on", "-id")
    )


def _count(rows: QuerySet) -> Coalesce:
    """A per-fair count as a subquery (so the exhibitor join above does not multiply it)."""
    counted = rows.filter(fair=OuterRef("pk")).order_by().values("fair").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), 0)


def fair_participants(fair: Fair) -> QuerySet[Participation]:
    """A fair's public exhibitor list: approved exhibitors of public employers, once staff published it."""
    if not fair.exhibitors_published:
        return Participation.objects.none()
    return (
        Participation.objects.approved()
        .filter(fair=fair, employer__in=employers_public())
        .select_related("employer__city__province", "employer__industry", "booth__zone")
        .order_by("id")  # keyset pagination walks ids
    )


FEED_VALIDATORS_KEY = "api:feed-validators"


def feed_validators_cached() -> tuple[str, datetime | None]:
    """``feed_validators()`` shared through Redis: at a million vacancies the aggregate takes seconds and partners
    poll, so Celery beat recomputes it every ``FEED_VALIDATORS_TTL`` seconds (``api.refresh_feed_validators``) and a
    request computes it only on a cold cache. The feed may so lag a change by about that long."""
    if settings.FEED_VALIDATORS_TTL <= 0:
        return feed_validators()
    return cache.get(FEED_VALIDATORS_KEY) or refresh_feed_validators()


def refresh_feed_validators() -> tuple[str, datetime | None]:
    validators = feed_validators()
    # Kept for three refresh periods, so a late beat never leaves a partner's request to count the catalogue.
    cache.set(FEED_VALIDATORS_KEY, validators, 3 * max(settings.FEED_VALIDATORS_TTL, 1))
    return validators


def feed_validators(now: datetime | None = None) -> tuple[str, datetime | None]:
    """ETag and Last-Modified of the outbound feed from one aggregate query, without rendering it.

    The feed changes when an open vacancy changes (max updated_at), when one leaves or joins the set (count), when
    an employer's state changes (max employer updated_at) or when a vacancy's validity runs out without a write
    (the latest valid_through already passed by a still-published vacancy).
    """
    now = now or timezone.now()
    visible = Q(valid_through__isnull=True) | Q(valid_through__gte=now)
    public = visible & Q(employer_public=True)
    row = JobPosting.objects.filter(status=JobStatus.PUBLISHED).aggregate(
        n=Count("id", filter=public),
        changed=Max("updated_at", filter=public),
        employers=Max("employer__updated_at", filter=visible),
        lapsed=Max("valid_through", filter=Q(valid_through__lt=now)),
    )
    moments = [m for m in (row["changed"], row["employers"], row["lapsed"]) if m]
    last_modified = max(moments) if moments else None
    stamp = "-".join(
        [str(row["n"])]
        + [str(int(m.timestamp() * 1_000_000)) if m else "0" for m in (row["changed"], row["employers"], row["lapsed"])]
    )
    return f'"jobs-{stamp}"', last_modified
