import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from apps.khom.models import Khom, Ward


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_the_contract_users(settings):
    call_command("seed_demo")
    call_command("seed_demo")
    ward = Ward.objects.get(name="Mỹ Thới")
    assert Khom.objects.filter(ward=ward).count() == 19
    assert Khom.objects.filter(ward=ward, target_year=2025).count() == 4
    assert set(Khom.objects.filter(ward=ward).values_list("target_year", flat=True)) == {2025, 2026, 2027, 2028, 2029}
    request = RequestFactory().post("/accounts/login/")
    for username in ["admin", "lanhdao", "congan", "khom01", "tinh"]:
        assert authenticate(request, username=username, password=settings.DEMO_PASSWORD) is not None, username
