"""Record transfers between wards (issue 18 §3): the record's scope moves, the 5-working-day task, who is told."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.choices import Role
from apps.core.choices import AuditAction, CalendarExceptionKind
from apps.core.models import AuditEvent, CalendarException
from apps.core.workdays import WorkingCalendar
from apps.notifications.choices import NotificationKind
from apps.notifications.models import Notification
from apps.subjects import transfers
from apps.subjects.choices import MoveKind, TransferStatus
from apps.subjects.models import CCCD_UNAVAILABLE, TRANSFER_ALREADY_OPEN, Person, RecordTransfer
from apps.subjects.selectors import deadline_counts_for_user, deadlines_for_user
from tests.factories.accounts import UserFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import (DrugTestFactory, EpisodeFactory, PersonFactory, RecordTransferFactory,
                                      ResidenceMoveFactory, SupportRecordFactory)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
CCCD = "089090123456"  # the conftest's person: male, born 1990


@pytest.fixture
def history(person):
    """The person of ward A with one of everything the record holds."""
    return {
        "episode": EpisodeFactory(person=person, started_on=TODAY - dt.timedelta(days=40), decision_date=None),
        "test": DrugTestFactory(person=person, tested_on=TODAY - dt.timedelta(days=30), substances="Methamphetamine"),
        "move": ResidenceMoveFactory(person=person, kind=MoveKind.MOVE_IN, moved_on=TODAY - dt.timedelta(days=200),
                                     other_place="Phường Long Xuyên cũ"),
        "support": SupportRecordFactory(person=person, given_on=TODAY - dt.timedelta(days=20),
                                        provider="Trung tâm Học Nghề Thử"),
    }


@pytest.fixture
def crowd(ward, other_ward, khom, other_khom, leader, police, other_police, khom_officer):
    """Every ward role of A, of B, and the police and leadership of a third ward C."""
    ward_c = WardFactory(code="WC", name="Phường C")
    return {
        "leader": leader, "police": police, "khom_officer": khom_officer,
        "second_police": UserFactory(username="t_police2", role=Role.POLICE, wards=[ward]),
        "other_police": other_police,
        "other_leader": UserFactory(username="t_leader_b", role=Role.LEADERSHIP, wards=[other_ward]),
        "other_khom_officer": UserFactory(username="t_khom_b", role=Role.KHOM_OFFICER, khoms=[other_khom]),
        "third_police": UserFactory(username="t_police_c", role=Role.POLICE, wards=[ward_c]),
        "third_leader": UserFactory(username="t_leader_c", role=Role.LEADERSHIP, wards=[ward_c]),
    }


def told(crowd, kind):
    names = {user.pk: name for name, user in crowd.items()}
    return {names.get(pk, pk) for pk in Notification.objects.filter(kind=kind).values_list("recipient", flat=True)}


def _start(client, person, to_ward, moved_on=None):
    return client.post(reverse("subjects:transfer_start_create", args=[person.pk]),
                       {"to_ward": to_ward.pk, "moved_on": f"{moved_on or TODAY - dt.timedelta(days=1):%d/%m/%Y}",
                        "notes": "Chuyển về ở với gia đình"})


# The whole way, through the pages ----------------------------------------------------------------

def test_a_record_sent_by_ward_a_and_accepted_by_ward_b_belongs_to_b_with_its_whole_history(
        client, crowd, person, history, police, other_police, other_ward, other_khom):
    detail = reverse("subjects:detail", args=[person.pk])
    client.force_login(police)
    response = _start(client, person, other_ward)
    transfer = RecordTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert transfer.status == TransferStatus.TO_SEND and transfer.from_ward_id == person.khom.ward_id
    # Not sent yet: ward B neither sees it nor is told.
    client.force_login(other_police)
    assert client.get(transfer.get_absolute_url()).status_code == 404
    assert not Notification.objects.exists()

    client.force_login(police)
    assert client.post(reverse("subjects:transfer_send", args=[transfer.pk])).status_code == 302
    assert told(crowd, NotificationKind.TRANSFER_REQUESTED) == {"other_police"}
    client.force_login(other_police)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert person.full_name in page and "Tiếp nhận hồ sơ" in page
    assert client.get(detail).status_code == 404  # not B's until accepted

    response = client.post(reverse("subjects:transfer_accept", args=[transfer.pk]), {"to_khom": other_khom.pk})
    assert response.status_code == 302 and response["Location"] == detail
    person.refresh_from_db()
    assert person.khom == other_khom
    # The term continues for what remains: the open episode moves as it is.
    episode = person.episodes.get()
    assert (episode.actual_end, episode.planned_end) == (None, history["episode"].planned_end)
    page = client.get(detail).content.decode()
    for text in (history["episode"].kind.name, "Methamphetamine", "Phường Long Xuyên cũ", "Trung tâm Học Nghề Thử",
                 "Khóm A01, Phường A"):
        assert text in page, text
    assert told(crowd, NotificationKind.TRANSFER_ACCEPTED) == {"police", "second_police"}

    # Ward A: 404 on the record and on each of its pages, but the trace stays, read-only, without a link.
    client.force_login(police)
    for path in (detail, reverse("subjects:edit", args=[person.pk]),
                 reverse("subjects:test_create", args=[person.pk]),
                 reverse("subjects:episode_close", args=[history["episode"].pk])):
        assert client.get(path).status_code == 404, path
    trace = client.get(transfer.get_absolute_url()).content.decode()
    assert person.full_name in trace and detail not in trace and "Đã tiếp nhận" in trace
    assert "Methamphetamine" not in trace
    listed = client.get(reverse("subjects:transfer_list")).content.decode()
    assert person.full_name in listed and "Chuyển đi" in listed


def test_the_move_and_the_record_change_are_in_both_wards_audit_logs(police, other_police, person, ward, other_ward,
                                                                       other_khom):
    old_khom = person.khom_id
    transfer = transfers.transfer_start(user=police, person=person, data={"to_ward": other_ward,
                                                                         "moved_on": TODAY})
    transfers.transfer_send(user=police, transfer=transfer)
    transfers.transfer_accept(user=other_police, transfer=transfer, data={"to_khom": other_khom})
    person_events = AuditEvent.objects.filter(object_type="subjects.person", object_id=str(person.pk),
                                              action=AuditAction.UPDATE)
    assert sorted(person_events.values_list("ward_id", flat=True)) == sorted([ward.pk, other_ward.pk])
    assert all(event.changes["khom_id"] == [old_khom, other_khom.pk] for event in person_events)
    for ward_id in (ward.pk, other_ward.pk):
        assert AuditEvent.objects.filter(ward_id=ward_id, object_type="subjects.residencemove",
                                         action=AuditAction.CREATE).exists()
        assert AuditEvent.objects.filter(ward_id=ward_id, object_type="subjects.recordtransfer",
                                         extra__step="accept").exists()
    # The new move is in the person's history, told to the police the day the transfer was opened.
    move = person.moves.get()
    assert (move.kind, move.to_khom, move.notified_on) == (MoveKind.MOVE_IN, other_khom, TODAY)


def test_a_refusal_leaves_the_record_where_it_was(police, other_police, person, other_ward):
    transfer = transfers.transfer_start(user=police, person=person, data={"to_ward": other_ward, "moved_on": TODAY})
    transfers.transfer_send(user=police, transfer=transfer)
    with pytest.raises(ValidationError):
        transfers.transfer_refuse(user=other_police, transfer=transfer, data={"reason": " "})
    transfers.transfer_refuse(user=other_police, transfer=transfer, data={"reason": "Không cư trú tại phường"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and transfer.refusal_reason == "Không cư trú tại phường"
    assert Person.objects.for_user(police).filter(pk=person.pk).exists()
    assert not Person.objects.for_user(other_police).filter(pk=person.pk).exists()
    # Closed: a new transfer may be opened.
    assert transfers.transfer_start(user=police, person=person, data={"to_ward": other_ward, "moved_on": TODAY})


def test_each_step_belongs_to_its_side(police, other_police, person, other_ward, other_khom, khom):
    transfer = transfers.transfer_start(user=police, person=person, data={"to_ward": other_ward, "moved_on": TODAY})
    with pytest.raises(ValidationError):
        transfers.transfer_send(user=other_police, transfer=transfer)
    with pytest.raises(ValidationError):  # not sent yet
        transfers.transfer_accept(user=other_police, transfer=transfer, data={"to_khom": other_khom})
    transfers.transfer_send(user=police, transfer=transfer)
    with pytest.raises(ValidationError):  # sent once
        transfers.transfer_send(user=police, transfer=transfer)
    with pytest.raises(ValidationError):  # the sender does not accept its own record
        transfers.transfer_accept(user=police, transfer=transfer, data={"to_khom": khom})
    with pytest.raises(ValidationError) as refused:  # into a khóm of the receiving ward only
        transfers.transfer_accept(user=other_police, transfer=transfer, data={"to_khom": khom})
    assert "to_khom" in refused.value.error_dict
    with pytest.raises(ValidationError):  # one open transfer per record
        transfers.transfer_start(user=police, person=person, data={"to_ward": other_ward, "moved_on": TODAY})
    with pytest.raises(ValidationError) as same:
        transfers.transfer_start(user=police, person=PersonFactory(khom=khom), data={"to_ward": khom.ward,
                                                                                    "moved_on": TODAY})
    assert "to_ward" in same.value.error_dict


def test_leadership_reads_transfers_but_its_calls_to_the_services_are_refused(leader, police, person, other_ward):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        transfers.transfer_start(user=leader, person=person, data={"to_ward": other_ward, "moved_on": TODAY})
    transfer = transfers.transfer_start(user=police, person=person, data={"to_ward": other_ward, "moved_on": TODAY})
    for service, data in ((transfers.transfer_send, None), (transfers.transfer_refuse, {"reason": "x"})):
        with pytest.raises(PermissionDenied):
            service(user=leader, transfer=transfer, **({"data": data} if data else {}))
    assert RecordTransfer.objects.get().status == TransferStatus.TO_SEND


def test_a_future_move_date_is_refused(police, person, other_ward):
    with pytest.raises(ValidationError) as refused:
        transfers.transfer_start(user=police, person=person,
                                 data={"to_ward": other_ward, "moved_on": TODAY + dt.timedelta(days=1)})
    assert "moved_on" in refused.value.error_dict


# The 5-working-day task ----------------------------------------------------------------------------

def test_the_send_task_stands_for_the_holding_ward_until_the_record_is_sent(police, leader, other_police, person,
                                                                             other_ward):
    transfer = transfers.transfer_start(user=police, person=person,
                                        data={"to_ward": other_ward, "moved_on": TODAY - dt.timedelta(days=2)})
    tasks = [item for item in deadlines_for_user(police) if item.category == "transfer_send"]
    assert [(item.person, item.due) for item in tasks] == [(person, transfers.transfer_due(transfer))]
    assert tasks[0].detail == "→ Phường B"
    assert deadline_counts_for_user(police)["transfer_send"][0] == 1
    assert [item.category for item in deadlines_for_user(leader)] == ["transfer_send"]
    assert "transfer_send" not in {item.category for item in deadlines_for_user(other_police)}
    transfers.transfer_send(user=police, transfer=transfer)
    assert "transfer_send" not in {item.category for item in deadlines_for_user(police)}
    assert deadline_counts_for_user(police)["transfer_send"] == (0, 0)


@pytest.mark.parametrize("start, due", [
    # Thursday before Tết 2026 (14–22/02 off): Fri 13, then Mon 23 … Thu 26.
    (dt.date(2026, 2, 12), dt.date(2026, 2, 26)),
    # Thursday 27/08/2026: Fri 28; 31/08 (swapped day off), 1–2/09 (Quốc khánh) off; Thu 3 … Tue 8.
    (dt.date(2026, 8, 27), dt.date(2026, 9, 8)),
])
def test_the_send_deadline_counts_working_days_across_tet_and_the_2026_day_off(person, start, due):
    transfer = RecordTransferFactory(person=person, moved_on=min(start, TODAY), start_on=start)
    assert transfers.transfer_due(transfer) == due
    assert transfers.transfer_due(transfer, WorkingCalendar(start)) == due


def test_an_administrators_day_off_moves_the_send_deadline(person):
    transfer = RecordTransferFactory(person=person, moved_on=dt.date(2026, 2, 12), start_on=dt.date(2026, 2, 12))
    CalendarException.objects.create(date=dt.date(2026, 2, 23), kind=CalendarExceptionKind.DAY_OFF,
                                     name="Nghỉ bù thử")
    assert transfers.transfer_due(transfer) == dt.date(2026, 2, 27)


def test_a_request_counts_its_five_days_from_the_day_it_was_made(police, other_police, person, other_khom):
    transfer = transfers.transfer_request(user=other_police, data={"cccd": CCCD, "khom": other_khom,
                                                                   "moved_on": TODAY - dt.timedelta(days=60)})
    assert transfer.start_on == TODAY
    task = next(item for item in deadlines_for_user(police) if item.category == "transfer_send")
    assert task.due == WorkingCalendar(TODAY).add_working_days(TODAY, 5)


# A CCCD held elsewhere: the request ---------------------------------------------------------------

def test_the_person_form_keeps_its_neutral_refusal_and_offers_a_transfer_request(client, other_police, person,
                                                                                  other_khom):
    client.force_login(other_police)
    before = AuditEvent.objects.filter(action=AuditAction.LOOKUP).count()
    response = client.post(reverse("subjects:create"), {
        "full_name": "Ai Đó", "gender": "male", "date_of_birth": "17/05/1990", "cccd": CCCD, "khom": other_khom.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert str(CCCD_UNAVAILABLE) in page
    assert reverse("subjects:transfer_create") in page and "Yêu cầu chuyển hồ sơ" in page
    # Neither the holder's name nor its ward.
    assert person.full_name not in page and "Phường A" not in page and "Khóm A01" not in page
    assert AuditEvent.objects.filter(action=AuditAction.LOOKUP).count() == before + 1


def test_the_offer_is_the_same_whoever_holds_the_number_and_only_for_police(client, leader, police, person, khom):
    client.force_login(police)  # the number is in the user's own scope: the same refusal, the same offer
    response = client.post(reverse("subjects:create"), {
        "full_name": "Ai Đó", "gender": "male", "date_of_birth": "17/05/1990", "cccd": CCCD, "khom": khom.pk})
    assert str(CCCD_UNAVAILABLE) in response.content.decode()
    assert reverse("subjects:transfer_create") in response.content.decode()
    ok = client.post(reverse("subjects:create"), {"full_name": "Ai Đó", "gender": "male",
                                                  "date_of_birth": "17/05/1990", "khom": khom.pk})
    assert ok.status_code == 302


def test_a_request_goes_to_the_holding_wards_police_who_decide(client, crowd, person, police, other_police,
                                                               other_khom):
    client.force_login(other_police)
    response = client.post(reverse("subjects:transfer_create"), {
        "cccd": CCCD, "to_khom": other_khom.pk, "moved_on": f"{TODAY:%d/%m/%Y}", "notes": "Đến ở nhà thuê"})
    transfer = RecordTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert (transfer.status, transfer.from_ward_id, transfer.to_khom) == (TransferStatus.REQUESTED,
                                                                          person.khom.ward_id, other_khom)
    assert told(crowd, NotificationKind.TRANSFER_REQUESTED) == {"police", "second_police"}
    notice = Notification.objects.filter(kind=NotificationKind.TRANSFER_REQUESTED).first()
    assert person.full_name not in notice.text and CCCD not in notice.text and "Phường B" in notice.text
    # The requester sees its own request, not whose record it is nor where it is held.
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert CCCD in page and person.full_name not in page and "Phường A" not in page
    listed = client.get(reverse("subjects:transfer_list")).content.decode()
    assert person.full_name not in listed and "Phường A" not in listed
    # Ward B's audit log does not name the holder either.
    for event in AuditEvent.objects.filter(ward_id=other_khom.ward_id, object_type="subjects.recordtransfer"):
        assert "from_ward_id" not in event.changes and "person_name" not in event.changes
        assert person.full_name not in event.object_repr

    # The holding ward sees who and decides: send, then B accepts.
    client.force_login(police)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert person.full_name in page and "Gửi hồ sơ sang phường nhận" in page
    assert any(item.category == "transfer_send" for item in deadlines_for_user(police))
    client.post(reverse("subjects:transfer_send", args=[transfer.pk]))
    client.force_login(other_police)
    assert person.full_name in client.get(transfer.get_absolute_url()).content.decode()
    client.post(reverse("subjects:transfer_accept", args=[transfer.pk]), {"to_khom": other_khom.pk})
    assert Person.objects.for_user(other_police).filter(pk=person.pk).exists()
    assert told(crowd, NotificationKind.TRANSFER_ACCEPTED) == {"police", "second_police"}


def test_the_holding_ward_may_turn_a_request_down(police, other_police, person, other_khom):
    transfer = transfers.transfer_request(user=other_police, data={"cccd": CCCD, "khom": other_khom,
                                                                   "moved_on": TODAY})
    transfers.transfer_refuse(user=police, transfer=transfer, data={"reason": "Người này vẫn cư trú tại phường"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED
    assert not any(item.category == "transfer_send" for item in deadlines_for_user(police))
    assert not Person.objects.for_user(other_police).filter(pk=person.pk).exists()


@pytest.mark.parametrize("cccd", ["001090999999", "089090123456"])
def test_a_request_that_cannot_be_made_answers_without_naming_anyone(police, other_police, person, other_khom, khom,
                                                                     cccd):
    """An unknown number and one already requested answer neutrally; both are recorded lookups."""
    if cccd == CCCD:
        transfers.transfer_request(user=other_police, data={"cccd": cccd, "khom": other_khom, "moved_on": TODAY})
    before = AuditEvent.objects.filter(action=AuditAction.LOOKUP, user=other_police).count()
    with pytest.raises(ValidationError) as refused:
        transfers.transfer_request(user=other_police, data={"cccd": cccd, "khom": other_khom, "moved_on": TODAY})
    messages = " ".join(refused.value.messages)
    assert messages in (str(transfers.TRANSFER_REQUEST_UNAVAILABLE), str(TRANSFER_ALREADY_OPEN))
    assert person.full_name not in messages and "Phường A" not in messages
    assert AuditEvent.objects.filter(action=AuditAction.LOOKUP, user=other_police).count() == before + 1
    with pytest.raises(ValidationError):  # a khóm outside the requester's scope
        transfers.transfer_request(user=other_police, data={"cccd": cccd, "khom": khom, "moved_on": TODAY})


def test_a_request_for_a_record_in_the_users_own_scope_says_so(police, person, khom):
    with pytest.raises(ValidationError) as refused:
        transfers.transfer_request(user=police, data={"cccd": CCCD, "khom": khom, "moved_on": TODAY})
    assert refused.value.messages == [str(transfers.TRANSFER_IN_YOUR_SCOPE)]
    assert not RecordTransfer.objects.exists()


def test_the_request_page_refuses_bad_input_in_vietnamese(client, other_police, other_khom):
    client.force_login(other_police)
    response = client.post(reverse("subjects:transfer_create"), {
        "cccd": "12ab", "to_khom": other_khom.pk, "moved_on": "31/02/2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số CCCD" in page and "invalid-feedback" in page
    assert not RecordTransfer.objects.exists()


# Each page: anonymous, wrong role, out of scope, happy path ----------------------------------------

@pytest.fixture
def sent(person, other_ward):
    return RecordTransferFactory(person=person, to_ward=other_ward, status=TransferStatus.SENT,
                                 sent_at=dt.datetime(2026, 2, 2, tzinfo=dt.timezone.utc))


def _pages(transfer, person):
    return {
        "list": reverse("subjects:transfer_list"),
        "detail": transfer.get_absolute_url(),
        "request": reverse("subjects:transfer_create"),
        "start": reverse("subjects:transfer_start_create", args=[person.pk]),
    }


def test_anonymous_users_are_sent_to_the_login_page(client, sent, person):
    for path in [*_pages(sent, person).values()] + [reverse(f"subjects:transfer_{step}", args=[sent.pk])
                                                    for step in ("send", "accept", "refuse")]:
        response = client.get(path) if "send" not in path and "accept" not in path and "refuse" not in path \
            else client.post(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path


def test_roles_without_a_part_in_transfers_get_403(client, sent, person, khom_officer, province, province_officer,
                                                   leader):
    for user in (khom_officer, province, province_officer):
        client.force_login(user)
        for name, path in _pages(sent, person).items():
            assert client.get(path).status_code == 403, (user.role, name)
        assert client.post(reverse("subjects:transfer_send", args=[sent.pk])).status_code == 403
    client.force_login(leader)  # reads, does not act
    assert client.get(_pages(sent, person)["detail"]).status_code == 200
    assert client.get(_pages(sent, person)["request"]).status_code == 403
    assert client.post(reverse("subjects:transfer_refuse", args=[sent.pk]), {"reason": "x"}).status_code == 403
    assert RecordTransfer.objects.get().status == TransferStatus.SENT


def test_a_transfer_outside_both_wards_is_404_on_every_page(client, sent, person):
    outsider = UserFactory(username="t_police_c", role=Role.POLICE, wards=[WardFactory(code="WC")])
    client.force_login(outsider)
    assert client.get(sent.get_absolute_url()).status_code == 404
    assert client.get(reverse("subjects:transfer_start_create", args=[person.pk])).status_code == 404
    for step, data in (("send", {}), ("accept", {"to_khom": person.khom_id}), ("refuse", {"reason": "x"})):
        assert client.post(reverse(f"subjects:transfer_{step}", args=[sent.pk]), data).status_code == 404
    assert sent.person_name not in client.get(reverse("subjects:transfer_list")).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, user=outsider,
                                     object_type="subjects.recordtransfer").exists()


def test_the_action_urls_answer_get_with_405(client, sent, police):
    client.force_login(police)
    for step in ("send", "accept", "refuse"):
        assert client.get(reverse(f"subjects:transfer_{step}", args=[sent.pk])).status_code == 405


def test_a_refused_action_says_why_on_the_transfers_page(client, sent, police):
    client.force_login(police)
    response = client.post(reverse("subjects:transfer_send", args=[sent.pk]), follow=True)
    assert str(transfers.TRANSFER_NOT_TO_SEND) in response.content.decode()
    assert RecordTransfer.objects.get().status == TransferStatus.SENT


def test_the_pages_shown_are_audited(client, sent, person, police):
    client.force_login(police)
    for name, path in _pages(sent, person).items():
        before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
        assert client.get(path).status_code == 200, name
        if name != "request":  # a blank form names nobody
            assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1, name


def test_the_list_filters_by_direction_and_status(client, police, person, other_police, other_khom, other_ward):
    outgoing = RecordTransferFactory(person=person, to_ward=other_ward)
    incoming = RecordTransferFactory(person=PersonFactory(khom=other_khom, cccd="089090654321"),
                                     to_ward=person.khom.ward, status=TransferStatus.SENT,
                                     sent_at=dt.datetime(2026, 2, 2, tzinfo=dt.timezone.utc))
    client.force_login(police)
    url = reverse("subjects:transfer_list")
    assert list(client.get(url, {"direction": "out"}).context["object_list"]) == [outgoing]
    assert list(client.get(url, {"direction": "in"}).context["object_list"]) == [incoming]
    assert list(client.get(url, {"status": "sent"}).context["object_list"]) == [incoming]
    assert client.get(url, {"direction": "<script>", "status": "x" * 500}).status_code == 200


def test_the_list_issues_the_same_queries_at_two_sizes(client, police, ward, count_queries):
    client.force_login(police)
    url = reverse("subjects:transfer_list")

    def fill(n):
        for _ in range(n):
            RecordTransferFactory(person=PersonFactory(khom=KhomFactory(ward=ward)))

    fill(2)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    fill(20)
    large = count_queries(lambda: client.get(url))
    assert small == large
    assert len(client.get(url).context["object_list"]) == 22


def test_the_imports_refusal_of_a_cccd_held_elsewhere_offers_a_transfer_request(client, other_police, person,
                                                                                  other_khom):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.imports.models import ImportBatch
    from tests.factories.imports import person_row, persons_xlsx

    client.force_login(other_police)
    row = person_row(khom_code=other_khom.code, **{"Họ và tên": "Ai Đó", "Ngày sinh": "17/05/1990", "Số CCCD": CCCD})
    client.post(reverse("imports:index"), {"kind": "persons", "file": SimpleUploadedFile("ds.xlsx", persons_xlsx([row]))})
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:preview", args=[batch.pk]))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert str(CCCD_UNAVAILABLE) in page  # the same neutral refusal
    assert reverse("subjects:transfer_create") in page
    assert person.full_name not in page and "Phường A" not in page
    # A file without that refusal offers nothing.
    ok = person_row(khom_code=other_khom.code, **{"Họ và tên": "Người Khác", "Ngày sinh": "31/02/2025"})
    client.post(reverse("imports:index"), {"kind": "persons", "file": SimpleUploadedFile("b.xlsx", persons_xlsx([ok]))})
    other = ImportBatch.objects.exclude(pk=batch.pk).get()
    client.post(reverse("imports:preview", args=[other.pk]))
    assert reverse("subjects:transfer_create") not in client.get(reverse("imports:batch", args=[other.pk])).content.decode()


def test_the_scope_of_a_transfer_is_the_sending_ward_and_the_receiving_one_once_it_has_a_part(
        police, leader, other_police, khom_officer, province, province_officer, person, other_ward):
    transfer = RecordTransferFactory(person=person, to_ward=other_ward)
    for user in (police, leader):
        assert list(RecordTransfer.objects.for_user(user)) == [transfer]
    for user in (other_police, khom_officer, province, province_officer):
        assert not RecordTransfer.objects.for_user(user).exists(), user.role
    RecordTransfer.objects.filter(pk=transfer.pk).update(sent_at=dt.datetime(2026, 2, 2, tzinfo=dt.timezone.utc))
    assert list(RecordTransfer.objects.for_user(other_police)) == [transfer]
    assert list(RecordTransfer.objects.with_related().for_user(other_police).filter(pk=transfer.pk)) == [transfer]
