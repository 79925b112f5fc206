"""The audit viewer in words: types, field labels and values as the pages show them; filters; its export."""
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.models import AuditEvent
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db
CCCD = "089090001234"


def _page(client, **params):
    response = client.get(reverse("audit"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client):
    for name in ("audit", "audit_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["police", "khom_officer", "province"])
def test_roles_other_than_leadership_are_refused(client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("audit")).status_code == 403
    assert client.get(reverse("audit_export")).status_code == 403


def test_a_change_is_shown_with_the_pages_names_and_formats(client_for, leader, police, khom):
    person = PersonFactory(khom=khom, full_name="Lê Thị Hoa", gender="female", date_of_birth=dt.date(1991, 11, 5))
    audit(AuditAction.CREATE, user=police, obj=person, changes=diff(None, snapshot(person)))
    html = _page(client_for(leader)).split('id="audit-events"', 1)[1]
    assert "subjects.person" not in html and "khom_id" not in html and "date_of_birth" not in html
    assert "Đối tượng" in html
    assert "Ngày sinh</strong>: — → 05/11/1991" in html
    assert f"Khóm</strong>: — → {khom.name}" in html
    assert "Giới tính</strong>: — → Nữ" in html


def test_booleans_read_co_or_khong_and_unknown_keys_stay_readable(client_for, leader, police, khom):
    person = PersonFactory(khom=khom)
    audit(AuditAction.UPDATE, user=police, obj=person, changes={"is_deceased": [False, True], "odd_key": [None, 3]},
          extra={"transition": "submit"})
    html = _page(client_for(leader))
    assert "— → 3" in html and "Chuyển trạng thái: submit" in html


def test_a_frozen_snapshot_is_named_not_dumped_with_the_codes_keys(client_for, leader, police, khom):
    from tests.factories.criteria import AssessmentFactory

    assessment = AssessmentFactory(khom=khom)
    frozen = {"period": {"start": "2024-12-15", "end": "2025-12-14", "year": 2025}, "passed": True, "status": None}
    audit(AuditAction.UPDATE, user=police, obj=assessment, changes={"snapshot": [{}, frozen]})
    html = _page(client_for(leader)).split('id="audit-events"', 1)[1]
    assert "Số liệu đã chốt" in html and "bản chụp số liệu (3 mục), xem trên trang của hồ sơ" in html
    assert "period:" not in html and "passed:" not in html and "2024-12-15" not in html


def test_a_link_out_of_the_readers_scope_stays_a_number(client_for, leader, police, khom, other_khom):
    person = PersonFactory(khom=khom)
    audit(AuditAction.UPDATE, user=police, obj=person, changes={"khom_id": [other_khom.pk, khom.pk]})
    html = _page(client_for(leader))
    assert f"#{other_khom.pk} → {khom.name}" in html and other_khom.name not in html


def test_the_object_type_filter_is_a_choice_of_the_pages_names(client_for, leader, police, khom):
    person = PersonFactory(khom=khom, full_name="Người Một")
    audit(AuditAction.VIEW, user=police, obj=person)
    audit(AuditAction.VIEW, user=police, object_type="cases.case", object_id="9", object_repr="Vụ số 9/2026")
    client = client_for(leader)
    html = _page(client, object_type="subjects.person")
    assert "Người Một" in html and "Vụ số 9/2026" not in html
    assert '<option value="cases.case">Vụ việc</option>' in _page(client)
    # A type that is no choice is a form error, not a 500, and filters nothing away silently.
    response = client.get(reverse("audit"), {"object_type": "<script>"})
    assert response.status_code == 200 and response.context["filter"].errors


def test_the_person_filter_finds_the_events_about_that_person_by_name_or_cccd(client_for, leader, police, khom):
    hoa = PersonFactory(khom=khom, full_name="Trần Thị Hoa", cccd=CCCD, gender="male", date_of_birth=dt.date(1990, 1, 2))
    other = PersonFactory(khom=khom, full_name="Phạm Văn Bình")
    audit(AuditAction.VIEW, user=police, obj=hoa, object_repr="xem-hoa")
    audit(AuditAction.CREATE, user=police, object_type="subjects.drugtest", object_id="77", object_repr="xn-hoa",
          ward_id=khom.ward_id, extra={"person": hoa.pk})
    audit(AuditAction.LOOKUP, user=police, object_type="subjects.person", object_repr="tra-cuu", extra={"cccd": CCCD})
    audit(AuditAction.VIEW, user=police, obj=other, object_repr="xem-binh")
    client = client_for(leader)
    by_name = _page(client, person="tran thi hoa")
    assert "xem-hoa" in by_name and "xn-hoa" in by_name and "xem-binh" not in by_name
    by_cccd = _page(client, person=CCCD)
    assert "xem-hoa" in by_cccd and "tra-cuu" in by_cccd and "xem-binh" not in by_cccd
    assert "xem-" not in _page(client, person="không có ai tên này")


def test_the_person_filter_resolves_names_through_the_readers_scope(client_for, leader, police, khom, other_khom):
    """An event in the leader's ward about a person of another ward is not found by that person's name."""
    stranger = PersonFactory(khom=other_khom, full_name="Người Phường Khác")
    audit(AuditAction.VIEW, user=police, obj=stranger, ward_id=khom.ward_id, object_repr="xem-la")
    assert "xem-la" in _page(client_for(leader))
    assert "xem-la" not in _page(client_for(leader), person="nguoi phuong khac")


def test_leadership_reads_no_event_of_another_ward(client_for, leader, other_police, other_khom):
    audit(AuditAction.VIEW, user=other_police, obj=PersonFactory(khom=other_khom), object_repr="ngoai-pham-vi")
    assert "ngoai-pham-vi" not in _page(client_for(leader))


def test_the_export_holds_the_filtered_rows_in_words_and_is_itself_audited(client_for, leader, police, khom):
    person = PersonFactory(khom=khom, full_name="Võ Văn Tám", date_of_birth=dt.date(1988, 3, 4))
    audit(AuditAction.CREATE, user=police, obj=person, changes=diff(None, snapshot(person)))
    audit(AuditAction.VIEW, user=police, object_type="cases.case", object_id="1", object_repr="vu-khong-lay")
    response = client_for(leader).get(reverse("audit_export"), {"object_type": "subjects.person"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "NHẬT KÝ TRUY CẬP VÀ THAY ĐỔI" and "Xuất bởi" in values[1][0]
    assert values[2][:4] == ("Thời điểm", "Người dùng", "Hành động", "Loại đối tượng")
    data = values[3:]
    assert len(data) == 1 and data[0][3] == "Đối tượng" and data[0][4] == "Võ Văn Tám"
    assert "Ngày sinh: — → 04/03/1988" in data[0][6]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="core.auditevent").get()
    assert event.username == leader.username and event.extra["rows"] == 1
    assert event.extra["filters"] == {"object_type": "subjects.person"}


def test_the_audit_page_costs_the_same_queries_for_few_and_many_events(client_for, leader, police, khom,
                                                                       count_queries):
    client = client_for(leader)

    def add(n):
        for _index in range(n):
            person = PersonFactory(khom=khom)
            audit(AuditAction.CREATE, user=police, obj=person, changes=diff(None, snapshot(person)),
                  extra={"person": person.pk})

    add(2)
    few = count_queries(lambda: client.get(reverse("audit")))
    add(30)
    many = count_queries(lambda: client.get(reverse("audit")))
    assert few == many
