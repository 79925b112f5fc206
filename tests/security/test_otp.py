"""Second factor (TOTP): enrolment, verification, and the roles that must use it everywhere."""
import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.forms import OTP_INVALID
from apps.core.choices import AuditAction
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REQUIRED = ["leadership", "police", "administrator"]


def code_for(device):
    """The current code as the app shows it: zero-padded to the device's digits."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def test_without_required_roles_a_police_officer_uses_pages_with_a_password_only(client_for, police):
    assert client_for(police).get("/").status_code == 200


@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_a_required_role_without_a_device_is_sent_to_enrolment(client_for, police):
    response = client_for(police).get("/khom/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/setup/?next=")


@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_a_required_role_with_a_device_is_sent_to_verification_on_every_page_and_the_admin(client_for, admin_user):
    confirmed_device(admin_user)
    client = client_for(admin_user)
    for path in ["/", "/khom/", "/audit/", "/admin/", "/admin/accounts/user/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/otp/verify/"), path


@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_a_khom_officer_outside_the_required_roles_is_not_asked(client_for, khom_officer):
    assert client_for(khom_officer).get("/").status_code == 200


@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_enrolment_shows_a_qr_svg_and_confirms_with_a_valid_code(client_for, police):
    client = client_for(police)
    page = client.get("/accounts/otp/setup/?next=/khom/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    device = TOTPDevice.objects.get(user=police, confirmed=False)
    assert page.context["secret"]

    bad = client.post("/accounts/otp/setup/", {"token": "000000", "next": "/khom/"})
    assert bad.status_code == 200
    assert str(OTP_INVALID) in bad.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    # The code of 000000 may by chance be right; a fresh device state keeps this honest.
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    good = client.post("/accounts/otp/setup/", {"token": code_for(device), "next": "/khom/"})
    assert good.status_code == 302 and good["Location"] == "/khom/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/khom/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="otp_totp.totpdevice").exists()


@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_verification_with_the_right_code_opens_the_pages_and_a_wrong_code_is_audited(client_for, leader):
    device = confirmed_device(leader)
    client = client_for(leader)
    wrong = client.post("/accounts/otp/verify/", {"token": "12345x", "next": "/audit/"})
    assert wrong.status_code == 200
    assert wrong.context["form"]["token"].value() == "12345x"  # what was typed is kept
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, user=leader).count() == 1
    assert client.get("/audit/").status_code == 302

    right = client.post("/accounts/otp/verify/", {"token": code_for(device), "next": "/audit/"})
    assert right.status_code == 302 and right["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, user=leader, extra__otp="verified").exists()


@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_verification_refuses_a_next_url_on_another_site(client_for, leader):
    device = confirmed_device(leader)
    response = client_for(leader).post("/accounts/otp/verify/", {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_user_who_enrolled_is_asked_for_the_code_even_when_the_role_does_not_require_it(client, khom_officer):
    confirmed_device(khom_officer)
    client.force_login(khom_officer)  # the login signal notes the enrolment in the session
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/verify/")


def test_someone_with_only_the_password_cannot_replace_an_enrolled_device(client_for, police):
    confirmed_device(police)
    response = client_for(police).get("/accounts/otp/setup/")
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/verify/"
    assert TOTPDevice.objects.filter(user=police).count() == 1


def test_the_second_factor_pages_require_a_login(client):
    for path in ["/accounts/otp/verify/", "/accounts/otp/setup/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
