"""Audit logins, failed logins and logouts (the address comes from the request's audit context)."""
from django.contrib.auth import signals
from django.contrib.auth.models import AnonymousUser
from django.dispatch import receiver

from .audit import AuditAction, audit


@receiver(signals.user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(AuditAction.LOGIN, user=user)


@receiver(signals.user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(AuditAction.LOGOUT, user=user)


@receiver(signals.user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password the person typed. Anonymous on purpose: whoever may be signed in on this
    # browser, the attempt is for the username typed.
    username = str(credentials.get("username", ""))[:150]
    audit(AuditAction.LOGIN_FAILED, user=AnonymousUser(), extra={"username": username})
