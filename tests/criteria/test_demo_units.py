"""The demo on the province's real units (issue 17 §6): seed_demo loads the 102 units, Mỹ Thới keeps its detailed
demo, a handful of real units carry illustrative aggregates, and no real unit is shown recognised without the
label “số liệu minh họa”."""
import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.criteria.choices import SelfAssessmentStatus
from apps.criteria.demo import ILLUSTRATIVE_UNITS
from apps.criteria.models import WardSelfAssessment, WardYearData
from apps.khom.models import Ward
from apps.khom.units import UNITS_CSV

pytestmark = pytest.mark.django_db
LABEL = "số liệu minh họa"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_loads_the_102_units_of_the_list_and_no_other(demo):
    with open(UNITS_CSV, encoding="utf-8-sig") as handle:
        listed = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    assert len(listed) == 102
    assert {w.code: w.full_name for w in Ward.objects.all()} == listed
    my_thoi = Ward.objects.get(code="30301")
    assert my_thoi.khoms.count() == 19 and not my_thoi.is_illustrative


def test_a_handful_of_units_carry_illustrative_aggregates(demo):
    codes = [u[0] for u in ILLUSTRATIVE_UNITS]
    assert set(Ward.objects.filter(is_illustrative=True).values_list("code", flat=True)) == set(codes)
    assert WardYearData.objects.filter(ward__code__in=codes, year=2025).count() == len(codes)


def test_every_unit_shown_recognised_by_demo_data_is_labelled_on_every_page(demo, client):
    recognised = WardSelfAssessment.objects.filter(status=SelfAssessmentStatus.RECOGNISED).select_related("ward")
    assert recognised.exists() and all(sa.ward.is_illustrative for sa in recognised)
    for username in ("tinh", "pc04", "ubndtinh", "admin"):
        client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(reverse("criteria:province"), {"year": "2025"})
        body = page.content.decode()
        for sa in recognised:
            row = re.search(rf"<tr>\s*<td>{sa.ward.code}</td>.*?</tr>", body, re.S).group(0)
            assert LABEL in row and "Không ma túy" in row, (username, sa.ward.code)
        if username != "tinh":
            for sa in recognised:
                assert LABEL in client.get(reverse("criteria:self_assessment_detail", args=[sa.pk])).content.decode()
            assert LABEL in client.get(reverse("criteria:self_assessment_list")).content.decode()
        assert LABEL in client.get(reverse("criteria:classification", args=[recognised[0].ward_id])).content.decode()
        assert LABEL in client.get(reverse("dashboard")).content.decode()
