"""The work list people can act on (issue 18 §6): tasks only, filters, the dashboard's counts, export, print.

``/subjects/deadlines/?category=<code>&khom=<pk>&overdue=1``; every row says what to do and links to the
form that does it; the art. 256a window is a badge on the record and a filter of the people list.
"""
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.validators import today_in_vietnam
from apps.subjects.choices import EndReason, MoveKind, TestResult
from apps.subjects.models import Person
from apps.subjects.selectors import DEADLINE_ACTIONS, DEADLINE_CATEGORIES, deadlines_for_user
from apps.subjects.services import person_sync_status
from tests.factories.subjects import (DrugTestFactory, EpisodeFactory, PersonFactory, ResidenceMoveFactory,
                                     seeded_kind)

pytestmark = pytest.mark.django_db

TODAY = today_in_vietnam()
DEADLINES = reverse("subjects:deadlines")
EXPORT = reverse("subjects:deadlines_export")


def _days(n):
    return TODAY - dt.timedelta(days=n)


def _fill(person, *, overdue=True):
    """One task of most categories for *person*: overdue ones, or ones not yet due."""
    late = 3 if overdue else 0
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=_days(350 + late * 10))
    ResidenceMoveFactory(person=person, kind=MoveKind.MOVE_IN, moved_on=_days(late))
    Person.objects.filter(pk=person.pk).update(next_test_due=_days(late))
    DrugTestFactory(person=PersonFactory(khom=person.khom), tested_on=_days(20 if overdue else 0),
                    result=TestResult.POSITIVE)


def _rows(html):
    return re.findall(r'<tr class="deadline-row" data-category="([a-z_0-9]+)"', html)


# Per view: anonymous, wrong role, out of scope, happy path ---------------------------------------
@pytest.mark.parametrize("url", [DEADLINES, EXPORT])
def test_anonymous_goes_to_the_login_and_province_roles_never_reach_the_work_list(
        client, client_for, url, province, province_officer, province_leadership):
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for user in (province, province_officer, province_leadership):
        assert client_for(user).get(url).status_code == 403


def test_out_of_scope_tasks_never_show_and_another_wards_khom_is_no_filter(client_for, police, other_police, khom,
                                                                           other_khom):
    _fill(PersonFactory(khom=khom, full_name="Người Phường A"))
    _fill(PersonFactory(khom=other_khom, full_name="Người Phường B"))
    page = client_for(police).get(DEADLINES).content.decode()
    assert "Người Phường A" in page and "Người Phường B" not in page
    # The other ward's khóm is not a choice: the field says so, nothing of that khóm is shown.
    response = client_for(police).get(f"{DEADLINES}?khom={other_khom.pk}")
    assert response.status_code == 200 and "Người Phường B" not in response.content.decode()
    assert response.context["filter"].form.errors["khom"]
    assert "Người Phường A" not in client_for(other_police).get(DEADLINES).content.decode()


def test_a_khom_officer_sees_the_tasks_of_his_khom_only(client_for, khom_officer, khom, khom2):
    _fill(PersonFactory(khom=khom, full_name="Người Khóm Một"))
    _fill(PersonFactory(khom=khom2, full_name="Người Khóm Hai"))
    page = client_for(khom_officer).get(DEADLINES).content.decode()
    assert "Người Khóm Một" in page and "Người Khóm Hai" not in page


@pytest.mark.parametrize("query", ["?category=xyz", "?overdue=maybe", "?khom=abc", "?khom=99999999999999999999",
                                   "?category=%00", "?khom=1%00"])
def test_hostile_filters_answer_the_page_never_a_500(client_for, police, khom, query):
    _fill(PersonFactory(khom=khom))
    for url in (DEADLINES, EXPORT):
        assert client_for(police).get(url + query).status_code == 200


# Tasks only; what to do, and the form that does it ----------------------------------------------
def test_every_row_says_what_to_do_and_links_to_a_form_that_opens(client_for, police, khom, other_ward):
    from apps.subjects import transfers

    person = PersonFactory(khom=khom)
    _fill(person)
    renewed = PersonFactory(khom=khom)
    EpisodeFactory(person=renewed, started_on=_days(100))
    DrugTestFactory(person=renewed, tested_on=_days(2), result=TestResult.POSITIVE)
    transfers.transfer_start(user=police, person=PersonFactory(khom=khom), data={"to_ward": other_ward,
                                                                               "moved_on": _days(1)})
    items = deadlines_for_user(police)
    assert {item.category for item in items} == set(DEADLINE_CATEGORIES)
    client = client_for(police)
    for item in items:
        assert item.action == DEADLINE_ACTIONS[item.category]
        assert client.get(item.url).status_code == 200, (item.category, item.url)
    page = client.get(DEADLINES).content.decode()
    for item in items:
        assert f'href="{item.url}"' in page.replace("&amp;", "&")


def test_the_256a_window_is_not_a_task_but_a_badge_and_a_filter_of_the_people_list(client_for, police, khom):
    inside = PersonFactory(khom=khom, full_name="Trong Thời Gian Theo Dõi")
    EpisodeFactory(person=inside, kind=seeded_kind("post_rehab"), started_on=_days(500), actual_end=_days(100),
                   end_reason=EndReason.TERM_COMPLETED)
    person_sync_status(person=inside)
    outside = PersonFactory(khom=khom, full_name="Ngoài Thời Gian Theo Dõi")
    EpisodeFactory(person=outside, kind=seeded_kind("illegal_user"), started_on=_days(500), actual_end=_days(100),
                   end_reason=EndReason.TERM_COMPLETED)
    client = client_for(police)
    assert "Trong Thời Gian Theo Dõi" not in client.get(DEADLINES).content.decode()
    listed = client.get(reverse("subjects:list") + "?window_256a=1").content.decode()
    assert "Trong Thời Gian Theo Dõi" in listed and "Ngoài Thời Gian Theo Dõi" not in listed
    others = client.get(reverse("subjects:list") + "?window_256a=0").content.decode()
    assert "Ngoài Thời Gian Theo Dõi" in others and "Trong Thời Gian Theo Dõi" not in others
    badge = client.get(inside.get_absolute_url()).content.decode()
    assert "badge-256a" in badge and "Theo dõi Điều 256a BLHS đến" in badge
    assert "badge-256a" not in client.get(outside.get_absolute_url()).content.decode()


# Filters --------------------------------------------------------------------------------------------
def test_the_filters_narrow_by_category_khom_and_overdue(client_for, police, khom, khom2):
    _fill(PersonFactory(khom=khom), overdue=True)
    _fill(PersonFactory(khom=khom2), overdue=False)
    client = client_for(police)
    everything = _rows(client.get(DEADLINES).content.decode())
    assert set(everything) == {"episode_end", "test_overdue", "decision_due", "move_unnotified"}
    assert set(_rows(client.get(f"{DEADLINES}?category=test_overdue").content.decode())) == {"test_overdue"}
    by_khom = deadlines_for_user(police)
    for khom_ in (khom, khom2):
        rows = client.get(f"{DEADLINES}?khom={khom_.pk}").context["deadlines"]
        assert rows and all(item.person.khom_id == khom_.pk for item in rows)
        assert len(rows) == sum(1 for item in by_khom if item.person.khom_id == khom_.pk)
    overdue = client.get(f"{DEADLINES}?overdue=1").context["deadlines"]
    assert overdue and all(item.overdue for item in overdue)
    assert len(overdue) == sum(1 for item in by_khom if item.overdue)
    combined = client.get(f"{DEADLINES}?category=move_unnotified&khom={khom.pk}&overdue=1").context["deadlines"]
    assert [(item.category, item.person.khom_id) for item in combined] == [("move_unnotified", khom.pk)]


@pytest.mark.parametrize("tested_on, today, overdue", [
    # Decision due Tue 24/02/2026 (3 working days after Thu 12/02 across Tết): due on the 24th, late on the 25th.
    (dt.date(2026, 2, 12), dt.date(2026, 2, 24), False),
    (dt.date(2026, 2, 12), dt.date(2026, 2, 25), True),
])
def test_the_overdue_filter_follows_the_working_day_deadline_on_its_edge(police, khom, tested_on, today, overdue):
    from apps.subjects.selectors import DeadlineFilters

    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=tested_on, result=TestResult.POSITIVE)
    listed = deadlines_for_user(police, today=today, filters=DeadlineFilters(overdue=True))
    assert bool(listed) is overdue
    [item] = deadlines_for_user(police, today=today)
    assert item.overdue is overdue and item.due == dt.date(2026, 2, 24)


# The dashboard's counts are the filtered lists they link to ---------------------------------------------
def _dashboard_links(html):
    return [(href.replace("&amp;", "&"), int(count))
            for count, href in re.findall(r'class="[^"]*deadline-count[^"]*" data-count="(\d+)" href="([^"]+)"', html)
            + [(c, h) for h, c in re.findall(r'href="([^"]+)" class="[^"]*deadline-count[^"]*" data-count="(\d+)"',
                                             html)]]


@pytest.mark.parametrize("size", [1, 6])
def test_the_dashboards_counts_equal_the_filtered_lists_they_link_to(client_for, police, leader, khom, khom2, size):
    for index in range(size):
        _fill(PersonFactory(khom=khom if index % 2 else khom2), overdue=bool(index % 3))
    for user in (police, leader):
        client = client_for(user)
        links = _dashboard_links(client.get(reverse("dashboard")).content.decode())
        assert len(links) >= 2 + 4  # total, overdue, and the categories
        for href, count in links:
            assert href.startswith(DEADLINES)
            assert len(_rows(client.get(href).content.decode())) == count, href


# Export and print -------------------------------------------------------------------------------------
def test_the_export_holds_the_filtered_rows_read_back_and_is_audited(client_for, police, khom, khom2):
    _fill(PersonFactory(khom=khom, full_name="Người Khóm Một"), overdue=True)
    _fill(PersonFactory(khom=khom2, full_name="=HYPERLINK(\"x\")"), overdue=False)
    client = client_for(police)
    query = f"?khom={khom.pk}&overdue=1"
    listed = client.get(DEADLINES + query).context["deadlines"]
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = values.index(next(row for row in values if row and row[0] == "STT"))
    rows = [row for row in values[header + 1:] if row and row[0] is not None]
    assert "TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN NHẠY CẢM" in values[1][0]
    assert len(rows) == len(listed) > 0
    assert [row[5] for row in rows] == [item.person.full_name for item in listed]
    assert all(row[2] == "Có" for row in rows)  # overdue only
    assert {row[3] for row in rows} <= {str(label) for label in DEADLINE_CATEGORIES.values()}
    assert all(row[9].startswith("http") for row in rows)
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.extra["rows"] == len(rows) and event.user == police
    assert event.extra["filters"] == {"khom": str(khom.pk), "overdue": "1"}


def test_the_export_writes_a_name_that_looks_like_a_formula_as_text(client_for, police, khom):
    _fill(PersonFactory(khom=khom, full_name="=1+2"))
    response = client_for(police).get(EXPORT + "?category=test_overdue")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).active
    names = [row[5] for row in sheet.iter_rows(values_only=True) if row and row[0] == 1]
    assert names == ["=1+2"]
    assert sheet.cell(row=[r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == 1][0],
                      column=6).data_type == "s"


def test_the_page_prints_with_its_marking_and_who_printed_it(client_for, police, khom):
    _fill(PersonFactory(khom=khom))
    page = client_for(police).get(DEADLINES).content.decode()
    assert "js-print" in page and "subjects/js/print.js" in page
    assert "DANH SÁCH VIỆC CẦN LÀM" in page and "In bởi" in page
    assert f'href="{EXPORT}' in page


# The list's query count stays constant ----------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "?overdue=1", "?category=test_overdue", "?khom={khom}&overdue=1"])
def test_the_work_list_issues_the_same_number_of_queries_at_two_sizes(client_for, police, khom, khom2,
                                                                     count_queries, query):
    client = client_for(police)
    query = query.format(khom=khom.pk)
    for _ in range(2):
        _fill(PersonFactory(khom=khom))
    small = count_queries(lambda: client.get(DEADLINES + query))
    export_small = count_queries(lambda: client.get(EXPORT + query))
    for index in range(20):
        _fill(PersonFactory(khom=khom if index % 2 else khom2), overdue=bool(index % 3))
    assert count_queries(lambda: client.get(DEADLINES + query)) == small
    assert count_queries(lambda: client.get(EXPORT + query)) == export_small


def test_the_move_task_is_done_in_its_form_and_leaves_the_list(client_for, police, khom_officer, other_police, khom):
    person = PersonFactory(khom=khom, full_name="Chuyển Chưa Báo")
    move = ResidenceMoveFactory(person=person, kind=MoveKind.MOVE_IN, moved_on=_days(3))
    [item] = [i for i in deadlines_for_user(police) if i.category == "move_unnotified"]
    assert item.url == reverse("subjects:move_notify", args=[move.pk])
    assert client_for(khom_officer).get(item.url).status_code == 403
    assert client_for(other_police).get(item.url).status_code == 404
    client = client_for(police)
    tomorrow = TODAY + dt.timedelta(days=1)
    response = client.post(item.url, {"notified_on": f"{tomorrow:%d/%m/%Y}"})
    assert response.status_code == 200 and "Ngày này chưa đến" in response.content.decode()
    response = client.post(item.url, {"notified_on": f"{_days(2):%d/%m/%Y}"})
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    move.refresh_from_db()
    assert move.notified_on == _days(2)
    assert AuditEvent.objects.filter(action="update", object_type="subjects.residencemove",
                                     object_id=str(move.pk)).exists()
    assert "move_unnotified" not in {i.category for i in deadlines_for_user(police)}


@pytest.mark.parametrize("today, inside", [(dt.date(2027, 2, 28), True), (dt.date(2027, 3, 1), False)])
def test_the_256a_filter_and_the_badge_agree_on_a_month_end(client_for, police, khom, monkeypatch, today, inside):
    """Ended 31/01/2027 with a one-month window: it runs from 01/02 to the end of 28/02, the month's last day
    for want of a 31st (Civil Code art. 147–148), the day the badge names."""
    from django.utils import timezone

    from tests.factories.subjects import EpisodeKindFactory

    kind = EpisodeKindFactory(window_after_end_months=1)
    person = PersonFactory(khom=khom, full_name="Cuối Tháng")
    EpisodeFactory(person=person, kind=kind, started_on=dt.date(2026, 6, 1), actual_end=dt.date(2027, 1, 31),
                   end_reason=EndReason.TERM_COMPLETED)
    moment = dt.datetime.combine(today, dt.time(12), tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)
    listed = "Cuối Tháng" in client_for(police).get(reverse("subjects:list") + "?window_256a=1").content.decode()
    from apps.subjects.selectors import window_256a_until
    assert listed is inside
    assert window_256a_until(person, today) == (dt.date(2027, 2, 28) if inside else None)
