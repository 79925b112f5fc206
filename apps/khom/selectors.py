"""Reads of the khóm registry."""
from django.db.models import Count, Q

from .choices import ROADMAP_YEARS, DrugFreeStatus
from .models import Khom


def roadmap_for_user(user):
    """Per target year: khóm planned that year, cumulative plan and how many are recognised, in scope."""
    khoms = Khom.objects.for_user(user)
    per_year = {
        row["target_year"]: row
        for row in khoms.filter(target_year__isnull=False)
        .values("target_year")
        .annotate(planned=Count("pk"), recognised=Count("pk", filter=Q(status=DrugFreeStatus.RECOGNISED)))
    }
    total = khoms.count()
    rows, cumulative = [], 0
    for year in ROADMAP_YEARS:
        row = per_year.get(year, {"planned": 0, "recognised": 0})
        cumulative += row["planned"]
        rows.append({
            "year": year,
            "planned": row["planned"],
            "cumulative": cumulative,
            "cumulative_percent": round(100 * cumulative / total) if total else 0,
            "recognised": row["recognised"],
        })
    recognised_total = khoms.filter(status=DrugFreeStatus.RECOGNISED).count()
    return {"rows": rows, "total": total, "recognised": recognised_total}
