"""A ward whose figures are illustrative carries "số liệu minh họa" wherever its name is listed or headed."""
import re

import pytest
from django.urls import reverse

from apps.reports.choices import ReportStatus
from tests.factories.reports import ReportFactory

LABEL = "số liệu minh họa"


def rows_naming(html, name):
    """The table rows of *html* that mention *name*."""
    return [row for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if name in row]


@pytest.fixture
def illustrative_ward(other_ward):
    other_ward.name, other_ward.is_illustrative = "Minh Họa", True
    other_ward.save()
    return other_ward


def test_the_khom_list_labels_the_khom_of_an_illustrative_ward_only(client_for, province, khom, other_khom,
                                                                     illustrative_ward):
    html = client_for(province).get(reverse("khom:list")).content.decode()
    assert LABEL in "".join(rows_naming(html, other_khom.name))
    assert LABEL not in "".join(rows_naming(html, khom.name))


def test_the_khom_page_labels_an_illustrative_wards_khom(client_for, province, khom, other_khom, illustrative_ward):
    client = client_for(province)
    assert LABEL in client.get(reverse("khom:detail", args=[other_khom.pk])).content.decode()
    assert LABEL not in client.get(reverse("khom:detail", args=[khom.pk])).content.decode()


def test_the_dashboards_table_of_wards_labels_the_illustrative_one(client_for, province, khom, other_khom,
                                                                    illustrative_ward):
    response = client_for(province).get(reverse("dashboard"))
    rows = {row["name"]: row["illustrative"] for row in response.context["dashboard"]["area_rows"]}
    assert rows == {"Phường A": False, "Minh Họa": True}
    html = response.content.decode()
    assert LABEL in "".join(rows_naming(html, "Minh Họa"))
    assert LABEL not in "".join(rows_naming(html, "Phường A"))


def test_the_reports_list_and_page_label_an_illustrative_wards_report(client_for, province, leader, ward,
                                                                      illustrative_ward):
    submitted = {"status": ReportStatus.SUBMITTED, "snapshot": {"x": 1}, "submitted_by": leader,
                 "submitted_at": "2026-04-05T08:00:00+07:00"}
    real = ReportFactory(ward=ward, **submitted)
    shown = ReportFactory(ward=illustrative_ward, **submitted)
    client = client_for(province)
    html = client.get(reverse("reports:list")).content.decode()
    assert LABEL in "".join(rows_naming(html, "Minh Họa"))
    assert LABEL not in "".join(rows_naming(html, "Phường A"))
    assert LABEL in client.get(reverse("reports:detail", args=[shown.pk])).content.decode()
    assert LABEL not in client.get(reverse("reports:detail", args=[real.pk])).content.decode()
