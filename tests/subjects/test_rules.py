"""Management rules as data (issue 18 §2) and kinds that may not be open together (§5).

Seeded from ND 105/2021/NĐ-CP and ND 116/2021/NĐ-CP by migration 0011; every figure is a row or a field
an administrator edits, and the tests change them to show that the code follows the data.
"""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.periods import add_months
from apps.core.workdays import add_working_days
from apps.subjects import services, transfers
from apps.subjects.choices import EndReason, MoveKind, TestResult
from apps.subjects.models import EPISODE_CONFLICT, Episode, ManagementRule, RuleBook
from apps.subjects.selectors import deadlines_for_user
from tests.factories.khom import KhomFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, EpisodeKindFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)


# The seeded rules ---------------------------------------------------------------------------------
def test_the_rules_are_seeded_from_the_decrees_and_marked_for_checking():
    [rule] = ManagementRule.objects.all()
    assert (rule.decision_working_days, rule.transfer_working_days, rule.needs_checking) == (3, 5, True)
    assert "105/2021" in rule.source and "116/2021" in rule.source
    user = seeded_kind("illegal_user")
    assert (user.restarts_on_positive_test, user.continues_on_move, user.residence_check_months,
            user.default_term_months) == (True, True, 1, 12)
    assert seeded_kind("post_rehab").residence_check_months == 1
    assert not seeded_kind("post_rehab").restarts_on_positive_test
    terms = {code: (seeded_kind(code).followed_by.code, seeded_kind(code).followed_by_months_adult,
                    seeded_kind(code).followed_by_months_minor)
             for code in ("voluntary_home", "voluntary_facility", "methadone", "compulsory_rehab")}
    assert terms == {"voluntary_home": ("post_rehab", 12, 12), "voluntary_facility": ("post_rehab", 12, 12),
                     "methadone": ("post_rehab", 12, 12), "compulsory_rehab": ("post_rehab", 24, 12)}


def test_the_rule_in_force_is_the_latest_that_began_on_or_before_the_day():
    ManagementRule.objects.create(effective_from=dt.date(2026, 7, 1), transfer_working_days=7, source="NĐ mới")
    book = RuleBook()
    assert book.on(dt.date(2026, 6, 30)).transfer_working_days == 5
    assert book.on(dt.date(2026, 7, 1)).transfer_working_days == 7
    ManagementRule.objects.all().delete()
    assert RuleBook().on(dt.date(2026, 1, 1)).decision_working_days == 3  # the model's defaults, never a crash


# A new positive test during the term: a new decision, the term starts again ----------------------------
def test_a_positive_test_during_an_open_term_gives_a_reset_planned_end(police, khom):
    person = PersonFactory(khom=khom)
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("illegal_user"), "started_on": START, "decision_number": "1/QĐ-UBND"})
    assert episode.planned_end == dt.date(2027, 1, 5)
    test = services.drug_test_create(person=person, user=police, data={
        "tested_on": dt.date(2026, 6, 10), "result": TestResult.POSITIVE})
    assert services.restart_offer(test) == episode
    new = services.episode_restart(episode=episode, user=police, data={
        "started_on": dt.date(2026, 6, 12), "decision_number": "7/QĐ-UBND", "decision_date": dt.date(2026, 6, 12)})
    episode.refresh_from_db()
    assert (episode.actual_end, episode.end_reason) == (dt.date(2026, 6, 12), EndReason.NEW_DECISION)
    assert (new.kind, new.started_on, new.planned_end) == (episode.kind, dt.date(2026, 6, 12), dt.date(2027, 6, 12))
    assert list(person.episodes.open()) == [new]


def test_the_reset_term_follows_the_kinds_term_as_data(police, khom):
    kind = seeded_kind("illegal_user")
    kind.default_term_months = 18
    kind.save()
    episode = EpisodeFactory(person=PersonFactory(khom=khom), kind=kind, started_on=START)
    new = services.episode_restart(episode=episode, user=police, data={"started_on": dt.date(2026, 3, 2)})
    assert new.planned_end == add_months(dt.date(2026, 3, 2), 18)


@pytest.mark.parametrize("code, result, offered", [
    ("illegal_user", TestResult.POSITIVE, True),
    ("illegal_user", TestResult.NEGATIVE, False),
    ("post_rehab", TestResult.POSITIVE, False),  # this kind does not restart: art. 256a, not a new term
])
def test_only_a_positive_test_during_a_restarting_kind_offers_a_new_decision(police, khom, code, result, offered):
    person = PersonFactory(khom=khom)
    episode = EpisodeFactory(person=person, kind=seeded_kind(code), started_on=START)
    test = DrugTestFactory(person=person, tested_on=dt.date(2026, 2, 1), result=result)
    assert services.restart_offer(test) == (episode if offered else None)


def test_a_restart_is_refused_on_a_kind_that_does_not_restart_or_before_the_open_start(police, khom):
    episode = EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("post_rehab"), started_on=START)
    with pytest.raises(ValidationError) as refused:
        services.episode_restart(episode=episode, user=police, data={"started_on": dt.date(2026, 3, 1)})
    assert str(services.RESTART_NOT_ALLOWED) in refused.value.messages
    episode = EpisodeFactory(person=PersonFactory(khom=khom), started_on=START)
    with pytest.raises(ValidationError) as refused:
        services.episode_restart(episode=episode, user=police, data={"started_on": START})
    assert str(services.RESTART_BEFORE_START) in refused.value.messages
    assert Episode.objects.filter(actual_end__isnull=False).count() == 0


def test_the_test_form_leads_to_the_new_decision_with_the_reset_term(client_for, police, khom):
    person = PersonFactory(khom=khom)
    episode = EpisodeFactory(person=person, started_on=START)
    client = client_for(police)
    response = client.post(reverse("subjects:test_create", args=[person.pk]), {
        "tested_on": "10/06/2026", "sample_type": "urine", "result": "positive"})
    test = person.tests.get()
    restart = reverse("subjects:episode_restart", args=[episode.pk])
    assert response.status_code == 302 and response["Location"] == f"{restart}?test={test.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Kết quả xét nghiệm dương tính ngày 10/06/2026" in page
    assert "05/01/2027" in page  # the open term's planned end
    response = client.post(restart, {"started_on": "12/06/2026", "decision_number": "7/QĐ-UBND",
                                     "decision_date": "12/06/2026"})
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.episodes.open().get().planned_end == dt.date(2027, 6, 12)


def test_a_negative_test_goes_back_to_the_record(client_for, police, khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, started_on=START)
    response = client_for(police).post(reverse("subjects:test_create", args=[person.pk]), {
        "tested_on": "10/06/2026", "sample_type": "urine", "result": "negative"})
    assert response["Location"] == person.get_absolute_url()


def test_the_work_list_asks_for_the_new_decision_until_it_is_made(police, khom):
    person = PersonFactory(khom=khom, full_name="Sử Dụng Lại")
    episode = EpisodeFactory(person=person, started_on=START)
    test = DrugTestFactory(person=person, tested_on=dt.date(2026, 6, 10), result=TestResult.POSITIVE)
    today = dt.date(2026, 6, 11)
    [item] = [item for item in deadlines_for_user(police, today=today) if item.category == "decision_renew"]
    assert item.due == add_working_days(dt.date(2026, 6, 10), 3)
    assert item.url == f"{reverse('subjects:episode_restart', args=[episode.pk])}?test={test.pk}"
    assert "decision_due" not in {i.category for i in deadlines_for_user(police, today=today)}  # not both
    services.episode_restart(episode=episode, user=police, data={"started_on": dt.date(2026, 6, 11)})
    assert "decision_renew" not in {i.category for i in deadlines_for_user(police, today=today)}


# A move keeps the remaining term ------------------------------------------------------------------
@pytest.mark.parametrize("kind, extra", [
    (MoveKind.WITHIN_WARD, {"new_address": "5 Lê Lợi"}),
    (MoveKind.MOVE_OUT, {"other_place": "Phường Long Xuyên"}),
])
def test_a_move_keeps_the_remaining_term(police, khom, khom2, kind, extra):
    person = PersonFactory(khom=khom)
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("illegal_user"), "started_on": START})
    data = {"kind": kind, "moved_on": dt.date(2026, 5, 1), **extra}
    if kind == MoveKind.WITHIN_WARD:
        data["to_khom"] = khom2
    services.residence_move_create(person=person, user=police, data=data)
    episode.refresh_from_db()
    assert (episode.actual_end, episode.planned_end) == (None, dt.date(2027, 1, 5))


def test_a_kind_that_does_not_continue_ends_on_a_move_away(police, khom):
    stays = EpisodeKindFactory(continues_on_move=False)
    person = PersonFactory(khom=khom)
    ending = EpisodeFactory(person=person, kind=stays, started_on=START)
    kept = EpisodeFactory(person=person, started_on=START)
    services.residence_move_create(person=person, user=police, data={
        "kind": MoveKind.MOVE_OUT, "moved_on": dt.date(2026, 5, 1), "other_place": "Cần Thơ"})
    ending.refresh_from_db(), kept.refresh_from_db()
    assert (ending.actual_end, ending.end_reason) == (dt.date(2026, 5, 1), EndReason.MOVED_AWAY)
    assert kept.actual_end is None and kept.planned_end == dt.date(2027, 1, 5)


def test_a_transfer_to_another_ward_keeps_the_remaining_term(police, other_police, khom, other_ward):
    person = PersonFactory(khom=khom)
    episode = EpisodeFactory(person=person, started_on=START)
    transfer = transfers.transfer_start(user=police, person=person,
                                        data={"to_ward": other_ward, "moved_on": dt.date(2026, 5, 1)})
    transfers.transfer_send(user=police, transfer=transfer)
    transfers.transfer_accept(user=other_police, transfer=transfer,
                              data={"to_khom": KhomFactory(ward=other_ward, code="B09")})
    episode.refresh_from_db()
    assert (episode.actual_end, episode.planned_end) == (None, dt.date(2027, 1, 5))


# File transfer and decision days are the rule's -------------------------------------------------------
def test_the_transfer_task_reads_the_rules_days(police, khom, other_ward):
    person = PersonFactory(khom=khom)
    transfer = transfers.transfer_start(user=police, person=person,
                                        data={"to_ward": other_ward, "moved_on": dt.date(2026, 2, 12)})
    start = transfer.start_on
    assert transfers.transfer_due(transfer) == add_working_days(start, 5)
    ManagementRule.objects.update(transfer_working_days=8)
    assert transfers.transfer_due(transfer) == add_working_days(start, 8)
    [task] = [item for item in deadlines_for_user(police, today=start) if item.category == "transfer_send"]
    assert task.due == add_working_days(start, 8)


def test_the_decision_deadline_reads_the_rules_days(police, khom):
    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=dt.date(2026, 2, 12), result=TestResult.POSITIVE)
    ManagementRule.objects.update(decision_working_days=5)
    [item] = [i for i in deadlines_for_user(police, today=dt.date(2026, 2, 13)) if i.category == "decision_due"]
    # Thu 12/02: Fri 13/02 (1), Tết 14–22/02, Mon 23 (2) … Thu 26 (5).
    assert item.due == dt.date(2026, 2, 26)


# Post-rehab term by the previous measure ----------------------------------------------------------
def _after(person, code, ended):
    EpisodeFactory(person=person, kind=seeded_kind(code), started_on=ended - dt.timedelta(days=300),
                   actual_end=ended, end_reason=EndReason.TERM_COMPLETED)


@pytest.mark.parametrize("code, born, months", [
    ("voluntary_home", dt.date(1990, 5, 17), 12),
    ("methadone", dt.date(1990, 5, 17), 12),
    ("compulsory_rehab", dt.date(1990, 5, 17), 24),           # adult after compulsory rehab: 2 years
    ("compulsory_rehab", dt.date(2008, 3, 1), 24),             # 18 on the day post-rehab starts: adult
    ("compulsory_rehab", dt.date(2008, 3, 2), 12),             # 18 the day after: a minor, 1 year
])
def test_post_rehab_management_lasts_by_the_previous_measure_and_age(police, khom, code, born, months):
    person = PersonFactory(khom=khom, date_of_birth=born)
    _after(person, code, dt.date(2026, 3, 1))
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("post_rehab"), "started_on": dt.date(2026, 3, 1)})
    assert episode.planned_end == add_months(dt.date(2026, 3, 1), months)


def test_post_rehab_without_a_previous_measure_takes_the_kinds_term_and_a_typed_end_wins(police, khom):
    person = PersonFactory(khom=khom)
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("post_rehab"), "started_on": dt.date(2026, 3, 1)})
    assert episode.planned_end == dt.date(2027, 3, 1)
    other = PersonFactory(khom=khom)
    _after(other, "compulsory_rehab", dt.date(2026, 3, 1))
    typed = services.episode_create(person=other, user=police, data={
        "kind": seeded_kind("post_rehab"), "started_on": dt.date(2026, 3, 1), "planned_end": dt.date(2026, 9, 1)})
    assert typed.planned_end == dt.date(2026, 9, 1)


# §5: kinds that may not be open together ----------------------------------------------------------------
def test_opening_a_kind_that_conflicts_with_an_open_episode_is_refused_with_the_reason(police, khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=START)
    with pytest.raises(ValidationError) as refused:
        services.episode_create(person=person, user=police, data={
            "kind": seeded_kind("addict"), "started_on": dt.date(2026, 2, 1)})
    [message] = refused.value.messages
    assert message == str(EPISODE_CONFLICT) % {
        "kind": seeded_kind("addict").name, "other": f"{seeded_kind('illegal_user').name} (05/01/2026)"}
    assert person.episodes.count() == 1


def test_kinds_that_do_not_conflict_open_together_and_an_ended_episode_never_conflicts(police, khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=START)
    services.episode_create(person=person, user=police, data={"kind": seeded_kind("methadone"),
                                                              "started_on": dt.date(2026, 2, 1)})
    other = PersonFactory(khom=khom)
    EpisodeFactory(person=other, kind=seeded_kind("illegal_user"), started_on=dt.date(2025, 1, 5),
                   actual_end=dt.date(2025, 12, 1), end_reason=EndReason.ADDICTION_FOUND)
    services.episode_create(person=other, user=police, data={"kind": seeded_kind("addict"),
                                                             "started_on": dt.date(2025, 12, 1)})


def test_which_kinds_conflict_is_data(police, khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=START)
    seeded_kind("methadone").excludes.add(seeded_kind("illegal_user"))  # an administrator's edit
    with pytest.raises(ValidationError):
        services.episode_create(person=person, user=police, data={"kind": seeded_kind("methadone"),
                                                                  "started_on": dt.date(2026, 2, 1)})
    assert seeded_kind("illegal_user") in seeded_kind("methadone").excludes.all()
    # Symmetric: the other way round too.
    seeded_kind("illegal_user").excludes.remove(seeded_kind("addict"))
    assert seeded_kind("illegal_user") not in seeded_kind("addict").excludes.all()


def test_the_episode_form_shows_the_reason_and_a_link_to_close_the_other(client_for, police, leader, khom):
    person = PersonFactory(khom=khom)
    open_one = EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=START)
    url = reverse("subjects:episode_create", args=[person.pk])
    response = client_for(police).post(url, {"kind": seeded_kind("addict").pk, "started_on": "01/02/2026"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "không được mở cùng lúc" in page
    assert reverse("subjects:episode_close", args=[open_one.pk]) in page
    assert person.episodes.count() == 1
    # Offered before typing too, when the work list's link names the kind.
    page = client_for(police).get(f"{url}?kind=addict&started_on=01/02/2026").content.decode()
    assert reverse("subjects:episode_close", args=[open_one.pk]) in page
    # A hostile kind or date in the link is ignored, never a 500.
    assert client_for(police).get(f"{url}?kind=%00x&started_on=99/99/9999").status_code == 200


@pytest.mark.parametrize("name", ["episode_restart"])
def test_the_restart_page_per_role_and_scope(client_for, client, police, khom_officer, province, other_police, khom,
                                             name):
    episode = EpisodeFactory(person=PersonFactory(khom=khom), started_on=START)
    url = reverse(f"subjects:{name}", args=[episode.pk])
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert client_for(khom_officer).get(url).status_code == 403
    assert client_for(province).get(url).status_code == 403
    assert client_for(other_police).get(url).status_code == 404
    assert client_for(police).get(url).status_code == 200
    ended = EpisodeFactory(person=PersonFactory(khom=khom), started_on=START, actual_end=dt.date(2026, 2, 1),
                           end_reason=EndReason.OTHER)
    assert client_for(police).get(reverse(f"subjects:{name}", args=[ended.pk])).status_code == 404


@pytest.mark.parametrize("value", ["²", "9" * 5000, "abc"])
def test_the_restart_page_with_a_test_number_int_refuses_shows_the_form_without_it(client_for, police, khom, value):
    from django.urls import reverse

    person = PersonFactory(khom=khom)
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("illegal_user"), "started_on": START, "decision_number": "1/QĐ-UBND"})
    response = client_for(police).get(reverse("subjects:episode_restart", args=[episode.pk]), {"test": value})
    assert response.status_code == 200 and response.context["restart"]["test"] is None


def test_a_new_decision_cannot_start_before_the_positive_test_it_answers(police, khom):
    person = PersonFactory(khom=khom)
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("illegal_user"), "started_on": START, "decision_number": "1/QĐ-UBND"})
    services.drug_test_create(person=person, user=police, data={
        "tested_on": dt.date(2026, 6, 10), "result": TestResult.POSITIVE})
    with pytest.raises(ValidationError) as error:
        services.episode_restart(episode=episode, user=police, data={"started_on": dt.date(2026, 6, 9)})
    assert error.value.message_dict["started_on"] == [
        "Quyết định mới áp dụng cho lần sử dụng mới: ngày bắt đầu không được trước ngày xét nghiệm dương tính "
        "10/06/2026."]
    episode.refresh_from_db()
    assert episode.actual_end is None
    new = services.episode_restart(episode=episode, user=police, data={"started_on": dt.date(2026, 6, 10)})
    assert new.started_on == dt.date(2026, 6, 10)


def test_closing_an_episode_a_restart_has_already_ended_is_refused(police, khom):
    person = PersonFactory(khom=khom)
    episode = services.episode_create(person=person, user=police, data={
        "kind": seeded_kind("illegal_user"), "started_on": START, "decision_number": "1/QĐ-UBND"})
    opened = Episode.objects.get(pk=episode.pk)            # the close form, read before the restart
    services.episode_restart(episode=episode, user=police, data={"started_on": dt.date(2026, 6, 12)})
    with pytest.raises(ValidationError) as error:
        services.episode_close(episode=opened, user=police, data={"actual_end": dt.date(2026, 7, 1),
                                                                   "end_reason": EndReason.DIED})
    assert error.value.messages == [str(services.CLOSE_ALREADY_ENDED)]
    episode.refresh_from_db()
    assert (episode.actual_end, episode.end_reason) == (dt.date(2026, 6, 12), EndReason.NEW_DECISION)
