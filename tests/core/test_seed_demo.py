import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.khom.models import Khom, Ward


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_the_contract_users(settings):
    call_command("seed_demo")
    call_command("seed_demo")
    ward = Ward.objects.get(name="Mỹ Thới")
    assert ward.code == "30301" and Ward.objects.filter(name="Mỹ Thới").count() == 1
    assert Ward.objects.count() == 102
    assert Khom.objects.filter(ward=ward).count() == 19
    assert Khom.objects.filter(ward=ward, target_year=2025).count() == 4
    assert set(Khom.objects.filter(ward=ward).values_list("target_year", flat=True)) == {2025, 2026, 2027, 2028, 2029}
    request = RequestFactory().post("/accounts/login/")
    for username in ["admin", "lanhdao", "congan", "khom01", "tinh", "pc04", "ubndtinh"]:
        assert authenticate(request, username=username, password=settings.DEMO_PASSWORD) is not None, username


@pytest.mark.django_db
def test_the_province_demo_users_log_in_through_the_form_and_see_the_province_but_not_its_people(client, settings):
    call_command("seed_demo")
    # seed_demo loads the province's 102 units, Mỹ Thới once, under its official code.
    assert Ward.objects.count() == 102
    my_thoi = Ward.objects.get(name="Mỹ Thới")
    assert (my_thoi.code, my_thoi.full_name, my_thoi.population) == ("30301", "Phường Mỹ Thới", 38512)
    assert Khom.objects.filter(ward=my_thoi).count() == Khom.objects.count() == 19
    for username, role in [("pc04", Role.PROVINCE_OFFICER), ("ubndtinh", Role.PROVINCE_LEADERSHIP)]:
        user = User.objects.get(username=username)
        assert user.role == role and user.is_province and not user.is_staff
        assert not user.wards.exists() and not user.khoms.exists()  # the role, not attached wards, gives the reach
        response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/", username
        page = client.get("/")
        assert page.status_code == 200 and "Tổng hợp 102 phường." in page.content.decode(), username
        assert client.get("/subjects/").status_code == 403
        client.logout()
