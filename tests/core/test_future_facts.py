"""No future-dated facts (issue 18 §4): tests, sessions, commitments, cases, moves, support and decisions are
dated today at the latest in Asia/Ho_Chi_Minh, refused in the form, the service and the import with a
Vietnamese message; planned ends and due dates may lie ahead; indicators never count a later fact.

The clock is set a second before and at Vietnam's midnight (17:00 UTC): the server's own day (UTC) is
then one day behind Vietnam's, so a rule on the server's date would answer wrongly on one side.
"""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.activities.models import Activity, CommitmentSigning
from apps.activities.services import activity_create, commitment_signing_create
from apps.cases.models import Case
from apps.cases.services import case_create
from apps.core.periods import Period
from apps.core.validators import FACT_DATE_FUTURE, today_in_vietnam, validate_fact_date
from apps.imports.engine import run_import
from apps.indicators import registry
from apps.subjects import services
from apps.subjects.choices import MoveKind, SupportKind, TestResult
from apps.subjects.models import DrugTest, Episode, ResidenceMove, SupportRecord
from tests.factories.activities import ActivityFactory
from tests.factories.imports import xlsx
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

UTC = dt.timezone.utc
# 23:59:59 on 01/12/2026 in Vietnam (UTC+7), and the first second of 02/12/2026.
LAST_SECOND = dt.datetime(2026, 12, 1, 16, 59, 59, tzinfo=UTC)
MIDNIGHT = dt.datetime(2026, 12, 1, 17, 0, 0, tzinfo=UTC)
DEC_1, DEC_2 = dt.date(2026, 12, 1), dt.date(2026, 12, 2)
MESSAGE = str(FACT_DATE_FUTURE)


@pytest.fixture
def clock(monkeypatch):
    """clock(moment): the installation's "now" is *moment* from then on."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


# The rule at Vietnam's midnight ------------------------------------------------------------------
@pytest.mark.parametrize("moment, today", [(LAST_SECOND, DEC_1), (MIDNIGHT, DEC_2)])
def test_today_is_vietnams_day_not_the_servers(clock, moment, today):
    clock(moment)
    assert today_in_vietnam() == today


@pytest.mark.parametrize("moment, day, accepted", [
    (LAST_SECOND, DEC_1, True), (LAST_SECOND, DEC_2, False),     # 23:59:59 in Vietnam: tomorrow is refused
    (MIDNIGHT, DEC_2, True), (MIDNIGHT, dt.date(2026, 12, 3), False),  # 00:00: the new day is today
])
def test_a_fact_may_be_dated_today_but_not_tomorrow(clock, moment, day, accepted):
    clock(moment)
    if accepted:
        validate_fact_date(day)
    else:
        with pytest.raises(ValidationError) as refused:
            validate_fact_date(day)
        assert refused.value.messages == [MESSAGE]


def test_the_message_is_vietnamese():
    assert MESSAGE.startswith("Ngày này chưa đến")


# Every service refuses a fact dated tomorrow, and writes nothing ---------------------------------
def _services(user, person, khom):
    """{name: (call with the day, model whose rows must not appear)}."""
    kind = seeded_kind("illegal_user")
    return {
        "test": (lambda day: services.drug_test_create(person=person, user=user, data={
            "tested_on": day, "result": TestResult.NEGATIVE}), DrugTest),
        "episode start": (lambda day: services.episode_create(person=person, user=user, data={
            "kind": kind, "started_on": day}), Episode),
        "decision": (lambda day: services.episode_create(person=person, user=user, data={
            "kind": kind, "started_on": DEC_1 - dt.timedelta(days=1), "decision_date": day}), Episode),
        "move": (lambda day: services.residence_move_create(person=person, user=user, data={
            "kind": MoveKind.MOVE_IN, "moved_on": day, "other_place": "Long Xuyên"}), ResidenceMove),
        "support": (lambda day: services.support_record_create(person=person, user=user, data={
            "kind": SupportKind.JOB, "given_on": day}), SupportRecord),
        "session": (lambda day: activity_create(user=user, data={
            "ward": khom.ward, "khom": khom, "kind": "propaganda", "held_on": day, "topic": "Tác hại",
            "audience": "residents", "participants": 10, "organiser": "Công an phường"}), Activity),
        "commitment": (lambda day: commitment_signing_create(user=user, data={
            "khom": khom, "signed_on": day, "households_signed": 1, "households_total": 2}), CommitmentSigning),
        "case": (lambda day: case_create(user=user, data={
            "khom": khom, "detected_on": day, "kind": "possession", "place": "Chợ"}), Case),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["test", "episode start", "decision", "move", "support", "session", "commitment",
                                   "case"])
def test_each_service_refuses_tomorrow_and_accepts_today_at_vietnams_midnight(clock, police, khom, which):
    call, model = _services(police, PersonFactory(khom=khom), khom)[which]
    clock(LAST_SECOND)
    with pytest.raises(ValidationError) as refused:
        call(DEC_2)
    assert MESSAGE in refused.value.messages
    assert not model.objects.exists()
    clock(MIDNIGHT)
    call(DEC_2)
    assert model.objects.count() == 1


@pytest.mark.django_db
def test_planned_ends_may_lie_ahead(police, khom):
    person = PersonFactory(khom=khom)
    today = today_in_vietnam()
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("illegal_user"), "started_on": today, "planned_end": today + dt.timedelta(days=400)})
    assert episode.planned_end > today


# The forms say it on the field --------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("url, post, model", [
    ("subjects:test_create", {"tested_on": "02/12/2026", "sample_type": "urine", "result": "negative"}, DrugTest),
    ("subjects:move_create", {"kind": "move_in", "moved_on": "02/12/2026", "other_place": "Long Xuyên",
                               "to_khom": "{khom}", "new_address": "12 Trần Hưng Đạo"},
     ResidenceMove),
    ("subjects:support_create", {"kind": "job", "given_on": "02/12/2026"}, SupportRecord),
])
def test_the_forms_refuse_tomorrow_with_the_message_and_write_nothing(clock, client_for, police, khom, url, post,
                                                                       model):
    person = PersonFactory(khom=khom)
    client = client_for(police)
    post = {key: value.format(khom=khom.pk) for key, value in post.items()}
    clock(LAST_SECOND)
    response = client.post(reverse(url, args=[person.pk]), post)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not model.objects.exists()
    clock(MIDNIGHT)
    response = client.post(reverse(url, args=[person.pk]), post)
    assert response.status_code == 302 and model.objects.count() == 1


@pytest.mark.django_db
def test_the_session_form_refuses_tomorrow(clock, client_for, police, khom):
    client = client_for(police)
    clock(LAST_SECOND)
    response = client.post(reverse("activities:create"), {
        "ward": khom.ward_id, "khom": khom.pk, "kind": "propaganda", "held_on": "02/12/2026", "topic": "Tác hại", "audience": "residents",
        "participants": 10, "organiser": "Công an phường"})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Activity.objects.exists()


# The import applies the same rule ----------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("moment, ok", [(LAST_SECOND, False), (MIDNIGHT, True)])
def test_the_import_refuses_a_test_dated_tomorrow_with_the_same_words(clock, police, khom, moment, ok):
    PersonFactory(khom=khom, cccd="089092123456", date_of_birth=dt.date(1992, 3, 15))
    data = xlsx(["Số CCCD", "Ngày xét nghiệm", "Kết quả"], [["089092123456", "02/12/2026", "Âm tính"]])
    clock(moment)
    outcome = run_import(kind="tests", data=data, file_name="xn.xlsx", user=police, dry_run=False)
    if ok:
        assert outcome.ok, outcome.errors
        assert DrugTest.objects.count() == 1
    else:
        assert [(p.row, p.column, p.message) for p in outcome.errors] == [(2, "Ngày xét nghiệm", MESSAGE)]
        assert not DrugTest.objects.exists()


# Indicators, and so assessments and reports, never count a later fact ------------------------------
@pytest.mark.django_db
def test_indicators_never_count_a_fact_dated_after_the_moment_they_are_computed(clock, khom):
    """Rows written past the rules (a raw insert, an old database): a month under way counts up to today."""
    clock(LAST_SECOND)
    month = Period.month(2026, 12)
    person = PersonFactory(khom=khom)
    DrugTestFactory(person=person, tested_on=DEC_1, result=TestResult.POSITIVE)
    DrugTestFactory(person=person, tested_on=DEC_2, result=TestResult.POSITIVE)
    EpisodeFactory(person=PersonFactory(khom=khom), started_on=DEC_2, decision_date=DEC_2)
    ActivityFactory(khom=khom, held_on=DEC_2)
    codes = ["drug_tests", "positive_tests", "persons_managed"]
    area = registry.Area.of(khom).key
    assert registry.evaluate(codes, [khom], month)[area] == {"drug_tests": 1, "positive_tests": 1,
                                                             "persons_managed": 0}
    clock(MIDNIGHT)
    assert registry.evaluate(codes, [khom], month)[area] == {"drug_tests": 2, "positive_tests": 2,
                                                             "persons_managed": 1}
    # Computed as of a moment given (a report's), not the clock's.
    assert registry.evaluate(codes, [khom], month, as_of=DEC_1)[area]["drug_tests"] == 1


@pytest.mark.django_db
def test_a_period_not_yet_begun_counts_no_fact_of_it(clock, khom):
    clock(LAST_SECOND)
    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=dt.date(2027, 1, 5))
    area = registry.Area.of(khom).key
    assert registry.evaluate(["drug_tests"], [khom], Period.month(2027, 1))[area]["drug_tests"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("moment, ok", [(LAST_SECOND, False), (MIDNIGHT, True)])
def test_the_import_refuses_a_case_detected_tomorrow(clock, police, khom, moment, ok):
    data = xlsx(["Ngày phát hiện", "Mã khóm", "Loại vụ việc", "Nơi phát hiện"],
                [["02/12/2026", khom.code, "Tàng trữ trái phép chất ma túy", "Bến đò"]])
    clock(moment)
    outcome = run_import(kind="cases", data=data, file_name="vv.xlsx", user=police, dry_run=False)
    assert outcome.ok is ok
    if not ok:
        assert MESSAGE in [p.message for p in outcome.errors]
    assert Case.objects.count() == int(ok)


@pytest.mark.django_db
def test_a_report_and_the_khom_criteria_never_count_a_fact_dated_after_they_were_computed(clock, khom):
    """A user managed from tomorrow (a row written past the rules) does not make the khóm fail its criteria, and a
    test or session dated tomorrow is not in the month's report figures."""
    from apps.criteria.selectors import evaluate_criteria
    from apps.criteria.models import Criterion
    from apps.reports.figures import build_snapshot

    clock(LAST_SECOND)
    person = PersonFactory(khom=khom)
    DrugTestFactory(person=person, tested_on=DEC_2, result=TestResult.POSITIVE)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=DEC_2, decision_date=DEC_2)
    ActivityFactory(khom=khom, held_on=DEC_2)
    snapshot = build_snapshot(ward=khom.ward, period=Period.month(2026, 12))
    summary = snapshot["values"]
    assert (summary["drug_tests"], summary["positive_tests"], summary["persons_managed"],
            summary["propaganda_sessions"]) == (0, 0, 0, 0)
    criteria = [c for c in Criterion.objects.filter(indicator="users_addicts_not_in_treatment") if c.is_computed]
    assert criteria  # the seeded khóm criteria (migration of apps.criteria)
    verdicts = evaluate_criteria(criteria, [khom], 2026)[registry.Area.of(khom).key]
    assert verdicts and all(figure == 0 and passed for figure, passed in verdicts.values())
    clock(MIDNIGHT)
    snapshot = build_snapshot(ward=khom.ward, period=Period.month(2026, 12))
    summary = snapshot["values"]
    assert (summary["drug_tests"], summary["persons_managed"], summary["propaganda_sessions"]) == (1, 1, 1)
