"""Demo assessments: the four khóm targeted for 2025 assessed, approved and (when they pass) recognised; drafts for 2026.

Idempotent: an assessment is opened once per khóm, year and set, and each
workflow step runs only if the assessment has not reached it yet.
"""
import datetime as dt

from django.core.exceptions import ValidationError

from apps.core.management.commands.seed_demo import demo_ward_and_users, ensure_reference_data
from apps.khom.models import Khom

from . import services
from .choices import AssessmentStatus, CriteriaScope
from .models import Assessment, CriteriaSet, Recognition, WardYearData

MANUAL_NOTE = "Tổ tự quản phòng, chống ma túy sinh hoạt hằng tháng; có biên bản lưu tại Ban điều hành khóm."


def _open(user, criteria_set, year, khom=None, ward=None):
    found = Assessment.objects.filter(criteria_set=criteria_set, year=year, khom=khom,
                                      ward=khom.ward if khom else ward).first()
    return found or services.assessment_create(user=user, data={"criteria_set": criteria_set, "year": year,
                                                                "khom": khom, "ward": ward})


def _judge_manual(assessment, user, passed=True):
    if not assessment.is_editable:
        return
    for item in assessment.items.select_related("criterion").filter(criterion__kind="manual", passed__isnull=True):
        services.assessment_item_update(user=user, item=item, data={"passed": passed, "note": MANUAL_NOTE})


def _prepared(police, leader, criteria_set, year, comments, khom=None, ward=None):
    """An assessment opened by the police, its manual criteria judged, sent and approved by the leadership
    (four-eyes): each step only if the assessment has not reached it yet."""
    assessment = _open(police, criteria_set, year, khom=khom, ward=ward)
    _judge_manual(assessment, police)
    assessment.refresh_from_db()
    if assessment.is_editable:
        services.assessment_submit(user=police, assessment=assessment, expected_version=assessment.version)
    if assessment.status == AssessmentStatus.SUBMITTED:
        services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version,
                                    data={"comments": comments})
    return assessment


def seed(context):
    actors = demo_ward_and_users(context, "congan", "lanhdao")
    if actors is None:
        return
    ward, police, leader = actors
    ensure_reference_data("apps.criteria.migrations.0002_seed_criteria_sets")
    ensure_reference_data("apps.criteria.migrations.0007_seed_classification_sets")
    khom_set = CriteriaSet.objects.current(CriteriaScope.KHOM, 2025)
    if khom_set is None:
        return
    khoms = {k.code: k for k in Khom.objects.filter(ward=ward)}
    recognised = 0
    for number, code in enumerate(["K01", "K02", "K03", "K04"], start=1):
        khom = khoms.get(code)
        if khom is None:
            continue
        assessment = _prepared(police, leader, khom_set, 2025, "Đồng ý kết quả tự đánh giá.", khom=khom)
        if assessment.passed and not Recognition.objects.filter(khom=khom, year=2025).exists():
            try:
                services.recognition_create(
                    user=leader, khom=khom, year=2025, assessment=assessment,
                    data={"decision_number": f"{number:02d}/QĐ-UBND", "decided_on": dt.date(2026, 1, 20),
                          "valid_until": dt.date(2026, 12, 31)})
            except ValidationError as error:  # demo data of other apps may make a khóm fail: say so, go on
                context["stdout"].write(f"{khom.name}: not recognised ({'; '.join(error.messages)}).")
                continue
        recognised += Recognition.objects.filter(khom=khom, year=2025, revoked_on__isnull=True).exists()

    # Drafts: the khóm targeted for 2026, opened early in the year.
    set_2026 = CriteriaSet.objects.current(CriteriaScope.KHOM, 2026)
    for code in ["K05", "K06", "K07", "K08"]:
        if set_2026 and code in khoms:
            _open(police, set_2026, 2026, khom=khoms[code])
    # The ward's residents and route flag of each kỳ đánh giá: the Điều 4 classification's rates need them.
    for year in (2025, 2026):
        WardYearData.objects.get_or_create(ward=ward, year=year, defaults={
            "residents": ward.population, "on_drug_route": False,
            "note": "Số liệu minh họa: nhân khẩu hiện đang cư trú theo sổ của Công an phường."})
    context["stdout"].write(f"Criteria: {recognised} khóm recognised drug-free for 2025; drafts for 2026.")
    seed_self_assessment(context, ward, police, leader)
    seed_illustrative_units(context)


def seed_self_assessment(context, ward, police, leader):
    """The ward's 2025 self-assessment sent to the province, so that PC04 has one to review.

    The ward-level criteria assessment is prepared by the police and approved by the
    leadership (four-eyes); the self-assessment then waits for the province, which
    records no decision here: no real unit is shown recognised by demo data.
    """
    from .models import WardSelfAssessment

    ward_set = CriteriaSet.objects.current(CriteriaScope.WARD, 2025)
    if ward_set is None:
        return
    assessment = _prepared(police, leader, ward_set, 2025, "Đồng ý kết quả tự đánh giá của Công an phường.",
                           ward=ward)
    self_assessment = WardSelfAssessment.objects.filter(ward=ward, year=2025).first()
    if self_assessment is None:
        self_assessment = services.self_assessment_create(user=leader, data={
            "ward": ward, "year": 2025,
            "summary": "UBND phường tự đánh giá, phân loại năm 2025 theo QĐ 28/2025/QĐ-TTg; "
                       "kèm kết quả các khóm và minh chứng của Ban Chỉ đạo (số liệu minh họa)."})
    if self_assessment.is_editable:
        services.self_assessment_submit(user=leader, self_assessment=self_assessment,
                                        expected_version=self_assessment.version)
    context["stdout"].write(f"Criteria: the ward's 2025 self-assessment is {self_assessment.status}.")


# A handful of An Giang's real units with demo aggregates, flagged as illustrative: every page that names them
# says “số liệu minh họa”. (code, residents, on a drug route, province target years, recognised for 2025)
ILLUSTRATIVE_UNITS = [
    ("30316", 71_240, True, (2025, 2026), True),    # Phường Châu Đốc
    ("30307", 98_615, False, (2025, 2026), False),  # Phường Long Xuyên
    ("30313", 24_380, False, (2026,), False),       # Xã Mỹ Hòa Hưng
    ("30337", 33_905, True, (2026,), False),        # Xã An Phú
    ("31078", 146_150, False, (2025, 2026), True),  # Đặc khu Phú Quốc
]
ILLUSTRATIVE_NOTE = "Số liệu minh họa để trình diễn, không phải số liệu thật của đơn vị."


def seed_illustrative_units(context):
    """Demo aggregates for a few real units (issue 17 §6): residents, province targets, and for two of them a
    2025 recognition, so that the province roadmap and the board show something; each unit is flagged
    ``is_illustrative`` first, so nothing about it is ever shown without the label.

    The recognitions are written as the province would record them at the end of the workflow, without
    running it: these units have no staff in the demo (their ward leadership would have to send them).
    """
    import datetime as dt

    from django.utils import timezone

    from apps.khom.models import Ward

    from .choices import SelfAssessmentStatus
    from .classification import classify_wards
    from .models import WardSelfAssessment, WardTarget

    users = context.get("users", {})
    officer, province_leader = users.get("pc04"), users.get("ubndtinh")
    units = {w.code: w for w in Ward.objects.filter(code__in=[u[0] for u in ILLUSTRATIVE_UNITS])}
    shown = 0
    for code, residents, on_route, target_years, recognised in ILLUSTRATIVE_UNITS:
        ward = units.get(code)
        if ward is None:
            continue
        if not ward.is_illustrative or ward.population != residents:
            ward.is_illustrative, ward.population = True, residents
            ward.save(update_fields=["is_illustrative", "population", "updated_at"])
        for year in (2025, 2026):
            WardYearData.objects.get_or_create(ward=ward, year=year, defaults={
                "residents": residents, "on_drug_route": on_route, "note": ILLUSTRATIVE_NOTE})
        if officer is not None:
            for year in target_years:
                if not WardTarget.objects.filter(ward=ward, year=year, assigned=True).exists():
                    services.ward_target_assign(user=officer, ward=ward, data={"year": year, "assigned": True})
        if recognised and not WardSelfAssessment.objects.filter(ward=ward, year=2025).exists():
            classification = classify_wards([ward], 2025)[ward.pk].as_json()
            submitted_at = timezone.make_aware(dt.datetime(2025, 12, 12, 9, 0))
            WardSelfAssessment.objects.create(
                ward=ward, year=2025, status=SelfAssessmentStatus.RECOGNISED,
                summary=f"{ILLUSTRATIVE_NOTE} Tự đánh giá năm 2025.",
                snapshot={"illustrative": True, "classification": classification, "criteria": None, "khoms": [],
                          "khoms_total": 0, "khoms_recognised": 0, "evidence": [],
                          "period": {"year": 2025, "start": "2024-12-15", "end": "2025-12-14"}},
                classification_type=classification["type"], submitted_at=submitted_at,
                reviewed_by=officer, reviewed_at=submitted_at + dt.timedelta(days=10),
                decided_by=province_leader, decided_at=submitted_at + dt.timedelta(days=31),
                decision_number=f"MH-{code}/QĐ-UBND", decided_on=dt.date(2026, 1, 12),
                valid_until=dt.date(2026, 12, 31), created_by=province_leader)
        shown += 1
    context["stdout"].write(f"Criteria: {shown} real units with illustrative aggregates (số liệu minh họa).")
