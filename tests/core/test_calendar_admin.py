"""The calendar's exceptions in the admin: administrators edit them, no other role may, and deadlines follow at once."""
import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.accounts.choices import Role
from apps.core.choices import AuditAction, CalendarExceptionKind
from apps.core.models import CALENDAR_EXCEPTION_DUPLICATE, AuditEvent, CalendarException
from apps.subjects.choices import TestResult as Result
from apps.subjects.selectors import deadlines_for_user
from tests.factories.accounts import UserFactory
from tests.factories.subjects import DrugTestFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:core_calendarexception_add")
CHANGELIST = reverse("admin:core_calendarexception_changelist")


@pytest.fixture
def administrator(db):
    """An administrator by role (not a superuser): the role group carries the permissions."""
    return UserFactory(username="t_calendar_admin", role=Role.ADMINISTRATOR)


@pytest.fixture
def staff_police(ward):
    """A police officer whom an administrator let into the admin site."""
    return UserFactory(username="t_calendar_police", role=Role.POLICE, wards=[ward], is_staff=True)


def form(**values):
    return {"date": "23/02/2026", "kind": CalendarExceptionKind.DAY_OFF, "name": "Nghỉ theo thông báo",
            "legal_basis": "Thông báo số 1/TB-BNV", **values}


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(ADD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_seeded_swaps_are_listed_and_marked_unchecked(client_for, administrator):
    response = client_for(administrator).get(CHANGELIST)
    assert response.status_code == 200
    rows = {row.date: row for row in response.context["cl"].result_list}
    assert rows[dt.date(2026, 8, 22)].kind == CalendarExceptionKind.WORKING_DAY
    assert not rows[dt.date(2026, 8, 22)].checked and "Quốc khánh 2026" in rows[dt.date(2026, 8, 22)].legal_basis
    assert "Thứ 7" in response.content.decode()  # the weekday column


def test_an_administrator_adds_a_day_off_and_the_decision_deadline_moves(client_for, administrator, police, khom):
    """Mon 23/02/2026 declared off: a test on Thu 12/02 → Fri 13/02 (1), Tue 24/02 (2), Wed 25/02 (3)."""
    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=dt.date(2026, 2, 12), result=Result.POSITIVE)

    def due():
        return next(item.due for item in deadlines_for_user(police, today=dt.date(2026, 2, 13))
                    if item.category == "decision_due")

    assert due() == dt.date(2026, 2, 24)
    response = client_for(administrator).post(ADD, form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    exception = CalendarException.objects.get(date=dt.date(2026, 2, 23))
    assert (exception.kind, exception.created_by) == (CalendarExceptionKind.DAY_OFF, administrator)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="core.calendarexception",
                                     object_id=str(exception.pk), username=administrator.username).exists()
    assert due() == dt.date(2026, 2, 25)


def test_an_administrator_makes_a_saturday_a_working_day_and_the_deadline_comes_sooner(
        client_for, administrator, police, khom):
    """Sat 14/02/2026 declared a working day: Thu 12/02 → Fri 13/02 (1), Sat 14/02 (2), Mon 23/02 (3)."""
    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=dt.date(2026, 2, 12), result=Result.POSITIVE)
    response = client_for(administrator).post(ADD, form(date="14/02/2026", kind=CalendarExceptionKind.WORKING_DAY,
                                                         name="Làm bù"))
    assert response.status_code == 302
    [item] = [item for item in deadlines_for_user(police, today=dt.date(2026, 2, 13)) if item.category == "decision_due"]
    assert item.due == dt.date(2026, 2, 23)


def test_a_second_exception_on_the_same_date_is_refused(client_for, administrator):
    response = client_for(administrator).post(ADD, form(date="22/08/2026"))
    assert response.status_code == 200
    assert str(CALENDAR_EXCEPTION_DUPLICATE) in response.content.decode()
    assert CalendarException.objects.get(date=dt.date(2026, 8, 22)).kind == CalendarExceptionKind.WORKING_DAY


@pytest.mark.parametrize("values", [{"date": "31/02/2026"}, {"date": "không phải ngày"}, {"kind": "holiday"},
                                    {"name": ""}, {"name": "x" * 201}])
def test_hostile_input_is_refused_and_nothing_is_written(client_for, administrator, values):
    before = CalendarException.objects.count()
    response = client_for(administrator).post(ADD, form(**values))
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert CalendarException.objects.count() == before


@pytest.mark.parametrize("role", [Role.POLICE, Role.LEADERSHIP, Role.KHOM_OFFICER, Role.PROVINCE])
def test_other_roles_let_into_the_admin_cannot_add_or_list(client_for, ward, role):
    user = UserFactory(username=f"t_calendar_{role}", role=role, wards=[ward], is_staff=True)
    client = client_for(user)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form()).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    assert not CalendarException.objects.filter(date=dt.date(2026, 2, 23)).exists()


def test_other_roles_cannot_change_the_calendar_even_when_granted_the_permissions(client_for, staff_police):
    staff_police.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_calendarexception", "change_calendarexception", "delete_calendarexception",
                      "view_calendarexception"]))
    client = client_for(staff_police)
    seeded = CalendarException.objects.get(date=dt.date(2026, 8, 22))
    assert client.post(ADD, form()).status_code == 403
    assert client.post(reverse("admin:core_calendarexception_delete", args=[seeded.pk]), {"post": "yes"}).status_code == 403
    change = client.post(reverse("admin:core_calendarexception_change", args=[seeded.pk]),
                         form(date="22/08/2026", kind=CalendarExceptionKind.DAY_OFF))
    assert change.status_code == 403
    assert CalendarException.objects.get(pk=seeded.pk).kind == CalendarExceptionKind.WORKING_DAY
    assert client.get(CHANGELIST).status_code == 200  # reading the official calendar is harmless
