"""The audit context: who and from where reach every event without a `request` argument; the client address
behind a proxy; values PostgreSQL would refuse."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core.audit import audit, audit_context, client_ip, current_audit_context, diff, parse_address
from apps.core.choices import AuditAction
from apps.core.models import AuditEvent
from tests.factories.imports import person_row, persons_xlsx

PASSWORD = "Khong-doan-duoc-2025"


# The client address -------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("203.0.113.7", "203.0.113.7"),
    (" 203.0.113.7 ", "203.0.113.7"),
    ("203.0.113.7:5678", "203.0.113.7"),
    ("2001:db8::1", "2001:db8::1"),
    ("2001:DB8:0:0::1", "2001:db8::1"),
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("[2001:db8::1]", "2001:db8::1"),
    ("fe80::1%eth0", "fe80::1"),
    ("unknown", None),
    ("<script>alert(1)</script>", None),
    ("203.0.113.7:port", None),
    ("999.1.1.1", None),
    ("[2001:db8::1]:x", None),
    ("[2001:db8::1", None),
    ("", None),
    (None, None),
])
def test_an_address_is_parsed_with_or_without_its_port_and_anything_else_is_none(value, expected):
    assert parse_address(value) == expected


@pytest.mark.parametrize("forwarded, count, expected", [
    # The n-th entry from the right is the one the outermost trusted proxy appended.
    ("198.51.100.1, 192.0.2.2, 203.0.113.3", 1, "203.0.113.3"),
    ("198.51.100.1, 192.0.2.2, 203.0.113.3", 2, "192.0.2.2"),
    ("198.51.100.1, 192.0.2.2, 203.0.113.3", 3, "198.51.100.1"),
    # Too few entries: the request did not come through every proxy; the socket address it is.
    ("198.51.100.1, 192.0.2.2, 203.0.113.3", 4, "10.0.0.1"),
    ("", 1, "10.0.0.1"),
    # The trusted entry is not an address: the socket address, never an error.
    ("198.51.100.1, garbage", 1, "10.0.0.1"),
    ("garbage, 203.0.113.3", 1, "203.0.113.3"),
    ("198.51.100.1, 203.0.113.3:41000", 1, "203.0.113.3"),
    ("198.51.100.1, [2001:db8::7]:41000", 1, "2001:db8::7"),
    (",,, ,", 1, "10.0.0.1"),
    # No proxy trusted: whatever the client sent is ignored.
    ("203.0.113.3", 0, "10.0.0.1"),
])
def test_the_client_address_is_the_entry_appended_by_the_trusted_proxy(rf, settings, forwarded, count, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_socket_address_that_is_not_an_address_gives_none(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None
    assert client_ip(rf.get("/", REMOTE_ADDR="unix:/run/gunicorn.sock", HTTP_X_FORWARDED_FOR="bad")) is None


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded, expected_ip", [
    ("not-an-address", "127.0.0.1"),
    ("203.0.113.7:5678", "203.0.113.7"),
    ("[2001:db8::5]:443", "2001:db8::5"),
    ("192.0.2.99, 203.0.113.7", "203.0.113.7"),
])
def test_behind_a_proxy_a_malformed_forwarded_header_never_breaks_the_login(client, settings, police,
                                                                            forwarded, expected_ip):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(reverse("login"), {"username": police.username, "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).ip == expected_ip


@pytest.mark.django_db
def test_behind_a_proxy_a_failed_login_with_a_malformed_header_is_refused_normally(client, settings, police):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(reverse("login"), {"username": police.username, "password": "sai"},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="\x00garbage")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.ip == "127.0.0.1" and event.username == police.username and event.user_id is None


# The context -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_outside_any_context_an_explicit_user_is_kept_and_there_is_no_address(police):
    assert current_audit_context() is None
    event = audit(AuditAction.VIEW, user=police, object_type="x")
    assert (event.user_id, event.ip, event.request_id, event.source) == (police.pk, None, "", "")


@pytest.mark.django_db
def test_inside_a_context_every_event_carries_its_user_address_and_request_id(police, leader):
    with audit_context(user=police, ip="192.0.2.10", source="command:test") as context:
        first = audit(AuditAction.VIEW, object_type="x")
        second = audit(AuditAction.VIEW, user=leader, object_type="y")  # an explicit user wins
    assert first.user_id == police.pk and second.user_id == leader.pk
    assert first.ip == second.ip == "192.0.2.10"
    assert first.request_id == second.request_id == context.request_id and len(context.request_id) == 32
    assert first.source == "command:test"
    assert current_audit_context() is None


@pytest.mark.django_db
def test_the_events_of_one_request_share_an_id_and_two_requests_have_two(client_for, police, khom):
    from tests.factories.subjects import PersonFactory

    person = PersonFactory(khom=khom)
    client = client_for(police)
    client.get(reverse("subjects:detail", args=[person.pk]), REMOTE_ADDR="192.0.2.20")
    client.get(reverse("subjects:detail", args=[person.pk]), REMOTE_ADDR="192.0.2.21")
    events = list(AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id"))
    assert [e.ip for e in events] == ["192.0.2.20", "192.0.2.21"]
    assert all(e.source == "web" and e.user_id == police.pk for e in events)
    assert events[0].request_id != events[1].request_id


@pytest.mark.django_db
def test_login_and_logout_events_carry_the_address(client, police):
    client.post(reverse("login"), {"username": police.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.30")
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.31")
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    logout = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert (login.user_id, login.ip) == (police.pk, "192.0.2.30")
    assert (logout.user_id, logout.ip) == (police.pk, "192.0.2.31")


@pytest.mark.django_db
def test_the_import_command_writes_its_events_as_the_acting_user_with_its_source(police, khom, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(persons_xlsx([person_row(), person_row(**{"Họ và tên": "Lê Thị Hai"})]))
    call_command("import_xlsx", "persons", str(path), "--user", police.username)
    events = list(AuditEvent.objects.all())
    assert {e.action for e in events} == {AuditAction.CREATE, AuditAction.IMPORT} and len(events) == 3
    assert all(e.user_id == police.pk and e.username == police.username for e in events)
    assert all(e.source == "command:import_xlsx" for e in events)
    assert len({e.request_id for e in events}) == 1 and events[0].request_id


# Values PostgreSQL refuses -----------------------------------------------------------------------
@pytest.mark.django_db
def test_nul_characters_and_lone_surrogates_never_reach_the_database(police):
    event = audit(AuditAction.VIEW, user=police, object_type="subjects.person", object_repr="Tên\x00giả",
                  changes={"full_name\x00": ["A\x00", None]},
                  extra={"q": "089\x00", "filters": {"x": ["\x00", "\ud800"]}, "n": float("nan"), "ok": 1})
    event.refresh_from_db()
    assert event.object_repr == "Tên\ufffdgiả"
    assert event.changes == {"full_name\ufffd": ["A\ufffd", None]}
    assert event.extra == {"q": "089\ufffd", "filters": {"x": ["\ufffd", "\ufffd"]}, "n": "nan", "ok": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["subjects:list", "subjects:export", "cases:list", "cases:export"])
def test_a_nul_in_the_query_string_of_a_list_or_an_export_is_logged_not_a_500(client_for, police, name):
    response = client_for(police).get(reverse(name) + "?x=%00&q=%00")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action__in=[AuditAction.VIEW, AuditAction.EXPORT])
    assert event.extra["filters"]["x"] == "\ufffd" and event.extra["q"] == "\ufffd"


def test_a_deletion_diff_keeps_every_value():
    assert diff({"full_name": "A", "cccd": "089", "notes": None, "updated_at": "t"}, {}) == {
        "full_name": ["A", None], "cccd": ["089", None]}
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


@pytest.mark.django_db
def test_a_file_in_a_deleted_row_is_logged_by_size_and_digest_not_copied(police):
    import hashlib

    from apps.core.audit import audit_delete
    from apps.imports.models import ImportBatch

    content = b"PK\x03\x04" + b"x" * 1000
    batch = ImportBatch.objects.create(created_by=police, kind="persons", file_name="ds.xlsx", file_bytes=content)
    with audit_context(user=police, source="command:test"):
        event = audit_delete(batch)[0]
    event.refresh_from_db()
    assert event.changes["file_bytes"] == [{"bytes": 1004, "sha256": hashlib.sha256(content).hexdigest()}, None]
    assert event.changes["file_name"] == ["ds.xlsx", None]


@pytest.mark.parametrize("value, expected", [
    ({"q": "Nguyễn Văn Đức"}, {"q": "Nguyễn Văn Đức"}),
    ({"q": "😀"}, {"q": "😀"}),
    ({"q": "a\x00😀"}, {"q": "a\ufffd😀"}),
    ({"q": r"typed \u0000 as text"}, {"q": r"typed \u0000 as text"}),
    ({1: ("x", 2.5, None, True)}, {"1": ["x", 2.5, None, True]}),
    ({"d": __import__("datetime").date(2026, 1, 2), "inf": float("inf")}, {"d": "2026-01-02", "inf": "inf"}),
])
def test_storable_changes_only_what_postgresql_would_refuse(value, expected):
    import json

    from apps.core.audit import storable

    assert json.loads(json.dumps(storable(value))) == expected
