"""Read-side queries for fairs.

``fair_statistics`` is owned by the seed branch (issue 2 item 7); this is a stand-in of the same shape so the fair
page works before that branch lands. When merging, keep the seed branch's version.
"""

from django.db.models import Count, Sum

from employers.models import Ownership
from regions.models import Province

from .models import Fair, Participation


def fair_statistics(fair: Fair) -> dict:
    """The fair's figures: employers and positions in all, by ownership, by province (of the employer's city)
    and by industry section, and the share of employers in manufacturing (C) plus information/software (I)."""
    rows = (
        Participation.objects.filter(fair=fair)
        .values("employer__ownership", "employer__city__province_id", "employer__industry_id")
        .annotate(employers=Count("id"), positions=Sum("positions"))
    )
    by_ownership = {value: {"employers": 0, "positions": 0} for value in Ownership.values}
    by_province = {code: {"employers": 0, "positions": 0} for code in Province.objects.values_list("code", flat=True)}
    by_industry: dict[str, dict[str, int]] = {}
    employers = positions = 0
    for row in rows:
        count, headcount = row["employers"], row["positions"] or 0
        employers += count
        positions += headcount
        for bucket, key in (
            (by_ownership, row["employer__ownership"]),
            (by_province, row["employer__city__province_id"]),
            (by_industry, row["employer__industry_id"]),
        ):
            entry = bucket.setdefault(key, {"employers": 0, "positions": 0})
            entry["employers"] += count
            entry["positions"] += headcount
    c_plus_i = sum(by_industry.get(code, {}).get("employers", 0) for code in ("C", "I"))
    return {
        "fair": fair.slug,
        "employers": employers,
        "positions": positions,
        "by_ownership": by_ownership,
        "by_province": by_province,
        "by_industry": dict(sorted(by_industry.items())),
        "share_c_plus_i": round(c_plus_i / employers, 3) if employers else 0.0,
    }
