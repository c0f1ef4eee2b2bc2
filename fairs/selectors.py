"""Placeholder so the URL configuration imports on this branch (main's fairs/views.py imports ``fair_statistics``,
which the seed/fairs branch provides). When merging, keep that branch's version."""

from django.db.models import Count, Sum

from .models import Fair, Participation


def fair_statistics(fair: Fair) -> dict:
    totals = Participation.objects.filter(fair=fair).aggregate(employers=Count("id"), positions=Sum("positions"))
    return {"employers": totals["employers"] or 0, "positions": totals["positions"] or 0}
