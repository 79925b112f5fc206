"""The inbox pages: login, own items only (404 otherwise), POST-only actions, the navigation's count."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications.choices import NotificationKind
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.services import notify
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def tell(user, text="Khóm A01 · 2025", url="/criteria/", kind=NotificationKind.ASSESSMENT_SUBMITTED):
    return notify(kind=kind, url=url, text=text, audience=[user], actor=None)[0]


@pytest.mark.parametrize("name, args", [("notifications:inbox", []), ("notifications:open", [1])])
def test_anonymous_visitors_are_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, args", [("notifications:read", [1]), ("notifications:read_all", []),
                                        ("notifications:preferences", [])])
def test_anonymous_posts_are_sent_to_login_and_change_nothing(client, police, name, args):
    tell(police)
    response = client.post(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_a_role_without_the_inbox_permission_gets_403(client_for, police):
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name=police.role).permissions.remove(
        Permission.objects.get(codename="view_notification"))
    assert client_for(police).get(INBOX).status_code == 403


def test_the_inbox_lists_the_users_own_notifications_newest_first_the_unread_marked(client_for, police, leader):
    old = tell(police, text="Khóm A01 · 2024")
    tell(police, text="Khóm A02 · 2025")
    tell(leader, text="Phường A · Quý I/2026")
    old.read_at = old.created_at
    old.save()
    content = client_for(police).get(INBOX).content.decode()
    assert content.index("Khóm A02 · 2025") < content.index("Khóm A01 · 2024")
    assert "Phường A · Quý I/2026" not in content
    assert content.count("Chưa đọc") == 1
    assert content.count('action="/notifications/') == 3  # one unread item, mark all, the preference


@pytest.mark.parametrize("name", ["notifications:open", "notifications:read"])
def test_another_users_notification_answers_404_and_stays_unread(client_for, police, leader, name):
    theirs = tell(leader)
    client = client_for(police)
    method = client.get if name == "notifications:open" else client.post
    assert method(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client_for, police):
    notice = tell(police, url="/criteria/")
    response = client_for(police).get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/criteria/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_stored_link_to_another_host_is_never_followed(client_for, police):
    notice = tell(police)
    Notification.objects.filter(pk=notice.pk).update(url="//evil.example/")
    response = client_for(police).get(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == INBOX


@pytest.mark.parametrize("name, args", [("notifications:read", True), ("notifications:read_all", False),
                                        ("notifications:preferences", False)])
def test_actions_are_post_only(client_for, police, name, args):
    notice = tell(police)
    url = reverse(name, args=[notice.pk] if args else [])
    assert client_for(police).get(url).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_open_link_does_not_take_a_post(client_for, police):
    assert client_for(police).post(reverse("notifications:open", args=[tell(police).pk])).status_code == 405


def test_marking_one_and_all_read(client_for, police, leader):
    first, second = tell(police), tell(police)
    theirs = tell(leader)
    client = client_for(police)
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    assert Notification.objects.filter(recipient=police, read_at__isnull=True).get() == second
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=police, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_digest_can_be_switched_off_and_on_again(client_for, police):
    client = client_for(police)
    response = client.post(reverse("notifications:preferences"), follow=True)  # an unticked box
    assert "Đã tắt thư tóm tắt hằng ngày." in response.content.decode()
    assert NotificationPreference.objects.get(user=police).email_digest is False
    assert 'name="email_digest"' in response.content.decode() and "checked" not in response.content.decode()
    client.post(reverse("notifications:preferences"), {"email_digest": "on"})
    assert NotificationPreference.objects.get(user=police).email_digest is True


def test_a_user_without_e_mail_is_told_the_digest_cannot_reach_them(client_for, police):
    police.email = ""
    police.save()
    assert "chưa có địa chỉ e-mail" in client_for(police).get(INBOX).content.decode()


def test_the_navigation_shows_the_unread_count_on_every_page(client_for, police):
    client = client_for(police)
    for _ in range(3):
        tell(police)
    content = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'href="/notifications/"[^>]*>Thông báo <span class="badge[^"]*">3</span>', content)
    Notification.objects.update(read_at=Notification.objects.first().created_at)
    content = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'href="/notifications/"[^>]*>Thông báo</a>', content)


def _notification_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"]]


def test_the_unread_count_costs_one_query_per_page(client_for, police):
    client = client_for(police)
    tell(police)
    assert len(_notification_queries(client, reverse("dashboard"))) == 1
    # The inbox counts once too: the page and the navigation share the count.
    inbox_queries = _notification_queries(client, INBOX)
    assert sum("COUNT(" in sql for sql in inbox_queries) == 2  # the paginator's count and the unread count


def test_the_inbox_issues_the_same_number_of_queries_at_two_sizes(client_for, police, leader, count_queries):
    client = client_for(police)
    tell(police)
    small = count_queries(lambda: client.get(INBOX))
    for n in range(60):
        tell(police, text=f"Khóm A01 · {2000 + n}")
        tell(leader)
    large = count_queries(lambda: client.get(INBOX))
    assert small == large


def test_the_inbox_page_has_no_inline_script(client_for, police):
    tell(police)
    response = client_for(police).get(INBOX)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts and all("src=" in tag for tag in scripts)
    assert " on" not in "".join(re.findall(r"<[^>]+\son\w+=", response.content.decode()))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_inbox_in_english(client_for, police):
    tell(police)
    client = client_for(police)
    client.post(reverse("set_language"), {"language": "en", "next": INBOX})
    content = client.get(INBOX).content.decode()
    assert "Notifications" in content and "Assessment submitted for approval" in content
    assert "Mark all as read" in content


def test_every_role_reaches_its_inbox(client_for, db, ward, khom):
    from apps.accounts.choices import Role

    for role in Role:
        user = UserFactory(username=f"inbox_{role}", role=role, wards=[ward])
        assert client_for(user).get(INBOX).status_code == 200, role
