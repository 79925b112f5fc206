"""Account writes that take more than one step."""
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.audit import AuditAction, audit


@transaction.atomic
def otp_device_confirm(*, device: TOTPDevice) -> TOTPDevice:
    """Confirm a freshly verified TOTP device, drop the user's other unconfirmed ones; the view marks the session."""
    device.confirmed = True
    device.full_clean()
    device.save()
    TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
    audit(AuditAction.UPDATE, obj=device, object_repr=f"TOTP {device.user.get_username()}",
          changes={"confirmed": [False, True]}, extra={"otp": "enrolled"})
    return device
