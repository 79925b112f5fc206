"""Two administrators saving the same record at once: one wins, the other gets the form back, never a 500.

Each administrator is a thread with its own database connection (tests/concurrency.py),
on rows committed by yet another connection; everything committed is removed afterwards.
For the truly simultaneous case a third connection holds the record's row lock (or an
uncommitted row under a unique index) while both saves start, so that both pass the
form's checks before either writes; both then wait on the database, and the holder lets go.
"""
import pytest
from django.test import Client

from apps.core.locking import SAVE_CONFLICT, STALE_VERSION
from apps.accounts.choices import Role
from apps.cases.models import Case, Participant
from apps.criteria.models import Criterion
from apps.subjects.models import Person
from tests.concurrency import CommittedRows, RowHolder, in_own_connection, in_thread, wait_until_blocked
from tests.factories.accounts import UserFactory
from tests.factories.cases import CaseFactory
from tests.factories.criteria import CriteriaSetFactory, CriterionFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import PersonFactory
from tests.security.test_admin_locking import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed():
    with CommittedRows() as rows:
        yield rows


@pytest.fixture
def admins(committed):
    """Two administrators, each with a logged-in client whose session every connection sees."""

    def create():
        clients = []
        for name in ("t_race_admin_a", "t_race_admin_b"):
            user = UserFactory(username=name, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
            client = Client()
            client.force_login(user)
            clients.append(client)
        return clients

    return in_own_connection(create)


@pytest.fixture
def khom(committed):
    return in_own_connection(lambda: KhomFactory(ward=WardFactory(code="WRACE", name="Phường đua")))


def opened(client, url):
    """The POST data of the change page as *client* opened it (one request at a time: contexts are not shared)."""
    return in_own_connection(lambda: change_form_data(client.get(url)))


def save_at_once(posts, holder_work, blocked=2):
    """Send every (client, url, data) at the same time while *holder_work* holds the database back; the responses."""
    results, errors = [], []

    def post(client, url, data):
        return lambda: (data, client.post(url, data))

    threads = [in_thread(post(*args), results, errors) for args in posts]
    with RowHolder(holder_work):
        for thread in threads:
            thread.start()
        # Both have passed the form's checks and wait on the database: a real race.
        assert wait_until_blocked(blocked), errors
    for thread in threads:
        thread.join(60)
    assert not errors, errors  # a 500 is raised by the test client
    return sorted(results, key=lambda result: -result[1].status_code)  # the saved one (302) first


def assert_refused_with_input_kept(response, typed, message):
    assert response.status_code == 200
    body = response.content.decode()
    assert str(message) in body
    for value in typed:
        assert value in body


def person_url(person):
    return f"/admin/subjects/person/{person.pk}/change/"


def test_a_save_from_a_form_opened_before_anothers_save_is_refused_with_the_input_kept(admins, khom):
    a, b = admins
    person = in_own_connection(lambda: PersonFactory(khom=khom, full_name="Trần Văn Gốc"))
    data_a, data_b = opened(a, person_url(person)), opened(b, person_url(person))
    data_a["full_name"], data_b["full_name"] = "Trần Văn Của A", "Trần Văn Của B"
    assert in_own_connection(lambda: a.post(person_url(person), data_a)).status_code == 302
    response = in_own_connection(lambda: b.post(person_url(person), data_b))
    assert_refused_with_input_kept(response, ["Trần Văn Của B"], STALE_VERSION)
    stored = in_own_connection(lambda: Person.objects.get(pk=person.pk))
    assert (stored.full_name, stored.version) == ("Trần Văn Của A", 2)


def test_two_simultaneous_saves_of_a_person_one_wins_the_other_gets_the_form_back(admins, khom):
    a, b = admins
    person = in_own_connection(lambda: PersonFactory(khom=khom, full_name="Trần Văn Gốc"))
    url = person_url(person)
    data_a, data_b = opened(a, url), opened(b, url)
    data_a["full_name"], data_b["full_name"] = "Trần Văn Của A", "Trần Văn Của B"
    (won_data, won), (lost_data, lost) = save_at_once(
        [(a, url, data_a), (b, url, data_b)],
        lambda: Person.objects.select_for_update().get(pk=person.pk))
    assert won.status_code == 302
    assert_refused_with_input_kept(lost, [lost_data["full_name"]], STALE_VERSION)
    stored = in_own_connection(lambda: Person.objects.get(pk=person.pk))
    assert (stored.full_name, stored.version) == (won_data["full_name"], 2)


def test_two_simultaneous_saves_of_a_case_with_new_participants_in_the_inline(admins, khom):
    a, b = admins
    case, first, second = in_own_connection(lambda: (CaseFactory(khom=khom), PersonFactory(khom=khom),
                                                      PersonFactory(khom=khom)))
    url = f"/admin/cases/case/{case.pk}/change/"
    posts = []
    for client, person in ((a, first), (b, second)):
        data = opened(client, url)
        data["participants-TOTAL_FORMS"] = "1"
        data.update({"participants-0-person": str(person.pk), "participants-0-role": "suspect",
                     "participants-0-outcome": "arrested", "participants-0-case": str(case.pk),
                     "summary": f"Bổ sung bởi {client is a and 'A' or 'B'}"})
        posts.append((client, url, data))
    (won_data, won), (lost_data, lost) = save_at_once(posts, lambda: Case.objects.select_for_update().get(pk=case.pk))
    assert won.status_code == 302
    assert_refused_with_input_kept(lost, [lost_data["summary"]], STALE_VERSION)
    # The loser's new inline row is still on the page, chosen as it was typed.
    assert f'<option value="{lost_data["participants-0-person"]}" selected>' in lost.content.decode()
    stored = in_own_connection(lambda: list(Participant.objects.filter(case=case).values_list("person_id", flat=True)))
    assert stored == [int(won_data["participants-0-person"])]


def test_two_simultaneous_inline_rows_under_one_unique_code_one_wins_the_other_gets_the_form_back(admins):
    """Criteria sets have no version: the race ends at the unique index (an IntegrityError) instead."""
    a, b = admins
    criteria_set = in_own_connection(lambda: CriteriaSetFactory(code="bo-dua", name="Bộ tiêu chí đua"))
    url = f"/admin/criteria/criteriaset/{criteria_set.pk}/change/"
    posts = []
    for client, text in ((a, "Tiêu chí của A"), (b, "Tiêu chí của B")):
        data = opened(client, url)
        data["criteria-TOTAL_FORMS"] = "1"
        data.update({"criteria-0-order": "1", "criteria-0-code": "D1", "criteria-0-text": text,
                     "criteria-0-kind": "manual", "criteria-0-criteria_set": str(criteria_set.pk)})
        posts.append((client, url, data))
    # The holder's uncommitted D1 is invisible to both forms' unique checks, and blocks both inserts.
    (won_data, won), (lost_data, lost) = save_at_once(
        posts, lambda: CriterionFactory(criteria_set=criteria_set, code="D1", text="Giữ chỗ"))
    assert won.status_code == 302
    assert_refused_with_input_kept(lost, [lost_data["criteria-0-text"]], SAVE_CONFLICT)
    stored = in_own_connection(lambda: list(Criterion.objects.filter(criteria_set=criteria_set)
                                            .values_list("code", "text")))
    assert stored == [("D1", won_data["criteria-0-text"])]


def test_two_simultaneous_additions_of_one_cccd_one_wins_the_other_gets_the_form_back(admins, khom):
    a, b = admins
    url = "/admin/subjects/person/add/"
    posts = []
    for client, name in ((a, "Nguyễn Thị Của A"), (b, "Nguyễn Thị Của B")):
        data = in_own_connection(lambda client=client: change_form_data(client.get(url)))
        data.update({"full_name": name, "gender": "female", "date_of_birth": "1990-05-17",
                     "cccd": "089190000123", "khom": str(khom.pk), "address": "Số 1 đường Trần Hưng Đạo"})
        posts.append((client, url, data))
    (won_data, won), (lost_data, lost) = save_at_once(
        posts, lambda: PersonFactory(khom=khom, cccd="089190000123", gender="female", full_name="Giữ chỗ"))
    assert won.status_code == 302, won.content.decode()[:3000]
    assert_refused_with_input_kept(lost, [lost_data["full_name"]], SAVE_CONFLICT)
    stored = in_own_connection(lambda: list(Person.objects.filter(cccd="089190000123").values_list("full_name", flat=True)))
    assert stored == [won_data["full_name"]]
