"""The register's overdue tasks, counted for the daily digest (apps.notifications.registry)."""
from django.urls import reverse

from apps.notifications.registry import OverdueCount

from .selectors import DEADLINE_CATEGORIES, deadline_calendar, deadline_counts_for_user


def overdue_tasks(today):
    """Per user, the overdue deadlines of each category of the work list: counts and the list's link."""
    calendar = deadline_calendar(today)  # one calendar for every user of the run
    page = reverse("subjects:deadlines")

    def count(user):
        # The work list's own permission; administrators keep the installation, not its tasks.
        if user.is_administrator or not user.has_perm("subjects.view_person"):
            return []
        counts = deadline_counts_for_user(user, today, calendar)
        return [OverdueCount(code=f"subjects.{category}", label=str(DEADLINE_CATEGORIES[category]), count=overdue,
                             url=f"{page}?category={category}&overdue=1")
                for category, (_items, overdue) in counts.items() if overdue]

    return count
