"""The audit log in words: object types, field labels and values as the pages show them.

An event stores what happened in machine terms (``cases.case``, ``{"ward_id": [null, 3]}``, ISO dates):
this module turns a page of events into the names the pages use — the model's and the field's
``verbose_name``, dates dd/mm/yyyy, choices by their label, booleans Có/Không, a link by the name of
what it points to. Models are found through Django's app registry by their label, so apps.core still
imports no other app. A name behind a link is read through that model's ``for_user()`` scope: what the
reader may not see stays a number.
"""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .numbers import whole_number

EMPTY = "—"
YES, NO = gettext_lazy("Có"), gettext_lazy("Không")
SNAPSHOT = gettext_lazy("bản chụp số liệu (%(count)s mục), xem trên trang của hồ sơ")
NO_OBJECT = gettext_lazy("(không gắn với đối tượng)")

# The details (``extra``) the services and views write, by key, in words. A key not listed is shown as written.
EXTRA_LABELS = {
    "rows": gettext_lazy("Số dòng"),
    "format": gettext_lazy("Định dạng"),
    "filters": gettext_lazy("Bộ lọc"),
    "q": gettext_lazy("Tìm kiếm"),
    "person": gettext_lazy("Đối tượng"),
    "move": gettext_lazy("Lượt chuyển nơi cư trú"),
    "transition": gettext_lazy("Chuyển trạng thái"),
    "reason": gettext_lazy("Lý do"),
    "cccd": gettext_lazy("Số CCCD"),
    "source": gettext_lazy("Nguồn"),
    "otp": gettext_lazy("Mã xác thực hai lớp"),
    "username": gettext_lazy("Tên đăng nhập"),
    "cascade_of": gettext_lazy("Xóa kèm theo"),
    "inline_of": gettext_lazy("Thuộc hồ sơ"),
    "via": gettext_lazy("Qua"),
    "view": gettext_lazy("Trang"),
    "list": gettext_lazy("Danh sách"),
    "page": gettext_lazy("Trang số"),
    "path": gettext_lazy("Đường dẫn"),
    "assessment": gettext_lazy("Bản đánh giá"),
    "criterion": gettext_lazy("Tiêu chí"),
    "size": gettext_lazy("Dung lượng (byte)"),
    "sha256": gettext_lazy("Mã băm SHA-256"),
    "kind": gettext_lazy("Loại"),
    "start": gettext_lazy("Từ ngày"),
    "file": gettext_lazy("Tệp"),
    "refused": gettext_lazy("Bị từ chối vì"),
    "dry_run": gettext_lazy("Chỉ kiểm tra"),
    "row": gettext_lazy("Dòng"),
    "import_batch": gettext_lazy("Lượt nhập"),
    "on_time": gettext_lazy("Đúng hạn"),
    "frozen": gettext_lazy("Số liệu đã chốt"),
    "lookups_today": gettext_lazy("Số lượt tra cứu trong ngày"),
    "limit": gettext_lazy("Ngưỡng"),
    "autocomplete": gettext_lazy("Tìm nhanh"),
    "ids": gettext_lazy("Mã các bản ghi"),
}
EXTRA_VALUES = {
    "reason": {"role": gettext_lazy("vai trò không được phép"), "scope": gettext_lazy("ngoài phạm vi")},
    "via": {"admin": gettext_lazy("trang quản trị"), "import": gettext_lazy("nhập Excel")},
    "otp": {"verified": gettext_lazy("đúng"), "invalid": gettext_lazy("sai"), "enrolled": gettext_lazy("đã đăng ký")},
}
# Details that name a record by its id: {key: model label}.
EXTRA_LINKS = {"person": "subjects.person"}


def project_models():
    """The models of the project's apps (the ones events are written about)."""
    return [model for model in apps.get_models() if model.__module__.startswith("apps.")]


def object_type_choices():
    """(label, name) of every project model, by its name, and the events about nothing (log-ins)."""
    choices = sorted(((m._meta.label_lower, capfirst(str(m._meta.verbose_name))) for m in project_models()),
                     key=lambda item: item[1].lower())
    return [("-", str(NO_OBJECT)), *choices]


def model_for(label: str):
    try:
        return apps.get_model(label) if label and "." in label else None
    except LookupError:
        return None


def object_type_name(label: str) -> str:
    model = model_for(label)
    if model is None:
        return label or str(NO_OBJECT)
    return capfirst(str(model._meta.verbose_name))


def _fields(model) -> dict:
    return {field.attname: field for field in model._meta.concrete_fields} if model else {}


def _scoped(model, user):
    manager = model._default_manager
    queryset = manager.all()
    return queryset.for_user(user) if hasattr(queryset, "for_user") else queryset


def _date(value):
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, dt.date) else str(value)


def _datetime(value):
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    return str(value)


def _number(value):
    try:
        return formats.number_format(Decimal(str(value)), use_l10n=True)
    except (InvalidOperation, ValueError):
        return str(value)


def plain(value) -> str:
    """A value without a field to say how: text, yes/no, lists and mappings in words."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {plain(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(plain(item) for item in value)
    return str(value)


# The field a model's name is read from when its ``__str__`` is that field (most are): checked in this order.
NAME_FIELDS = ("full_name", "name", "address", "file_name", "filename", "decision_number")


def name_expression(model):
    """A SQL expression giving *model*'s ``str()``, or None when it is not one field (such a link stays ``#id``)."""
    from django.db.models import CharField, Value
    from django.db.models import Case as SQLCase
    from django.db.models import When
    from django.db.models.functions import Concat, Trim

    fields = {field.name for field in model._meta.concrete_fields}
    if model is apps.get_model(*_user_model_label().split(".")):
        full = Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField()))
        return SQLCase(When(first_name="", last_name="", then="username"),
                       default=Concat(full, Value(" ("), "username", Value(")"), output_field=CharField()),
                       output_field=CharField())
    for name in NAME_FIELDS:
        if name in fields:
            return _as_text(name)
    return None


def _as_text(name):
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return Cast(name, output_field=CharField())


def _user_model_label() -> str:
    from django.conf import settings

    return settings.AUTH_USER_MODEL


class Names:
    """The names behind the links of a page of events, read in ONE query (a UNION over the models linked to)."""

    def __init__(self, user):
        self.user = user
        self.wanted: dict = {}
        self.found: dict = {}

    def want(self, model, pk):
        if model is not None and pk not in (None, ""):
            self.wanted.setdefault(model, set()).add(pk)

    def load(self):
        from django.db.models import CharField, Value
        from django.db.models.functions import Cast

        parts = []
        for model, pks in self.wanted.items():
            clean = {pk for pk in map(whole_number, pks) if pk is not None}
            expression = name_expression(model)
            if not clean or expression is None:
                continue
            parts.append(_scoped(model, self.user).filter(pk__in=clean).order_by().annotate(
                _label=Value(model._meta.label_lower, output_field=CharField()),
                _key=Cast("pk", output_field=CharField()), _name=expression,
            ).values_list("_label", "_key", "_name"))
        if not parts:
            return
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        labels = {model._meta.label_lower: model for model in self.wanted}
        for label, key, name in query:
            self.found[(labels[label], key)] = name

    def name(self, model, pk) -> str:
        return self.found.get((model, str(pk)), f"#{pk}")


def field_value(field, value, names: Names) -> str:
    """*value* of *field* (as a snapshot stores it) the way the pages show it."""
    if value is None or value == "":
        return EMPTY
    if field is None:
        return plain(value)
    if field.is_relation and field.many_to_one:
        return names.name(field.related_model, value)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(YES if value else NO)
    if isinstance(field, models.DateTimeField):
        return _datetime(value)
    if isinstance(field, models.DateField):
        return _date(value)
    if isinstance(field, (models.DecimalField, models.FloatField)):
        return _number(value)
    if isinstance(field, models.JSONField) and isinstance(value, dict):
        # A frozen snapshot (figures, items) keyed by the code's names: the record's page shows it in words.
        return str(SNAPSHOT) % {"count": _number(len(value))}
    return plain(value)


def describe(events, user) -> list[dict]:
    """One dict per event: its type and changes in words, for the audit page and its export.

    ``{"event", "type", "actor", "changes": [(label, before, after)], "details": [(label, value)]}``; the names
    behind links cost one query per model linked to, whatever the number of events.
    """
    names = Names(user)
    user_model = apps.get_model(*_user_model_label().split("."))
    planned = []
    for event in events:
        names.want(user_model, event.user_id)  # who acted, by name, in the same query as the links
        model = model_for(event.object_type)
        fields = _fields(model)
        for attname, values in (event.changes or {}).items():
            field = fields.get(attname)
            if field is not None and field.is_relation and field.many_to_one and isinstance(values, list):
                for value in values:
                    names.want(field.related_model, value)
        for key, value in (event.extra or {}).items():
            if key in EXTRA_LINKS:
                names.want(model_for(EXTRA_LINKS[key]), value)
        planned.append((event, model, fields))
    names.load()
    rows = []
    for event, model, fields in planned:
        changes = []
        for attname, values in (event.changes or {}).items():
            field = fields.get(attname)
            label = capfirst(str(field.verbose_name)) if field is not None else attname
            before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            changes.append((label, field_value(field, before, names), field_value(field, after, names)))
        details = []
        for key, value in (event.extra or {}).items():
            label = str(EXTRA_LABELS.get(key, key))
            if key in EXTRA_LINKS:
                shown = names.name(model_for(EXTRA_LINKS[key]), value)
            elif key in EXTRA_VALUES and isinstance(value, str):
                shown = str(EXTRA_VALUES[key].get(value, value))
            elif key == "view" and isinstance(value, str):
                continue  # the page's URL name: the object type and the action already say it
            else:
                shown = plain(value)
            details.append((label, shown))
        actor = names.found.get((user_model, str(event.user_id))) if event.user_id else None
        rows.append({"event": event, "type": object_type_name(event.object_type), "changes": changes,
                     "details": details, "actor": actor or event.username or EMPTY})
    return rows
