"""Reads about fairs: statistics shown on a fair's page and served by the API."""

from django.db.models import Count, Sum

from .models import Fair


def fair_statistics(fair: Fair) -> dict[str, int]:
    """How many employers take part in ``fair`` and how many positions they bring."""
    totals = fair.participations.aggregate(employers=Count("id"), positions=Sum("positions"))
    return {"employers": totals["employers"] or 0, "positions": totals["positions"] or 0}
