"""A CCCD held outside the user's scope (issue 14): one neutral refusal everywhere, each audited, many flagged."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.choices import Role
from apps.core.choices import AuditAction
from apps.core.models import AuditEvent
from apps.imports.engine import run_import
from apps.subjects.models import CCCD_UNAVAILABLE, Person
from apps.subjects.services import LOOKUP_ALERT_REASON, person_create
from tests.factories.accounts import UserFactory
from tests.factories.imports import person_row, persons_xlsx
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 5, 17)


def number(n: int) -> str:
    """A CCCD consistent with a man born in 1990."""
    return f"08909012{n:04d}"


@pytest.fixture
def held_elsewhere(other_khom):
    """Someone on ward B's register: what an officer of ward A must not learn about."""
    return PersonFactory(khom=other_khom, full_name="Lê Văn Bên Kia", cccd=number(1), date_of_birth=BORN)


@pytest.fixture
def staff_police(ward):
    return UserFactory(username="t_staff_police_l", role=Role.POLICE, wards=[ward], is_staff=True)


def form_data(khom, cccd, **overrides):
    return {"full_name": "Trần Văn Mới", "gender": "male", "date_of_birth": "17/05/1990", "cccd": cccd,
            "khom": khom.pk, "address": "", "phone": "", "occupation": "", "notes": "", **overrides}


def refuse(user, khom, cccd):
    with pytest.raises(ValidationError):
        person_create(user=user, data={"full_name": "Trần Văn Mới", "gender": "male", "date_of_birth": BORN,
                                       "cccd": cccd, "khom": khom})


def lookups(user):
    return AuditEvent.objects.filter(action=AuditAction.LOOKUP, user=user)


def alerts(user):
    return AuditEvent.objects.filter(action=AuditAction.ALERT, object_type="accounts.user", object_id=str(user.pk))


# The refusal says nothing more than "not here" ---------------------------------------------------
def test_a_cccd_held_in_another_ward_is_refused_without_naming_or_confirming_anything(
        client_for, police, khom, held_elsewhere):
    response = client_for(police).post(reverse("subjects:create"), form_data(khom, held_elsewhere.cccd))
    assert response.status_code == 200
    assert response.context["form"].errors["cccd"] == [str(CCCD_UNAVAILABLE)]
    content = response.content.decode()
    for leak in ("Lê Văn Bên Kia", "Phường B", "Khóm B01", "đã có trong danh sách", held_elsewhere.get_absolute_url()):
        assert leak not in content, leak
    assert list(Person.objects.all()) == [held_elsewhere]


def test_a_cccd_held_in_the_users_own_ward_gets_the_very_same_words(client_for, police, khom, khom2, held_elsewhere):
    PersonFactory(khom=khom2, cccd=number(2), date_of_birth=BORN)
    client = client_for(police)
    inside = client.post(reverse("subjects:create"), form_data(khom, number(2))).context["form"].errors["cccd"]
    outside = client.post(reverse("subjects:create"), form_data(khom, held_elsewhere.cccd)).context["form"].errors
    assert inside == outside["cccd"] == [str(CCCD_UNAVAILABLE)]


# Each refusal out of scope is a sensitive lookup in the audit log --------------------------------------
def test_a_refusal_out_of_scope_is_audited_with_user_number_and_time(client_for, police, khom, held_elsewhere):
    client_for(police).post(reverse("subjects:create"), form_data(khom, held_elsewhere.cccd), REMOTE_ADDR="10.0.0.7")
    event = lookups(police).get()
    assert (event.username, event.object_repr, event.ip) == (police.username, held_elsewhere.cccd, "10.0.0.7")
    assert event.extra == {"cccd": held_elsewhere.cccd, "source": "person_create"}
    assert timezone.now() - event.at < dt.timedelta(minutes=1)
    assert event.ward_id == police.primary_ward_id  # read by the officer's own leadership, not ward B's


def test_a_refusal_inside_the_scope_reveals_nothing_and_is_not_counted(client_for, police, khom, khom2):
    PersonFactory(khom=khom2, cccd=number(2), date_of_birth=BORN)
    client_for(police).post(reverse("subjects:create"), form_data(khom, number(2)))
    assert not lookups(police).exists()


def test_changing_a_record_to_a_cccd_held_elsewhere_is_refused_and_audited(client_for, police, khom, held_elsewhere):
    mine = PersonFactory(khom=khom, full_name="Người Của Tôi", date_of_birth=BORN)
    data = form_data(khom, held_elsewhere.cccd, full_name="Người Của Tôi", version=mine.version)
    response = client_for(police).post(reverse("subjects:edit", args=[mine.pk]), data)
    assert response.context["form"].errors["cccd"] == [str(CCCD_UNAVAILABLE)]
    mine.refresh_from_db()
    assert (mine.cccd, mine.version) == (None, 1)
    assert lookups(police).get().extra["source"] == "person_update"


def test_the_service_keeps_the_lookup_although_it_rolls_back_the_write(police, khom, held_elsewhere):
    refuse(police, khom, held_elsewhere.cccd)
    assert Person.objects.count() == 1
    assert lookups(police).count() == 1


def test_the_import_refuses_a_cccd_held_elsewhere_with_the_same_words_and_audits_it(police, khom, held_elsewhere):
    data = persons_xlsx([person_row(**{"Số CCCD": held_elsewhere.cccd, "Ngày sinh": "17/05/1990"})])
    for dry_run in (True, False):
        outcome = run_import(kind="persons", data=data, file_name="ds.xlsx", user=police, dry_run=dry_run)
        assert [(p.column, p.message) for p in outcome.errors] == [("Số CCCD", str(CCCD_UNAVAILABLE))]
        assert not outcome.written
    assert list(Person.objects.all()) == [held_elsewhere]
    # The preview and the real run each asked; the import's rollback did not take the records with it.
    assert [e.extra for e in lookups(police)] == [{"cccd": held_elsewhere.cccd, "source": "import"}] * 2


def test_the_admin_person_form_refuses_with_the_same_words_and_audits(client_for, staff_police, khom, held_elsewhere):
    response = client_for(staff_police).post(reverse("admin:subjects_person_add"), {
        **form_data(khom, held_elsewhere.cccd),
        "episodes-TOTAL_FORMS": "0", "episodes-INITIAL_FORMS": "0",
        "tests-TOTAL_FORMS": "0", "tests-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cccd"] == [str(CCCD_UNAVAILABLE)]
    assert "Lê Văn Bên Kia" not in response.content.decode()
    assert lookups(staff_police).get().extra == {"cccd": held_elsewhere.cccd, "source": "admin"}
    assert Person.objects.count() == 1


# Past the daily limit, administrators are told -----------------------------------------------------
def test_more_lookups_in_a_day_than_the_limit_flag_the_user_once(settings, police, khom, other_khom):
    settings.CCCD_LOOKUP_ALERT_PER_DAY = 2
    held = [PersonFactory(khom=other_khom, cccd=number(10 + i), date_of_birth=BORN) for i in range(4)]
    for count, person in enumerate(held, start=1):
        refuse(police, khom, person.cccd)
        assert alerts(police).count() == (0 if count <= 2 else 1), count
    alert = alerts(police).get()
    assert (alert.username, alert.object_repr) == (police.username, police.username)
    assert alert.extra == {"reason": LOOKUP_ALERT_REASON, "lookups_today": 3, "limit": 2}


def test_the_default_limit_is_five_a_day(police, khom, other_khom):
    for i in range(6):
        refuse(police, khom, PersonFactory(khom=other_khom, cccd=number(20 + i), date_of_birth=BORN).cccd)
        assert alerts(police).exists() == (i == 5)


def test_lookups_of_an_earlier_day_do_not_count(settings, police, khom, held_elsewhere):
    settings.CCCD_LOOKUP_ALERT_PER_DAY = 1
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for minutes in (1, 2, 3):
        AuditEvent.objects.create(at=midnight - dt.timedelta(minutes=minutes), user=police, username=police.username,
                                  action=AuditAction.LOOKUP, object_repr=number(99))
    refuse(police, khom, held_elsewhere.cccd)
    assert not alerts(police).exists()


def test_another_users_lookups_do_not_count_towards_this_users_limit(settings, police, other_police, khom, khom2,
                                                                     other_khom, held_elsewhere):
    settings.CCCD_LOOKUP_ALERT_PER_DAY = 1
    PersonFactory(khom=khom2, cccd=number(3), date_of_birth=BORN)
    refuse(police, khom, held_elsewhere.cccd)
    refuse(other_police, other_khom, number(3))
    assert not alerts(police).exists() and not alerts(other_police).exists()


def test_administrators_see_the_flag_in_the_audit_log_the_user_list_and_the_dashboard(
        client_for, settings, admin_user, police, khom, held_elsewhere):
    settings.CCCD_LOOKUP_ALERT_PER_DAY = 0
    refuse(police, khom, held_elsewhere.cccd)
    client = client_for(admin_user)
    log = client.get(reverse("audit"), {"action": AuditAction.ALERT})
    assert [(e.username, e.extra["reason"]) for e in log.context["object_list"]] == [
        (police.username, LOOKUP_ALERT_REASON)]
    flagged = client.get(reverse("admin:accounts_user_changelist"), {"alerted": "yes"})
    assert list(flagged.context["cl"].result_list) == [police]
    assert "⚠ 1" in flagged.content.decode()
    everyone = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert everyone.count("⚠ ") == 1
    banner = client.get(reverse("dashboard")).content.decode()
    assert 'id="recent-alerts"' in banner and f'{reverse("audit")}?action=alert' in banner


def test_the_dashboard_banner_is_for_administrators_only_and_only_when_there_is_an_alert(
        client_for, settings, admin_user, police, khom, held_elsewhere):
    assert 'id="recent-alerts"' not in client_for(admin_user).get(reverse("dashboard")).content.decode()
    settings.CCCD_LOOKUP_ALERT_PER_DAY = 0
    refuse(police, khom, held_elsewhere.cccd)
    assert 'id="recent-alerts"' not in client_for(police).get(reverse("dashboard")).content.decode()
