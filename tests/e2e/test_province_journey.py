"""A province viewer sees aggregate figures and never a personal record."""
import pytest
from playwright.sync_api import expect

from apps.subjects.models import Person
from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import log_in, open_status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_province_viewer_sees_the_dashboard_but_not_a_persons_record(page, live_server):
    person = Person.objects.order_by("pk").first()
    assert person is not None, "the demo data has people"
    log_in(page, "tinh")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan chương trình phường không ma túy 2025–2030")
    expect(page.locator("main")).not_to_contain_text(person.full_name)
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    expect(navigation.get_by_role("link", name="Đối tượng")).to_have_count(0)

    status = open_status(page, f"/subjects/{person.pk}/")
    assert status in (403, 404)
    expect(page.locator("main")).not_to_contain_text(person.full_name)
    expect_accessible(page)  # the refusal page
    assert open_status(page, "/subjects/") in (403, 404)
    assert open_status(page, f"/subjects/export.xlsx?q={person.full_name}") in (403, 404)
