"""Read-side helpers for fairs.

Placeholder so the URL configuration imports on this branch: main's fairs/views.py imports ``fair_statistics``
but the module was not committed. The fairs engineer's version replaces this one when branches merge.
"""

from django.db.models import Count, Sum

from .models import Fair


def fair_statistics(fair: Fair) -> dict:
    totals = fair.participations.aggregate(employers=Count("id"), positions=Sum("positions"))
    return {"employers": totals["employers"] or 0, "positions": totals["positions"] or 0}
