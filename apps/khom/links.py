"""Where each headline figure of an area is listed: the filtered list that shows the rows a figure counts.

The dashboard's cards and a khóm's page link every figure to its list. URL names are strings, reversed
when asked, so this low app names the pages of the apps above it without importing them. A figure
whose rows no list shows (drug tests: there is no list of tests) has no link.
"""
import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

# {indicator code: (URL name, permission, fixed parameters, how the period narrows it)}
#   "range": the list's date_from/date_to are the period's days ("active": its active_from/active_to);
#   "managed_on": people managed on the period's last day;
#   "today": the list shows today's state, so it matches figures of a period ending today.
FIGURE_LISTS = {
    "persons_managed": ("subjects:list", "subjects.view_person", {"managed": "managed"}, "managed_on"),
    "users_addicts": ("subjects:list", "subjects.view_person", {"managed": "user_addict"}, "managed_on"),
    "in_treatment": ("subjects:list", "subjects.view_person", {"managed": "in_treatment"}, "managed_on"),
    "overdue_tests": ("subjects:list", "subjects.view_person", {"overdue": "true"}, "today"),
    "cases_detected": ("cases:list", "cases.view_case", {}, "range"),
    "active_hotspots": ("cases:hotspot_list", "cases.view_hotspot", {}, "active"),
    "propaganda_sessions": ("activities:list", "activities.view_activity", {}, "range"),
    "propaganda_attendance": ("activities:list", "activities.view_activity", {}, "range"),
    "commitment_percent": ("activities:commitments", "activities.view_commitmentsigning", {}, "range"),
}


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def figure_link(user, code: str, period, *, khom_id: int | None = None) -> str | None:
    """The URL of the list that shows what figure *code* counts over *period* (in *khom_id*), or None.

    None as well when *user* may not open that list (province roles never reach a personal list), or
    when the list shows today's state and the period ended before today.
    """
    entry = FIGURE_LISTS.get(code)
    if entry is None:
        return None
    name, permission, fixed, by_period = entry
    if not user.has_perm(permission):
        return None
    params = dict(fixed)
    if khom_id is not None:
        params["khom"] = khom_id
    if by_period == "range":
        params.update(date_from=_day(period.start), date_to=_day(period.end))
    elif by_period == "active":
        params.update(active_from=_day(period.start), active_to=_day(period.end))
    elif by_period == "managed_on":
        if period.end < timezone.localdate():
            params["managed_on"] = _day(period.end)
    elif period.end < timezone.localdate():
        return None
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def khom_lists(user, khom_id: int) -> list[tuple[str, str]]:
    """(label, URL) of the lists of one khóm that *user* may open."""
    from django.utils.translation import gettext as _

    wanted = [
        (_("Đối tượng của khóm"), "subjects:list", "subjects.view_person"),
        (_("Vụ việc"), "cases:list", "cases.view_case"),
        (_("Điểm, tụ điểm"), "cases:hotspot_list", "cases.view_hotspot"),
        (_("Hoạt động tuyên truyền"), "activities:list", "activities.view_activity"),
        (_("Đợt ký cam kết"), "activities:commitments", "activities.view_commitmentsigning"),
        (_("Mô hình tái hòa nhập"), "activities:reintegration", "activities.view_reintegrationmodel"),
        (_("Đánh giá tiêu chí"), "criteria:list", "criteria.view_assessment"),
    ]
    links = [(label, f"{reverse(name)}?{urlencode({'khom': khom_id})}") for label, name, perm in wanted
             if user.has_perm(perm)]
    if user.has_perm("subjects.view_person") and user.sees_personal_records:
        # The work list narrowed to the khóm (issue 18 §6: ?khom=<pk>).
        links.append((_("Việc cần làm (hạn xét nghiệm, hết hạn quản lý)"),
                      f"{reverse('subjects:deadlines')}?{urlencode({'khom': khom_id})}"))
    return links
