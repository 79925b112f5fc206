"""Account writes that take more than one step."""
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.audit import AuditAction, audit


def otp_device_confirm(*, request: HttpRequest, device: TOTPDevice) -> TOTPDevice:
    """Confirm a freshly verified TOTP device, drop the user's other unconfirmed ones, mark the session verified."""
    with transaction.atomic():
        device.confirmed = True
        device.full_clean()
        device.save()
        TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
        audit(AuditAction.UPDATE, request=request, obj=device, object_repr=f"TOTP {device.user.get_username()}",
              changes={"confirmed": [False, True]}, extra={"otp": "enrolled"})
    otp_login(request, device)
    return device
