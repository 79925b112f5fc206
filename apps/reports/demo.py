"""Demo reports: Mỹ Thới's history before the province issued rounds (2025 and the first half of 2026,
calendar periods, locked), and one reporting round issued by PC04 (``pc04``) for the latest completed
quarter cut on the 15th, to Mỹ Thới and five other units of An Giang, with a report in each state the
compliance board shows: accepted, submitted on time, submitted late, returned, a draft, not started;
and Mỹ Thới's draft of the last month, outside any round.

Runs after the other apps' demo data (INSTALLED_APPS order), so the frozen figures are those of the
demo people, tests, cases and activities. The other units hold no demo records: their figures are zeros.
Their reports are sent by ``admin`` (they have no demo leadership); PC04 reviews them.
"""
import datetime as dt

from django.utils import timezone

from apps.core.choices import PeriodKind
from apps.core.management.commands.seed_demo import demo_ward_and_users
from apps.core.periods import Period

from . import services
from .forms import default_period
from .models import Report, ReportingRound, ReportVersion
from .services import report_create, report_lock, report_submit

# Before rounds: (kind, first day, due on, editable until), each sent two days before its due date and locked.
HISTORY = [
    (PeriodKind.YEAR, dt.date(2025, 1, 1), dt.date(2026, 1, 10), dt.date(2026, 1, 31)),
    (PeriodKind.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 4, 7), dt.date(2026, 4, 17)),
    (PeriodKind.QUARTER, dt.date(2026, 4, 1), dt.date(2026, 7, 7), dt.date(2026, 7, 17)),
]
# The round's other units (official codes of seed_province) and what each has done.
ROUND_WARDS = [("30301", "accepted"), ("30292", "on_time"), ("30307", "late"), ("30316", "returned"),
               ("30325", "draft"), ("30376", "not_started")]
SUMMARY = ("Tình hình tội phạm và tệ nạn ma túy trên địa bàn phường cơ bản được kiểm soát. "
           "Công tác quản lý người sử dụng trái phép chất ma túy, người nghiện được duy trì; "
           "các khóm phấn đấu năm 2025 giữ vững kết quả.")
NEXT_STEPS = ("Tiếp tục tuyên truyền tại các khóm phấn đấu năm 2026; rà soát, xét nghiệm định kỳ; "
              "hoàn thiện hồ sơ đề nghị công nhận khóm không ma túy.")
RETURN_COMMENT = "Đề nghị bổ sung số liệu xét nghiệm của các khóm và phần đánh giá chung."
TZ = dt.timezone(dt.timedelta(hours=7))


def _sent_at(report: Report, day: dt.date, now) -> None:
    """Demo history: the report (and its latest version) sent on *day* at 09:00, never after now."""
    sent = min(dt.datetime.combine(day, dt.time(9, 0), tzinfo=TZ), now)
    Report.objects.filter(pk=report.pk).update(submitted_at=sent, first_submitted_at=sent)
    ReportVersion.objects.filter(report=report).update(submitted_at=sent)
    report.refresh_from_db()


def _history(ward, leader, police, now) -> int:
    made = 0
    for kind, start, due_on, editable_until in HISTORY:
        if Period.starting(kind, start).end >= timezone.localdate():
            continue  # a period not over yet has no report to show
        if Report.objects.filter(ward=ward, period_kind=kind, period_start=start).exists():
            continue
        # Made before conventions: calendar periods and the ward's own due dates, kept as they were.
        report = Report(ward=ward, period_kind=kind, period_start=start, period_start_day=1, due_on=due_on,
                        editable_until=editable_until, summary=SUMMARY, next_steps=NEXT_STEPS,
                        signer_title="CHỦ TỊCH", signer_name="Nguyễn Thành Đạt", created_by=police)
        report.full_clean()
        report.save()
        report = report_submit(user=leader, report=report)
        _sent_at(report, due_on - dt.timedelta(days=2), now)
        report_lock(user=leader, report=report)
        made += 1
    return made


def _round(users, now):
    from apps.khom.models import Ward

    officer, leader, admin = users.get("pc04"), users.get("lanhdao"), users.get("admin")
    period = default_period(PeriodKind.QUARTER)
    if officer is None or admin is None or ReportingRound.objects.filter(
            period_kind=period.kind, period_start=period.start).exists():
        return None
    wards = {ward.code: ward for ward in Ward.objects.filter(code__in=[code for code, _state in ROUND_WARDS])}
    plan = [(wards[code], state) for code, state in ROUND_WARDS if code in wards]
    due, editable = services.default_due_dates(period.end)
    round_ = services.round_issue(user=officer, data={
        "period_kind": period.kind, "period_start": period.start, "due_on": due, "editable_until": editable,
        "all_wards": False, "wards": [ward for ward, _state in plan],
        "note": "Báo cáo kết quả công tác phòng, chống ma túy quý (mẫu theo Thông tư 13/2022/TT-BCA)."})
    for ward, state in plan:
        report = Report.objects.get(round=round_, ward=ward)
        sender = leader if ward.code == "30301" and leader is not None else admin
        if state == "not_started":
            continue
        report = services.report_update(user=sender, report=report, expected_version=report.version, data={
            "summary": SUMMARY, "next_steps": NEXT_STEPS, "signer_title": "CHỦ TỊCH",
            "signer_name": "Nguyễn Thành Đạt" if ward.code == "30301" else ""})
        if state == "draft":
            continue
        report = report_submit(user=sender, report=report)
        _sent_at(report, due + dt.timedelta(days=3) if state == "late" else due - dt.timedelta(days=2), now)
        if state == "accepted":
            services.report_accept(user=officer, report=report)
        elif state == "returned":
            services.report_return(user=officer, report=report, data={"comment": RETURN_COMMENT})
    return round_


def seed(context):
    actors = demo_ward_and_users(context, "lanhdao", "congan")
    if actors is None:
        return
    ward, leader, police = actors
    now = timezone.now()
    made = _history(ward, leader, police, now)
    round_ = _round(context["users"], now)
    # The police's draft of the last month (cut on the 15th), outside any round: its dates follow the period.
    month = default_period(PeriodKind.MONTH)
    if not Report.objects.filter(ward=ward, period_kind=month.kind, period_start=month.start).exists():
        report_create(user=police, data={"ward": ward, "period_kind": month.kind, "period_start": month.start,
                                         "summary": SUMMARY, "signer_title": "CHỦ TỊCH",
                                         "signer_name": "Nguyễn Thành Đạt"})
    context["stdout"].write(f"Reports: {made} earlier reports; "
                            + (f"round {round_.period.label} issued by pc04." if round_ else "round already issued."))
