"""Excel export of the filtered case list: content, formula safety, scope, audit, query counts."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.cases.choices import CaseKind
from apps.core.models import AuditEvent
from tests.factories.cases import CaseFactory, ParticipantFactory, SeizedItemFactory

pytestmark = pytest.mark.django_db


def read_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def data_rows(rows):
    header = next(i for i, row in enumerate(rows) if row[0] == "Số vụ")
    return rows[header + 1:-1]


def test_export_contains_the_filtered_cases_of_the_users_ward_only(client_for, police, khom, other_khom):
    case = CaseFactory(khom=khom, number=4, detected_on=dt.date(2025, 4, 2), kind=CaseKind.TRAFFICKING,
                       place="Bến xe Mỹ Thới")
    SeizedItemFactory(case=case, substance="Heroin")
    ParticipantFactory(case=case, outsider_name="Hồ Văn Bán")
    CaseFactory(khom=khom, kind=CaseKind.ILLEGAL_USE, place="Không khớp bộ lọc")
    CaseFactory(khom=other_khom, kind=CaseKind.TRAFFICKING, place="Phường khác")
    rows = read_rows(client_for(police).get(reverse("cases:export"), {"kind": CaseKind.TRAFFICKING}))
    assert "MẬT" in rows[0][0]
    body = data_rows(rows)
    assert len(body) == 1
    row = body[0]
    assert row[0] == "4/2025" and row[1] == dt.datetime(2025, 4, 2) and row[3] == "Bến xe Mỹ Thới"
    assert "Hồ Văn Bán" in row[7] and "Heroin" in row[8]
    assert rows[-1][0] == "Tổng số vụ việc: 1"


def test_export_writes_user_text_as_text_never_as_a_formula(client_for, police, khom):
    CaseFactory(khom=khom, place='=HYPERLINK("http://x","y")', summary="+1+2")
    response = client_for(police).get(reverse("cases:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == '=HYPERLINK("http://x","y")']
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_export_is_logged_with_its_row_count_and_filters(client_for, police, khom):
    CaseFactory.create_batch(3, khom=khom)
    b"".join(client_for(police).get(reverse("cases:export"), {"khom": khom.pk}).streaming_content)
    event = AuditEvent.objects.get(action="export", object_type="cases.case")
    assert event.extra["rows"] == 3 and event.extra["filters"] == {"khom": str(khom.pk)}
    assert event.ward_id == khom.ward_id


def test_export_query_count_does_not_grow_with_rows(client_for, police, khom, count_queries):
    client = client_for(police)

    def export():
        b"".join(client.get(reverse("cases:export")).streaming_content)

    def add(n):
        for case in CaseFactory.create_batch(n, khom=khom):
            ParticipantFactory(case=case)
            SeizedItemFactory(case=case)

    add(2)
    export()
    small = count_queries(export)
    add(40)
    large = count_queries(export)
    assert small == large
