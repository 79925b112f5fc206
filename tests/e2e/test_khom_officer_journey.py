"""A khóm officer works on his own khóm only: people, a manual criterion with evidence, a propaganda session."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.activities.models import Activity
from apps.criteria import services as criteria_services
from apps.criteria.choices import CriteriaScope
from apps.criteria.models import CriteriaSet, Evidence
from apps.khom.models import Khom
from apps.subjects.models import Person
from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import log_in, open_status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The smallest file the evidence check accepts as a PDF (it reads the signature, not the name alone).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_khom_officer_sees_only_the_people_and_khom_in_his_charge(page, live_server):
    own, other = Khom.objects.get(code="K01"), Khom.objects.get(code="K02")
    neighbour = Person.objects.filter(khom=other).order_by("pk").first()
    resident = Person.objects.filter(khom=own).order_by("pk").first()
    assert neighbour and resident, "the demo data has people in the first two khóm"
    log_in(page, "khom01")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Khóm").click()
    khom_rows = page.locator("main table tbody tr")
    expect(khom_rows).to_have_count(1)
    expect(khom_rows).to_contain_text(own.name)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đối tượng").click()
    people = page.locator("main table tbody")
    expect(people).to_contain_text(resident.full_name)
    expect(people).not_to_contain_text(neighbour.full_name)

    assert open_status(page, f"/subjects/{neighbour.pk}/") == 404
    assert open_status(page, f"/khom/{other.pk}/") == 404
    assert open_status(page, f"/subjects/{resident.pk}/") == 200
    # Khóm officers read records; only the police write them.
    assert open_status(page, "/subjects/new/") == 403
    expect_accessible(page)  # the refusal page


def test_the_khom_officer_fills_a_manual_criterion_with_evidence_and_records_a_propaganda_session(page, live_server):
    today = dt.date.today()
    khom = Khom.objects.get(code="K01")
    assessment = criteria_services.assessment_create(
        user=User.objects.get(username="congan"), year=today.year, khom=khom,
        criteria_set=CriteriaSet.objects.current(CriteriaScope.KHOM, today.year))
    log_in(page, "khom01")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tiêu chí").click()
    page.get_by_role("link", name=re.compile(khom.name)).first.click()
    expect(page).to_have_url(re.compile(rf"/criteria/{assessment.pk}/$"))

    row = page.get_by_role("row").filter(has_text="tổ tự quản")
    row.get_by_label("Kết quả").select_option(label="Đạt")
    row.get_by_label("Nhận xét, căn cứ").fill("Tổ tự quản sinh hoạt hằng tháng, có biên bản.")
    row.get_by_label("Tệp minh chứng").set_input_files(
        files=[{"name": "bien-ban-to-tu-quan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    row.get_by_role("button", name="Lưu tiêu chí này").click()

    expect(page.get_by_role("alert")).to_contain_text("Đã lưu.")
    row = page.get_by_role("row").filter(has_text="tổ tự quản")
    expect(row.get_by_role("link", name="bien-ban-to-tu-quan.pdf")).to_be_visible()
    expect(row).to_contain_text("Tổ tự quản sinh hoạt hằng tháng, có biên bản.")
    expect(row.locator(".badge")).to_have_text("Đạt")
    expect_accessible(page)  # the assessment with its confirmation and the evidence link
    evidence = Evidence.objects.get(item__assessment=assessment)
    assert bytes(evidence.data) == PDF

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hoạt động").click()
    page.get_by_role("link", name="Ghi nhận buổi tuyên truyền").click()
    page.get_by_label("Loại hoạt động").select_option(label="Tuyên truyền")
    khom_select = page.get_by_label(re.compile(r"^Khóm( \*)?$"))
    # His khóm is the only one he may choose.
    expect(khom_select.locator("option", has_text="Khóm")).to_have_count(1)
    khom_select.select_option(label=khom.name)
    page.get_by_label("Ngày tổ chức").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Chủ đề").fill("Tác hại của ma túy tổng hợp đối với thanh niên")
    page.get_by_label("Đối tượng tham dự").select_option(label="Thanh thiếu niên")
    page.get_by_label("Số người tham dự").fill("45")
    page.get_by_label("Đơn vị tổ chức").fill("Ban điều hành khóm Đông Thạnh")
    page.get_by_role("button", name="Lưu").click()

    expect(page).to_have_url(re.compile(r"/activities/"))
    expect(page.locator("main table")).to_contain_text("Tác hại của ma túy tổng hợp đối với thanh niên")
    session = Activity.objects.get(topic="Tác hại của ma túy tổng hợp đối với thanh niên")
    assert (session.khom_id, session.participants, session.held_on) == (khom.pk, 45, today)
