"""Reads about fairs, shared by the ``fair_stats`` command, the public fair page and the admin dashboard."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from accounts.services import study_province_choices
from employers.models import Ownership
from jobs.models import Application, JobPosting, JobStatus
from regions.models import Province

from .models import Fair, FairOrganiser, Participation, Registration, RegistrationStatus

MANUFACTURING_AND_SOFTWARE = ("C", "I")


def _bucket() -> dict[str, int]:
    return {"employers": 0, "positions": 0}


def fair_statistics(fair: Fair) -> dict:
    """The fair's figures from its approved exhibitors, in one query.

    Employers are counted by their own city's province (not where their vacancies are); positions are the
    positions each employer offers at the fair (``Participation.positions``). Shape::

        {"fair": slug, "employers": N, "positions": N,
         "by_ownership": {"state": {"employers": N, "positions": N}, "private": …, "foreign": …, "other": …},
         "by_province": {"310000": {…}, "320000": {…}, "330000": {…}, "340000": {…}},
         "by_industry": {"C": {…}, …},   # only sections with employers, in code order
         "share_c_plus_i": 0.496}        # employers in C or I ÷ employers, 3 decimals (0.0 for an empty fair)

    Every ownership class and every province is present, with zeros where there is no one.
    """
    rows = (
        Participation.objects.approved()
        .filter(fair=fair)
        .values("employer__ownership", "employer__city__province_id", "employer__industry_id")
        .annotate(employers=Count("id"), positions=Sum("positions"))
        .order_by()
    )
    by_ownership = {choice.value: _bucket() for choice in Ownership}
    by_province = {code: _bucket() for code in Province.objects.order_by("code").values_list("code", flat=True)}
    by_industry: dict[str, dict[str, int]] = {}
    employers = positions = 0
    for row in rows:
        count, offered = row["employers"], row["positions"] or 0
        employers += count
        positions += offered
        for bucket in (
            by_ownership.setdefault(row["employer__ownership"], _bucket()),
            by_province.setdefault(row["employer__city__province_id"], _bucket()),
            by_industry.setdefault(row["employer__industry_id"], _bucket()),
        ):
            bucket["employers"] += count
            bucket["positions"] += offered
    c_plus_i = sum(by_industry.get(code, {}).get("employers", 0) for code in MANUFACTURING_AND_SOFTWARE)
    return {
        "fair": fair.slug,
        "employers": employers,
        "positions": positions,
        "by_ownership": by_ownership,
        "by_province": by_province,
        "by_industry": dict(sorted(by_industry.items())),
        "share_c_plus_i": round(c_plus_i / employers, 3) if employers else 0.0,
    }


def applications_per_day(fair: Fair, *, days: int = 30) -> list[tuple[date, int]]:
    """Applications to the fair's vacancies per day (Asia/Shanghai), for the ``days`` up to the latest one, with
    zeros for quiet days; empty when there are none."""
    counts = dict(
        Application.objects.filter(job__fair=fair)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
        .order_by()
    )
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - timedelta(days=days - 1))
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range((last - first).days + 1)
    ]


def pending_review_by_province(jobs: QuerySet[JobPosting] | None = None) -> dict[str, int]:
    """Vacancies waiting for review per province of their place (every province present, zeros included)."""
    jobs = JobPosting.objects.all() if jobs is None else jobs
    counts = dict(
        jobs.filter(status=JobStatus.PENDING)
        .values_list("city__province_id")
        .annotate(n=Count("id"))
        .values_list("city__province_id", "n")
        .order_by()
    )
    return {code: counts.get(code, 0) for code in Province.objects.order_by("code").values_list("code", flat=True)}


# --- who may act on what --------------------------------------------------------------------------------------


def is_fair_host(user: User, fair: Fair) -> bool:
    """Superusers and the staff of the fair's host centre run the fair: its state, plan and whole exhibitor list."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or (user.centre_id is not None and user.centre_id == fair.host_centre_id)


def is_fair_organiser(user: User, fair: Fair) -> bool:
    """The host, or staff of a centre organising the fair (any role): they staff its check-in."""
    if is_fair_host(user, fair):
        return True
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.centre_id is not None
        and FairOrganiser.objects.filter(fair=fair, centre_id=user.centre_id).exists()
    )


def exhibitor_scope(user: User, fair: Fair) -> str | None:
    """Which of a fair's exhibitors a staff member acts on: None = all (host centre, superusers), a province code
    = the exhibitors from that province (a co-organising centre's staff), "" = none."""
    if is_fair_host(user, fair):
        return None
    if is_fair_organiser(user, fair) and user.centre is not None:
        return user.centre.province_id
    return ""


def participations_for_staff(user: User, queryset: QuerySet | None = None) -> QuerySet[Participation]:
    """``exhibitor_scope`` as a queryset filter over many fairs (the admin's exhibitor queue)."""
    queryset = Participation.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    if not user.is_staff or user.centre is None:
        return queryset.none()
    co_organises = Exists(FairOrganiser.objects.filter(fair=OuterRef("fair"), centre_id=user.centre_id))
    return queryset.filter(
        Q(fair__host_centre_id=user.centre_id) | (co_organises & Q(employer__city__province_id=user.centre.province_id))
    )


def fairs_for_staff(user: User, queryset: QuerySet | None = None) -> QuerySet[Fair]:
    """Fairs a staff member organises (host or co-organiser); superusers: all."""
    queryset = Fair.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    if not user.is_staff or user.centre_id is None:
        return queryset.none()
    return queryset.filter(
        Q(host_centre_id=user.centre_id)
        | Exists(FairOrganiser.objects.filter(fair=OuterRef("pk"), centre_id=user.centre_id))
    )


# --- the fair day and its report --------------------------------------------------------------------------------


def fair_counters(fair: Fair) -> dict[str, int]:
    """The public counters: graduates registered (holding a place), checked in, on the waitlist, and applications
    made at or through the fair. Counts only; never anyone's data."""
    registrations = Registration.objects.filter(fair=fair).aggregate(
        registered=Count("id", filter=Q(status=RegistrationStatus.REGISTERED)),
        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    return {**registrations, "applications": Application.objects.filter(fair=fair).count()}


def graduates_by_study_province(fair: Fair) -> dict[str, dict[str, int]]:
    """Graduates holding a place, by the province they study in (as registered), with how many came."""
    rows = (
        Registration.objects.filter(fair=fair, status=RegistrationStatus.REGISTERED)
        .values("study_province")
        .annotate(registered=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    )
    counts: dict[str, Mapping[str, Any]] = {row["study_province"]: row for row in rows}
    return {
        code: {
            "registered": counts.get(code, {}).get("registered", 0),
            "checked_in": counts.get(code, {}).get("checked_in", 0),
        }
        for code in [*(code for code, _label in study_province_choices()), ""]  # "": not given
    }


def application_flow(fair: Fair) -> list[dict]:
    """Applications at or through the fair by (graduate's province of study → employer's province), largest
    first. The province of study is the one the graduate registered with."""
    study = Registration.objects.filter(fair=fair, graduate=OuterRef("graduate")).values("study_province")[:1]
    rows = (
        Application.objects.filter(fair=fair)
        .annotate(study=Subquery(study))
        .values("study", "job__employer__city__province_id")
        .annotate(n=Count("id"))
        .order_by("-n", "study", "job__employer__city__province_id")
    )
    return [
        {"from": row["study"] or "", "to": row["job__employer__city__province_id"], "applications": row["n"]}
        for row in rows
    ]


def fair_report(fair: Fair, *, stats: dict | None = None, counters: dict | None = None) -> dict:
    """The fair's report: the exhibitor figures of ``fair_statistics`` plus what graduates did (pass what the
    caller has already computed)."""
    return {
        **(stats or fair_statistics(fair)),
        "graduates": counters or fair_counters(fair),
        "graduates_by_study_province": graduates_by_study_province(fair),
        "application_flow": application_flow(fair),
    }
