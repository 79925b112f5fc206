"""Audit logins, failed logins and logouts."""
from django.contrib.auth import signals
from django.dispatch import receiver

from .audit import AuditAction, audit


@receiver(signals.user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(AuditAction.LOGIN, request=request, user=user)


@receiver(signals.user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(AuditAction.LOGOUT, request=request, user=user)


@receiver(signals.user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password the person typed.
    audit(AuditAction.LOGIN_FAILED, request=request, extra={"username": str(credentials.get("username", ""))[:150]})
