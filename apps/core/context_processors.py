"""Navigation built from permissions, so each role sees only what it may use."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission) in menu order. Every entry must reverse and name a
# permission some model declares: the system check core.E001 (apps/core/checks.py) stops
# `manage.py check`, `runserver` and `migrate` otherwise, and a page would raise rather
# than drop the entry from the menu.
MENU = [
    ("dashboard", _("Tổng quan"), "khom.view_khom"),
    ("khom:list", _("Khóm"), "khom.view_khom"),
    ("subjects:list", _("Đối tượng"), "subjects.view_person"),
    ("subjects:deadlines", _("Việc cần làm"), "subjects.view_person"),
    ("cases:list", _("Vụ việc"), "cases.view_case"),
    ("activities:list", _("Hoạt động"), "activities.view_activity"),
    ("criteria:list", _("Tiêu chí"), "criteria.view_assessment"),
    ("criteria:province", _("Lộ trình tỉnh"), "criteria.view_wardtarget"),
    ("reports:list", _("Báo cáo"), "reports.view_report"),
    ("imports:index", _("Nhập Excel"), "imports.add_importbatch"),
    ("audit", _("Nhật ký"), "core.view_auditevent"),
]
# Entries an official uses now and then, grouped under "Khác" so that the menu keeps one line
# from 1280 px (an office PC's screen) with every entry of the ward leadership. The province roadmap is
# a main entry of the province's roles only: a ward visits it to register its target, once a year.
MORE = {"imports:index", "audit"}
PROVINCE_MAIN = {"criteria:province"}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "menu_more": []}
    items = []
    for name, label, perm in MENU:
        if not user.has_perm(perm):
            continue
        url = reverse(name)
        items.append({"name": name, "url": url, "label": label, "more": name in MORE or (name in PROVINCE_MAIN and not user.is_province),
                      "active": request.path == url or (url != "/" and request.path.startswith(url))})
    return {"menu": items, "menu_more": [item for item in items if item["more"]]}
