"""manage.py send_digests through a real SMTP server on loopback: who gets what, once a day, never a name."""
import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.accounts.choices import Role
from apps.criteria import services as criteria_services
from apps.criteria.choices import CriteriaScope
from apps.notifications import digest
from apps.notifications.choices import NotificationKind
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.services import notify
from apps.reports import services as report_services
from apps.subjects.services import person_sync_status
from tests.criteria.conftest import make_passing, submitted
from tests.factories.accounts import UserFactory
from tests.factories.criteria import seeded_set
from tests.factories.reports import ReportFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory, seeded_kind
from tests.notifications.conftest import SITE_URL, SMTP_LOGIN, SMTP_PASSWORD

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Names nobody would write by chance: if any of them reaches a digest, the digest leaks.
PERSON_NAMES = ["Quách Thị Tuyết Nhung", "Hứa Văn Lộc Phát"]
PERSON_CCCDS = ["089090123456", "089090654321"]
STAFF_FIRST, STAFF_LAST = "Diệp Bảo", "Khánh Linh"


def send(**kwargs):
    out = io.StringIO()
    call_command("send_digests", stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def staff(ward, other_ward, khom, khom2, other_khom):
    """Users of every role with an e-mail address: ward A (two khóm), ward B, the province."""
    def user(username, role, **scope):
        return UserFactory(username=username, role=role, email=f"{username}@myhoi.example.vn",
                           first_name=STAFF_FIRST, last_name=f"{STAFF_LAST} {username}", **scope)

    return {
        "leader": user("lanhdao_a", Role.LEADERSHIP, wards=[ward]),
        "police": user("congan_a", Role.POLICE, wards=[ward]),
        "khom_officer": user("khom_a01", Role.KHOM_OFFICER, khoms=[khom]),
        "khom2_officer": user("khom_a02", Role.KHOM_OFFICER, khoms=[khom2]),
        "other_leader": user("lanhdao_b", Role.LEADERSHIP, wards=[other_ward]),
        "other_police": user("congan_b", Role.POLICE, wards=[other_ward]),
        "other_khom_officer": user("khom_b01", Role.KHOM_OFFICER, khoms=[other_khom]),
        "province": user("tinh", Role.PROVINCE),
        "province_officer": user("pc04", Role.PROVINCE_OFFICER),
    }


def overdue_people(khom):
    """Two people of *khom* under management whose drug test is overdue, with names and CCCDs to leak."""
    people = []
    for name, cccd in zip(PERSON_NAMES, PERSON_CCCDS):
        person = PersonFactory(khom=khom, full_name=name, cccd=cccd, date_of_birth=dt.date(1990, 5, 17))
        EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=TODAY - dt.timedelta(days=200))
        person_sync_status(person=person)
        people.append(person)
    return people


@pytest.fixture
def events(staff, ward, khom):
    """In ward A: a khóm assessment submitted and approved, a report submitted; overdue tests in khóm A01."""
    overdue_people(khom)
    make_passing(khom)
    assessment = criteria_services.assessment_create(user=staff["police"], data={"criteria_set": seeded_set(CriteriaScope.KHOM), "khom": khom, "year": 2025})
    submitted(assessment, staff["police"])
    assessment.refresh_from_db()
    criteria_services.assessment_approve(user=staff["leader"], assessment=assessment, expected_version=assessment.version, data={})
    report_services.report_submit(user=staff["leader"], report=ReportFactory(ward=ward))
    return assessment


def inbox_of(smtp_server, staff):
    return {name: smtp_server.to(user.email) for name, user in staff.items()}


def test_each_user_in_scope_gets_one_digest_through_the_smtp_server_and_nobody_else(smtp_settings, smtp_server,
                                                                                     staff, events):
    output = send()
    received = inbox_of(smtp_server, staff)
    assert {name for name, messages in received.items() if messages} == {
        "leader", "police", "khom_officer", "province_officer"}
    assert all(len(messages) <= 1 for messages in received.values())
    # Another ward's leadership, another khóm's officer, the province viewer: nothing.
    assert received["other_leader"] == [] and received["khom2_officer"] == [] and received["province"] == []
    message = received["leader"][0]
    assert message.authenticated_as == SMTP_LOGIN
    assert message.mail_from == "no-reply@myhoi.example.vn" and message.rcpt_tos == ["lanhdao_a@myhoi.example.vn"]
    assert message.message["Auto-Submitted"] == "auto-generated"
    assert "4 sent" in output and "0 failed" in output


def test_a_digest_lists_the_new_notifications_and_the_overdue_counts_with_absolute_links(smtp_settings, smtp_server,
                                                                                         staff, events):
    send()
    police = inbox_of(smtp_server, staff)["police"][0]
    notice = Notification.objects.get(recipient=staff["police"], kind=NotificationKind.ASSESSMENT_APPROVED)
    assert police.subject == f"[myhoi] Tóm tắt ngày {TODAY:%d/%m/%Y} · 1 thông báo mới · 2 việc quá hạn"
    body = police.body
    assert f"- Bản đánh giá được phê duyệt: {notice.text}\n  {SITE_URL}/notifications/{notice.pk}/" in body
    assert (f"- Quá hạn xét nghiệm: 2\n  {SITE_URL}/subjects/deadlines/?category=test_overdue&overdue=1"
            in body)
    assert f"{SITE_URL}/notifications/#email-digest" in body
    # The province officer: the submitted report only, no tasks.
    pc04 = inbox_of(smtp_server, staff)["province_officer"][0]
    assert "Phường đã nộp báo cáo: Phường A · Quý I/2026" in pc04.body and "quá hạn" not in pc04.body


def test_a_digest_never_holds_a_name_or_a_cccd(smtp_settings, smtp_server, staff, events):
    send()
    assert smtp_server.messages
    for received in smtp_server.messages:
        text = received.subject + "\n" + received.body
        for secret in [*PERSON_NAMES, *PERSON_CCCDS, STAFF_FIRST, STAFF_LAST]:
            assert secret not in text
        assert not re.search(r"\d{9,}", text)


def test_the_digest_runs_once_a_day_and_the_next_day_brings_only_what_is_new(smtp_settings, smtp_server, staff,
                                                                             events):
    send()
    first = len(smtp_server.messages)
    again = send()
    assert len(smtp_server.messages) == first
    assert f"{len(staff)} already done today" in again and "0 sent" in again
    notify(kind=NotificationKind.REPORT_REOPENED, url="/reports/", text="Phường A · Quý II/2026",
           audience=[staff["leader"]], actor=None)
    send()
    assert len(smtp_server.messages) == first  # still today
    run = digest.send_digests(day=TODAY + dt.timedelta(days=1))
    assert run[digest.SENT] == 3  # the leader's new notification; police and khóm officer still have overdue tasks
    leader = smtp_server.to(staff["leader"].email)
    assert len(leader) == 2
    assert "Phường A · Quý II/2026" in leader[1].body and "Bản đánh giá được trình" not in leader[1].body
    assert NotificationPreference.objects.get(user=staff["leader"]).digest_day == TODAY + dt.timedelta(days=1)


def test_a_user_who_opted_out_or_has_no_address_gets_no_mail_but_keeps_the_inbox(smtp_settings, smtp_server, staff,
                                                                                 events, client_for):
    client_for(staff["police"]).post("/notifications/preferences/")  # the box unticked
    staff["khom_officer"].email = ""
    staff["khom_officer"].save()
    output = send()
    assert smtp_server.to("congan_a@myhoi.example.vn") == []
    assert "1 opted out" in output and "1 without an e-mail address" in output
    # The overdue tasks still reach their inboxes.
    overdue = Notification.objects.filter(kind=NotificationKind.TASK_OVERDUE)
    assert {(n.recipient.username, n.text) for n in overdue} == {
        ("congan_a", "Quá hạn xét nghiệm: 2"), ("lanhdao_a", "Quá hạn xét nghiệm: 2"),
        ("khom_a01", "Quá hạn xét nghiệm: 2")}


def test_the_overdue_notice_is_not_repeated_in_the_digests_list_of_notifications(smtp_settings, smtp_server, staff,
                                                                                 khom):
    overdue_people(khom)
    send()
    police = smtp_server.to("congan_a@myhoi.example.vn")[0]
    assert police.subject == f"[myhoi] Tóm tắt ngày {TODAY:%d/%m/%Y} · 2 việc quá hạn"
    assert "Việc quá hạn:" not in police.body and "Thông báo chưa đọc" not in police.body


def test_a_refused_message_is_counted_failed_and_retried_by_the_next_run(smtp_settings, smtp_server, staff, events):
    smtp_server.refuse = {staff["leader"].email}
    with pytest.raises(CommandError, match="1 digest"):
        send()
    assert smtp_server.to(staff["leader"].email) == [] and len(smtp_server.messages) == 3
    # The leader's day is not marked done (the others' are).
    assert not NotificationPreference.objects.filter(user=staff["leader"], digest_day__isnull=False).exists()
    assert NotificationPreference.objects.filter(user=staff["police"], digest_day=TODAY).exists()
    smtp_server.refuse = set()
    output = send()
    assert len(smtp_server.to(staff["leader"].email)) == 1 and "1 sent" in output


def test_a_wrong_smtp_password_stops_the_run_at_once_and_records_no_digest(smtp_settings, smtp_server, staff,
                                                                          events):
    smtp_settings.EMAIL_HOST_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="SMTPAuthenticationError"):
        send()
    assert smtp_server.messages == []
    assert not NotificationPreference.objects.filter(digest_sent_at__isnull=False).exists()
    # Nobody's day is marked done when a message was due: the next run, with the right password, sends them all.
    smtp_settings.EMAIL_HOST_PASSWORD = SMTP_PASSWORD
    assert "4 sent" in send()


def test_a_mail_server_that_is_not_there_stops_the_run(smtp_settings, smtp_server, staff, events):
    smtp_settings.EMAIL_PORT = smtp_server.port + 1 if smtp_server.port < 65535 else 1
    smtp_settings.EMAIL_TIMEOUT = 5
    run = digest.send_digests()
    assert run.stopped_by in ("ConnectionRefusedError", "SMTPConnectError", "TimeoutError")
    assert run[digest.FAILED] == 1 and run[digest.SENT] == 0


def test_a_long_list_is_cut_and_says_how_many_more_wait(smtp_settings, smtp_server, staff):
    for n in range(digest.DIGEST_MAX_ITEMS + 3):
        notify(kind=NotificationKind.REPORT_REOPENED, url="/reports/", text=f"Phường A · Tháng {n}",
               audience=[staff["leader"]], actor=None)
    send()
    body = smtp_server.to(staff["leader"].email)[0].body
    assert body.count("- Báo cáo được mở lại để chỉnh sửa:") == digest.DIGEST_MAX_ITEMS
    assert "… và 3 thông báo khác trong hộp thư." in body and "(53)" in body


def test_without_site_url_in_production_the_command_refuses_to_run(smtp_settings, smtp_server, staff, events):
    smtp_settings.SITE_URL = ""
    with pytest.raises(CommandError, match=re.escape(digest.SITE_URL_MISSING)):
        send()
    assert smtp_server.messages == [] and not NotificationPreference.objects.exists()
