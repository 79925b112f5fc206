"""Demo reports of Mỹ Thới: 2025 and the first two quarters of 2026 locked, Q3 2026 submitted, October 2026 a draft.

Runs after the other apps' demo data (INSTALLED_APPS order), so the frozen
figures are those of the demo people, tests, cases and activities.
"""
import datetime as dt

from django.utils import timezone

from apps.core.choices import PeriodKind
from apps.core.periods import Period

from .models import Report
from .services import report_create, report_lock, report_submit

# (kind, first day, due on, editable until, then: "lock" | "submit" | "draft")
DEMO_REPORTS = [
    (PeriodKind.YEAR, dt.date(2025, 1, 1), dt.date(2026, 1, 10), dt.date(2026, 1, 31), "lock"),
    (PeriodKind.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 4, 7), dt.date(2026, 4, 17), "lock"),
    (PeriodKind.QUARTER, dt.date(2026, 4, 1), dt.date(2026, 7, 7), dt.date(2026, 7, 17), "lock"),
    (PeriodKind.QUARTER, dt.date(2026, 7, 1), dt.date(2026, 10, 7), dt.date(2026, 12, 31), "submit"),
    (PeriodKind.MONTH, dt.date(2026, 10, 1), dt.date(2026, 11, 5), dt.date(2026, 12, 31), "draft"),
]
SUMMARY = ("Tình hình tội phạm và tệ nạn ma túy trên địa bàn phường cơ bản được kiểm soát. "
           "Công tác quản lý người sử dụng trái phép chất ma túy, người nghiện được duy trì; "
           "các khóm phấn đấu năm 2025 giữ vững kết quả.")
NEXT_STEPS = ("Tiếp tục tuyên truyền tại các khóm phấn đấu năm 2026; rà soát, xét nghiệm định kỳ; "
              "hoàn thiện hồ sơ đề nghị công nhận khóm không ma túy.")


def seed(context):
    ward = context.get("ward")
    users = context.get("users", {})
    leader, police = users.get("lanhdao"), users.get("congan")
    if ward is None or leader is None or police is None:
        return
    made = 0
    now = timezone.now()
    for kind, start, due_on, editable_until, then in DEMO_REPORTS:
        if Period.starting(kind, start).end >= timezone.localdate():
            continue  # a period not over yet has no report to show
        if Report.objects.filter(ward=ward, period_kind=kind, period_start=start).exists():
            continue
        report = report_create(user=police, data={
            "ward": ward, "period_kind": kind, "period_start": start, "due_on": due_on,
            "editable_until": editable_until, "summary": SUMMARY, "next_steps": NEXT_STEPS,
            "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Thành Đạt"})
        if then != "draft":
            report_submit(user=leader, report=report)
            # Demo history: the ward sent these on time, a few days before the due date.
            # Never "after now": a report whose due date is still ahead was sent just now.
            sent = dt.datetime.combine(due_on - dt.timedelta(days=2), dt.time(9, 0),
                                       tzinfo=dt.timezone(dt.timedelta(hours=7)))
            Report.objects.filter(pk=report.pk).update(submitted_at=min(sent, now))
            report.refresh_from_db()
        if then == "lock":
            report_lock(user=leader, report=report)
        made += 1
    context["stdout"].write(f"Reports: {made} created ({Period.quarter(2026, 3).label} submitted).")
