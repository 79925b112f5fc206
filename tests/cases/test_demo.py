"""The demo data of cases: about 40 cases over 2024–2026 and a few hotspots, the same on every run."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.cases.models import Case, CaseNumberCounter, Hotspot
from apps.khom.models import Ward


@pytest.mark.django_db
def test_seed_demo_adds_about_forty_cases_and_a_few_hotspots_idempotently():
    call_command("seed_demo")
    first = sorted(Case.objects.values_list("year", "number", "detected_on"))
    call_command("seed_demo")
    ward = Ward.objects.get(name="Mỹ Thới")
    cases = Case.objects.filter(ward=ward)
    assert sorted(cases.values_list("year", "number", "detected_on")) == first
    assert 35 <= cases.count() <= 40
    assert set(cases.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert not cases.filter(detected_on__gt=timezone.localdate()).exists()
    assert cases.filter(participants__isnull=False).distinct().count() == cases.count()
    assert 2 <= Hotspot.objects.filter(ward=ward).count() <= 6
    counter = CaseNumberCounter.objects.get(ward=ward, year=2025)
    assert counter.last_number == cases.filter(year=2025).count()
