"""Writing the audit log: one explicit call per thing that happened.

Who acted and from where is not passed around: a middleware (and each
management command) opens an *audit context* holding the acting user, the
client address, a request id and the source, and every ``audit()`` call inside
it reads that context. Services therefore take no ``request``.
"""
import datetime as dt
import decimal
import hashlib
import ipaddress
import json
import math
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, router
from django.utils.functional import Promise

from .choices import AuditAction
from .models import AuditEvent
from .scoping import row_ward_id

__all__ = [
    "AuditAction", "AuditContext", "audit", "audit_context", "audit_delete", "client_ip", "current_audit_context",
    "diff", "query_filters", "snapshot", "ward_id_of",
]

# The query parameter of every list's free-text search.
SEARCH_PARAM = "q"
# Query parameters that only move through a list (pagination), never narrow what it shows.
NON_FILTER_PARAMS = {"page", "p"}


# Client address ---------------------------------------------------------------------------------

def parse_address(value) -> str | None:
    """The IP address written in *value* — ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``, ``[2001:db8::1]:443`` —
    normalised, or None when it is not an address. Never raises."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        value = host
    elif value.count(":") == 1:
        host, _colon, port = value.partition(":")
        if not port.isdigit():
            return None
        value = host
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        # PostgreSQL's inet type has no zone index ("fe80::1%eth0"): keep the address.
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    return str(address)


def client_ip(request) -> str | None:
    """The client's address: the X-Forwarded-For entry appended by the outermost trusted proxy, else REMOTE_ADDR.

    With ``TRUSTED_PROXY_COUNT = n`` the client is the n-th entry from the right:
    the entries to its left were sent by the client and may be forged. An entry
    that is not an address (or too few entries) falls back to the socket
    address. Also django-axes' AXES_CLIENT_IP_CALLABLE, so it must never raise.
    """
    if request is None:
        return None
    meta = getattr(request, "META", {})
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted and trusted > 0:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted:
            address = parse_address(forwarded[-trusted])
            if address is not None:
                return address
    return parse_address(meta.get("REMOTE_ADDR"))


# Audit context -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditContext:
    """Who is acting, from where, in which request or command: read by every audit() call while current.

    ``user`` may be a callable: the request's user changes when someone signs in
    or out during the request, so the middleware passes a getter.
    """

    user: Any = None
    ip: str | None = None
    request_id: str = ""
    source: str = ""

    def acting_user(self):
        user = self.user() if callable(self.user) else self.user
        return user if user is not None and getattr(user, "is_authenticated", False) else None


_current: ContextVar[AuditContext | None] = ContextVar("myhoi_audit_context", default=None)


def current_audit_context() -> AuditContext | None:
    return _current.get()


@contextmanager
def audit_context(*, user=None, ip=None, source="", request_id=None):
    """Make every audit() inside the block carry *user*, *ip*, *source* and one request id.

    ``with audit_context(user=actor, source="command:import_xlsx"): ...``
    """
    context = AuditContext(user=user, ip=ip, request_id=request_id or uuid.uuid4().hex, source=source)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


# Values ------------------------------------------------------------------------------------------

def _jsonable(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        # A file's content (evidence, an uploaded workbook) is identified, not copied into the log.
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
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


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [old, new]} for every field that differs between two snapshots; ``diff(values, {})`` is a deletion."""
    before, after = before or {}, after or {}
    keys = [*after, *(key for key in before if key not in after)]
    return {
        key: [before.get(key), after.get(key)]
        for key in keys
        if key not in IGNORED_FIELDS and before.get(key) != after.get(key)
    }


# PostgreSQL refuses NUL in text and jsonb ("\u0000"), and jsonb refuses unpaired surrogates.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text(value) -> str:
    if type(value) is not str:
        value = str(value)
    if value.isascii():  # the common case, checked in C: only a NUL can be wrong
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    return _UNSTORABLE.sub("\ufffd", value)


# In json.dumps' ASCII output a NUL or a surrogate can only appear escaped (astral characters are written as
# surrogate pairs, which send them down the slow path too: correct, only slower).
_ESCAPED_UNSTORABLE = re.compile(r"\\u0000|\\ud[89a-f]", re.IGNORECASE)


def storable(value):
    """*value* made safe for a jsonb column: NUL and lone surrogates replaced by U+FFFD in every string (keys too),
    lazy text, dates and decimals as strings, non-finite floats as text."""
    # Fast path, in C: plain JSON without anything PostgreSQL refuses goes as it is (an import logs one
    # event per row; walking every value in Python doubled the cost of building it).
    try:
        dumped = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return _storable(value)
    return _storable(value) if _ESCAPED_UNSTORABLE.search(dumped) else value


def _storable(value):
    if isinstance(value, (str, Promise)):
        return _text(value)
    if value is None or isinstance(value, int):  # bool and IntegerChoices included
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {_text(key): _storable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_storable(item) for item in value]
    converted = _jsonable(value)
    return _text(value) if converted is value else _storable(converted)


def query_filters(request) -> dict:
    """What a list or an export was asked for: ``{"filters": {param: value}, "q": search text}``.

    The raw query parameters (multi-valued ones as lists), pagination left out,
    so that an invalid or out-of-scope filter is on record as typed.
    """
    if request is None:
        return {"filters": {}, "q": ""}
    filters = {
        key: values[0] if len(values) == 1 else values
        for key, values in request.GET.lists()
        if key not in NON_FILTER_PARAMS
    }
    return {"filters": filters, "q": request.GET.get(SEARCH_PARAM, "")}


def ward_id_of(obj):
    """The ward an event about *obj* is recorded under: the model's own ``audit_ward_id()`` where its rule
    differs from its scope (rows scoped through a parent, an import batch), else the ward its queryset's
    ``ward_path`` leads to (None for reference data)."""
    if obj is None:
        return None
    getter = getattr(obj, "audit_ward_id", None)
    if getter is not None:
        return getter() if callable(getter) else getter
    return row_ward_id(obj)


# Writing -----------------------------------------------------------------------------------------

def audit_event(action, *, user=None, obj=None, object_type="", object_id="", object_repr="", ward_id=None,
                changes=None, extra=None) -> AuditEvent:
    """One AuditEvent, not yet saved (for bulk_create): the user, address and request id from the audit context.

    *user* overrides the context's user (commands, services called outside a request).
    """
    context = current_audit_context() or AuditContext()
    if user is None:
        user = context.acting_user()
    elif not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)
        if ward_id is None:
            ward_id = ward_id_of(obj)
    if ward_id is None and user is not None:
        ward_id = user.primary_ward_id
    extra = storable(extra or {})
    return AuditEvent(
        user=user,
        username=_text(user.get_username() if user else extra.get("username", ""))[:150],
        ip=context.ip,
        action=action,
        object_type=_text(object_type)[:100],
        object_id=_text(object_id)[:64],
        object_repr=_text(object_repr)[:255],
        ward_id=ward_id,
        changes=storable(changes or {}),
        extra=extra,
        request_id=context.request_id,
        source=_text(context.source)[:64],
    )


def audit(action, **kwargs) -> AuditEvent:
    """Write one AuditEvent (arguments as audit_event); who and from where come from the audit context."""
    event = audit_event(action, **kwargs)
    event.save(force_insert=True)
    return event


def audit_delete(obj, *, extra=None) -> list[AuditEvent]:
    """Log the deletion of *obj* with its values, and of every row its deletion takes along; call just before it.

    Django's deletion collector (the one behind the admin's confirmation page)
    lists what the cascade will remove: each such row gets its own ``delete``
    event with its values, each row whose link is cleared (SET_NULL, SET_DEFAULT)
    an ``update`` event. All carry ``extra.cascade_of`` naming *obj*.
    """
    from django.contrib.admin.utils import NestedObjects

    extra = dict(extra or {})
    using = router.db_for_write(type(obj))
    collector = NestedObjects(using=using)
    collector.collect([obj])
    root_ward = ward_id_of(obj)
    events = [audit(AuditAction.DELETE, obj=obj, ward_id=root_ward, changes=diff(snapshot(obj), {}), extra=extra)]
    along = {**extra, "cascade_of": f"{obj._meta.label_lower}:{obj.pk}"}
    deleted = set()
    for model, instances in collector.data.items():
        pks = sorted(i.pk for i in instances if not (i.pk == obj.pk and model._meta.concrete_model is
                                                      obj._meta.concrete_model))
        deleted.update((model._meta.concrete_model, pk) for pk in pks)
        # Read again in full: the collector may hold rows with only their keys loaded.
        for row in model._base_manager.using(using).filter(pk__in=pks).order_by("pk"):
            events.append(audit(AuditAction.DELETE, obj=row, ward_id=root_ward, changes=diff(snapshot(row), {}),
                                extra=along))
    deleted.add((obj._meta.concrete_model, obj.pk))
    for (field, value), batches in collector.field_updates.items():
        for batch in batches:
            for row in batch:
                if (row._meta.concrete_model, row.pk) in deleted:
                    continue
                old = _jsonable(getattr(row, field.attname))
                events.append(audit(AuditAction.UPDATE, obj=row, ward_id=root_ward,
                                    changes={field.attname: [old, _jsonable(value)]}, extra=along))
    return events
