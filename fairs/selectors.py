"""Reads about fairs, shared by the ``fair_stats`` command, the public fair page and the admin dashboard."""

from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from employers.models import Ownership
from jobs.models import Application, JobPosting, JobStatus
from regions.models import Province

from .models import Fair, Participation

MANUFACTURING_AND_SOFTWARE = ("C", "I")


def _bucket() -> dict[str, int]:
    return {"employers": 0, "positions": 0}


def fair_statistics(fair: Fair) -> dict:
    """The fair's figures from its participations, in one query.

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
        Participation.objects.filter(fair=fair)
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


def pending_review_by_province(jobs=None) -> dict[str, int]:
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
