"""notify(): what a notification may say and link to, who is left out, and the read marks."""
import re

import pytest

from apps.accounts.choices import Role
from apps.core.audit import audit_context
from apps.core.models import AuditEvent
from apps.notifications import services
from apps.notifications.choices import NotificationKind
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.registry import OverdueCount
from apps.notifications.selectors import recipients, unread_count
from apps.notifications.services import notify
from tests.factories.reports import ReportFactory

pytestmark = pytest.mark.django_db

KIND = NotificationKind.REPORT_REOPENED


def test_notify_writes_one_row_per_recipient_with_the_objects_link(ward, leader, police):
    report = ReportFactory(ward=ward)
    written = notify(kind=KIND, obj=report, text="Phường A · Quý I/2026", actor=None,
                     audience=recipients(roles=[Role.LEADERSHIP, Role.POLICE], ward=ward))
    assert {n.recipient_id for n in written} == {leader.pk, police.pk}
    row = Notification.objects.get(recipient=leader)
    assert (row.kind, row.text, row.url) == (KIND, "Phường A · Quý I/2026", report.get_absolute_url())
    assert (row.object_type, row.object_id, row.read_at) == ("reports.report", str(report.pk), None)


def test_the_acting_user_of_the_audit_context_is_not_told_what_they_did(ward, leader, police):
    with audit_context(user=leader):
        notify(kind=KIND, url="/reports/", text="Phường A", audience=[leader, police])
    assert list(Notification.objects.values_list("recipient", flat=True)) == [police.pk]


def test_an_explicit_actor_wins_and_a_user_listed_twice_is_told_once(leader, police):
    notify(kind=KIND, url="/reports/", text="Phường A", audience=[police, police.pk, leader], actor=leader)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [police.pk]


def test_an_empty_audience_writes_nothing(ward, django_assert_num_queries):
    with django_assert_num_queries(1):  # the audience query only
        assert notify(kind=KIND, url="/reports/", text="Phường A", actor=None,
                      audience=recipients(roles=[Role.LEADERSHIP], ward=ward)) == []


@pytest.mark.parametrize("text, error", [
    ("", services.TEXT_REQUIRED),
    ("   ", services.TEXT_REQUIRED),
    ("x" * 201, services.TEXT_TOO_LONG),
    ("Đối tượng CCCD 089090001234", services.TEXT_HAS_ID_NUMBER),
    ("CMND 361234567", services.TEXT_HAS_ID_NUMBER),
])
def test_a_text_without_where_or_with_an_identity_number_is_refused(police, text, error):
    with pytest.raises(ValueError, match=re.escape(error)):
        notify(kind=KIND, url="/reports/", text=text, audience=[police], actor=None)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "reports/",
                                 "/reports/ x", "javascript:alert(1)"])
def test_a_link_that_is_not_a_path_of_this_site_is_refused(police, url):
    with pytest.raises(ValueError, match="path on this site"):
        notify(kind=KIND, url=url, text="Phường A", audience=[police], actor=None)
    assert not Notification.objects.exists()


def test_a_notification_needs_a_link(police):
    with pytest.raises(ValueError, match=re.escape(services.LINK_REQUIRED)):
        notify(kind=KIND, text="Phường A", audience=[police], actor=None)


def test_an_unknown_kind_is_refused(police):
    with pytest.raises(ValueError):
        notify(kind="something_else", url="/", text="Phường A", audience=[police], actor=None)


def test_marking_read_touches_only_the_users_own_unread_rows(leader, police):
    notify(kind=KIND, url="/reports/", text="A", audience=[leader, police], actor=None)
    notify(kind=KIND, url="/reports/", text="B", audience=[leader, police], actor=None)
    first = Notification.objects.filter(recipient=leader).earliest("pk")
    services.notification_mark_read(user=leader, notification=first)
    assert unread_count(leader) == 1 and unread_count(police) == 2
    with pytest.raises(ValueError):
        services.notification_mark_read(user=police, notification=first)
    assert services.notification_mark_all_read(user=leader) == 1
    assert unread_count(leader) == 0 and unread_count(police) == 2


def test_the_digest_preference_is_audited_when_it_changes(police):
    services.preference_update(user=police, email_digest=False)
    services.preference_update(user=police, email_digest=False)
    assert NotificationPreference.objects.get(user=police).email_digest is False
    events = AuditEvent.objects.filter(object_type="notifications.notificationpreference")
    assert [e.changes for e in events] == [{"email_digest": [True, False]}]


def test_overdue_notices_are_kept_one_per_kind_and_follow_the_count(police):
    tests = OverdueCount(code="subjects.test_overdue", label="Quá hạn xét nghiệm", count=3,
                         url="/subjects/deadlines/?category=test_overdue&overdue=1")
    moves = OverdueCount(code="subjects.move_unnotified", label="Chuyển nơi cư trú chưa báo Công an", count=1,
                         url="/subjects/deadlines/?category=move_unnotified&overdue=1")
    services.overdue_notices_refresh(user=police, counts=[tests, moves])
    services.overdue_notices_refresh(user=police, counts=[OverdueCount(**{**tests.__dict__, "count": 4})])
    rows = Notification.objects.filter(recipient=police)
    assert [(n.kind, n.text, n.url) for n in rows.all()] == [
        (NotificationKind.TASK_OVERDUE, "Quá hạn xét nghiệm: 4", "/subjects/deadlines/?category=test_overdue&overdue=1")]
    services.notification_mark_all_read(user=police)
    services.overdue_notices_refresh(user=police, counts=[tests])
    assert rows.all().count() == 2 and unread_count(police) == 1  # the read one stays; a new unread one
    services.overdue_notices_refresh(user=police, counts=[])
    assert rows.all().count() == 1 and unread_count(police) == 0
