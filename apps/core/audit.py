"""Writing the audit log: one explicit call per thing that happened."""
import datetime as dt
import decimal
import uuid

from django.conf import settings
from django.db import models

from .choices import AuditAction
from .models import AuditEvent

__all__ = ["AuditAction", "audit", "client_ip", "snapshot", "diff"]


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the proxy-appended X-Forwarded-For entry we trust."""
    if request is None:
        return None
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR") or None


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return value


def snapshot(instance) -> dict:
    """The concrete field values of *instance*, JSON-safe, keyed by attribute name."""
    data = {}
    for field in instance._meta.concrete_fields:
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


IGNORED_FIELDS = {"updated_at", "created_at", "version", "search_text"}


def diff(before: dict | None, after: dict) -> dict:
    """{field: [old, new]} for every field that changed between two snapshots."""
    before = before or {}
    return {
        key: [before.get(key), value]
        for key, value in after.items()
        if key not in IGNORED_FIELDS and before.get(key) != value
    }


def _ward_id_of(obj):
    if obj is None:
        return None
    getter = getattr(obj, "audit_ward_id", None)
    if getter is not None:
        return getter() if callable(getter) else getter
    return None


def audit(action, *, request=None, user=None, obj=None, object_type="", object_id="", object_repr="",
          ward_id=None, changes=None, extra=None) -> AuditEvent:
    """Write one AuditEvent; user and IP come from *request* when given."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)
        if ward_id is None:
            ward_id = _ward_id_of(obj)
    if ward_id is None and user is not None:
        ward_id = user.primary_ward_id
    return AuditEvent.objects.create(
        user=user,
        username=(user.get_username() if user else (extra or {}).get("username", "")),
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:255],
        ward_id=ward_id,
        changes=changes or {},
        extra=extra or {},
    )
