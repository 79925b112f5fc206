"""The list, its folded search and filters, and the Excel export of exactly that list."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.subjects.columns import EXPORT_HEADERS, HEADER_ROW
from apps.subjects.choices import Gender
from apps.subjects.services import person_sync_status
from apps.subjects.views import PersonListView
from tests.factories.subjects import EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db

LIST = reverse("subjects:list")
EXPORT = reverse("subjects:export")


def names(response):
    return [person.full_name for person in response.context["object_list"]]


def export_rows(response):
    """(headers, data rows) of the exported sheet, read back with openpyxl."""
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[HEADER_ROW - 1]), rows[HEADER_ROW:]


@pytest.mark.parametrize("query", ["nguyen van duc", "NGUYEN VAN DUC", "Nguyễn Văn Đức", "van đuc", "duc nguyen"])
def test_search_ignores_case_and_diacritics_including_d_stroke(client_for, police, person, neighbour, query):
    assert names(client_for(police).get(LIST, {"q": query})) == ["Nguyễn Văn Đức"]


def test_search_finds_a_person_by_part_of_the_cccd(client_for, police, person, neighbour):
    assert names(client_for(police).get(LIST, {"q": "0123456"})) == ["Nguyễn Văn Đức"]


def test_search_by_a_khom_officer_does_not_find_people_of_another_khom(client_for, khom_officer, person, neighbour):
    assert names(client_for(khom_officer).get(LIST, {"q": "dao"})) == []
    assert names(client_for(khom_officer).get(LIST)) == ["Nguyễn Văn Đức"]


def test_police_see_their_whole_ward_and_nothing_of_another_ward(client_for, police, person, neighbour, stranger):
    # The register's order: by given name, Đào before Đức (a before ư).
    assert names(client_for(police).get(LIST)) == ["Trần Thị Đào", "Nguyễn Văn Đức"]


def test_the_list_filters_by_khom_gender_age_status_and_overdue(client_for, police, khom, person, neighbour):
    woman = PersonFactory(khom=khom, full_name="Võ Thị Mai", gender=Gender.FEMALE, date_of_birth=dt.date(2009, 1, 1))
    EpisodeFactory(person=person, kind=seeded_kind("addict"), started_on=dt.date.today() - dt.timedelta(days=60))
    person_sync_status(person=person)
    client = client_for(police)
    assert names(client.get(LIST, {"khom": khom.pk})) == ["Nguyễn Văn Đức", "Võ Thị Mai"]
    assert names(client.get(LIST, {"gender": Gender.FEMALE})) == ["Trần Thị Đào", "Võ Thị Mai"]
    assert names(client.get(LIST, {"age": "u18"})) == [woman.full_name]
    assert names(client.get(LIST, {"status": seeded_kind("addict").pk})) == ["Nguyễn Văn Đức"]
    assert names(client.get(LIST, {"status": "null"})) == ["Trần Thị Đào", "Võ Thị Mai"]
    assert names(client.get(LIST, {"overdue": "true"})) == ["Nguyễn Văn Đức"]


def test_the_list_sorts_by_birth_date_descending(client_for, police, khom, person, neighbour):
    PersonFactory(khom=khom, full_name="An", date_of_birth=dt.date(2000, 1, 1))
    assert names(client_for(police).get(LIST, {"sort": "-born"}))[0] == "An"


def test_a_khom_officer_cannot_filter_by_a_khom_outside_his_scope(client_for, khom_officer, person, neighbour):
    response = client_for(khom_officer).get(LIST, {"khom": neighbour.khom_id})
    assert "khom" in response.context["filter"].form.errors


def _populate(khom, count):
    for index in range(count):
        person = PersonFactory(khom=khom, full_name=f"Người {index:03d}")
        if index % 2:
            EpisodeFactory(person=person, kind=seeded_kind("addict"))
            person_sync_status(person=person)


def test_the_list_issues_the_same_number_of_queries_at_5_and_at_200_people(client_for, police, khom, count_queries):
    client = client_for(police)
    _populate(khom, 5)
    small = count_queries(lambda: client.get(LIST, {"q": "nguoi"}))
    _populate(khom, 195)
    large = count_queries(lambda: client.get(LIST, {"q": "nguoi"}))
    assert small == large


def test_the_export_issues_the_same_number_of_queries_at_5_and_at_200_people(client_for, police, khom, count_queries):
    client = client_for(police)
    _populate(khom, 5)
    small = count_queries(lambda: b"".join(client.get(EXPORT).streaming_content))
    _populate(khom, 195)
    large = count_queries(lambda: b"".join(client.get(EXPORT).streaming_content))
    assert small == large


def test_the_export_holds_exactly_the_filtered_list_with_dates_as_dates(client_for, police, khom, person, neighbour,
                                                                         stranger):
    response = client_for(police).get(EXPORT, {"khom": khom.pk})
    assert response.status_code == 200
    headers, rows = export_rows(response)
    assert headers == EXPORT_HEADERS
    listed = names(client_for(police).get(LIST, {"khom": khom.pk}))
    assert [row[EXPORT_HEADERS.index("Họ và tên")] for row in rows] == listed == ["Nguyễn Văn Đức"]
    row = rows[0]
    assert row[EXPORT_HEADERS.index("Ngày sinh")] == dt.datetime(1990, 5, 17)
    assert row[EXPORT_HEADERS.index("Số CCCD")] == "089090123456"
    assert row[EXPORT_HEADERS.index("Mã khóm")] == khom.code


def test_every_column_of_the_export_holds_the_persons_value(client_for, police, khom, person):
    EpisodeFactory(person=person, kind=seeded_kind("addict"), started_on=dt.date.today() - dt.timedelta(days=60))
    person_sync_status(person=person)
    person.refresh_from_db()
    person.address, person.phone, person.occupation, person.notes = "12 Lê Lợi", "0912345678", "Thợ hồ", "Ghi\nchú"
    person.ethnicity, person.education, person.stable_residence = "khmer", "lower_secondary", False
    person.prior_criminal, person.prior_administrative = True, None
    person.save()
    _headers, rows = export_rows(client_for(police).get(EXPORT))
    as_datetime = lambda day: dt.datetime.combine(day, dt.time()) if day else None  # noqa: E731
    assert list(rows[0]) == [
        1, person.file_number, "Nguyễn Văn Đức", "Nam", as_datetime(person.date_of_birth), "089090123456", khom.code, khom.name,
        khom.ward.name, "12 Lê Lợi", "0912345678", "Thợ hồ", "Khmer", "Trung học cơ sở", "Không", "Có", None,
        person.status.name, as_datetime(person.next_test_due), "Ghi\nchú",
    ]


def test_the_export_writes_injected_values_as_text_never_formulas(client_for, police, khom):
    # The last one is XML: the writer must escape it, not copy it into the sheet (it would become a formula).
    payloads = ["=1+2", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1", "\r=1",
                "<r><t>a</t></r></is><f>1+1</f><is><r><t>b</t></r>"]
    for index, payload in enumerate(payloads):
        PersonFactory(khom=khom, full_name=f"Người {index}", address=payload, occupation=payload)
    response = client_for(police).get(EXPORT, {"sort": "name"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    address_column = EXPORT_HEADERS.index("Địa chỉ") + 1
    cells = [sheet.cell(row=HEADER_ROW + 1 + index, column=address_column) for index in range(len(payloads))]
    # XML parsers turn a stored CR into LF on reading; the value is still plain text.
    assert [cell.value for cell in cells] == [payload.replace("\r", "\n") for payload in payloads]
    assert {cell.data_type for cell in cells} == {"s"}


def test_the_export_by_a_khom_officer_holds_only_his_khom(client_for, khom_officer, person, neighbour):
    _headers, rows = export_rows(client_for(khom_officer).get(EXPORT, {"q": "d"}))
    assert [row[EXPORT_HEADERS.index("Họ và tên")] for row in rows] == ["Nguyễn Văn Đức"]


def test_the_export_writes_an_audit_event_with_the_row_count_and_filters(client_for, police, person, neighbour):
    b"".join(client_for(police).get(EXPORT, {"q": "dao"}).streaming_content)
    event = AuditEvent.objects.get(action="export")
    assert event.extra["rows"] == 1
    assert event.extra["filters"] == {"q": "dao"}
    assert event.username == police.username


# ---------------------------------------------------------------- counting across the province
def test_across_several_wards_the_list_stops_counting_at_the_cap_and_says_so(client_for, admin_user, khom,
                                                                             monkeypatch):
    monkeypatch.setattr(PersonListView, "count_cap", 3)
    _populate(khom, 5)
    response = client_for(admin_user).get(LIST)
    paginator = response.context["paginator"]
    assert paginator.capped and paginator.count == 3
    assert len(names(response)) == 3
    body = response.content.decode()
    assert "(hơn 3)" in body and "Tệp Excel có đủ mọi dòng" in body
    # The export is not capped: every row of the filtered list.
    _headers, rows = export_rows(client_for(admin_user).get(EXPORT))
    assert len(rows) == 5


def test_under_the_cap_the_province_wide_count_is_exact(client_for, admin_user, khom, monkeypatch):
    monkeypatch.setattr(PersonListView, "count_cap", 5)
    _populate(khom, 5)
    response = client_for(admin_user).get(LIST)
    assert not response.context["paginator"].capped and response.context["paginator"].count == 5
    assert "(5)" in response.content.decode()


def test_a_ward_list_always_counts_exactly(client_for, police, khom, monkeypatch):
    monkeypatch.setattr(PersonListView, "count_cap", 3)
    _populate(khom, 5)
    response = client_for(police).get(LIST)
    assert response.context["paginator"].count == 5
    assert not getattr(response.context["paginator"], "capped", False)
    assert "(5)" in response.content.decode()


def test_the_capped_count_reads_at_most_cap_plus_one_rows(client_for, admin_user, khom, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(PersonListView, "count_cap", 3)
    _populate(khom, 5)
    client = client_for(admin_user)
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST, {"sort": "due"})
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"] and "subjects_person" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0] and "ORDER BY" not in counts[0]
