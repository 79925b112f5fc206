"""Scope expressed once: which rows of a model a user may see, from the model's path to its ward and khóm.

Every model's queryset answers ``for_user(user)``; pages, search, exports, imports and the admin all
go through it. The role rule is written here once:

- anonymous: nothing; administrators: everything;
- the province roles: ``province_rows()`` (by default nothing — they read aggregates, never records);
- khóm officers: the rows of their khóm (``khom_path``); none where a model has no khóm path;
- ward leadership and police: the rows of their wards (``ward_path``).

A model's queryset states only its paths and what differs (``province_sees_all``, or an override of
``province_rows`` / ``khom_officer_rows``). apps.core knows users only by these attributes:
``is_authenticated``, ``is_administrator``, ``is_province``, ``is_khom_officer``, ``is_leadership``,
``is_police``, ``scope_ward_ids``, ``scope_khom_ids``.
"""
from django.db import models


class ScopedQuerySet(models.QuerySet):
    # Lookup from a row to its ward's id and to its khóm's id ("pk" on Ward and Khom themselves).
    ward_path = "ward_id"
    khom_path: str | None = None
    # Reference-like data the province roles may read whole (wards, khóm).
    province_sees_all = False

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_province:
            return self.province_rows(user)
        if user.is_khom_officer:
            return self.khom_officer_rows(user)
        if user.is_leadership or user.is_police:
            return self.filter(**{f"{self.ward_path}__in": user.scope_ward_ids})
        return self.none()

    def province_rows(self, user):
        return self if self.province_sees_all else self.none()

    def khom_officer_rows(self, user):
        if self.khom_path is None:
            return self.none()
        return self.filter(**{f"{self.khom_path}__in": user.scope_khom_ids})


class ReferenceQuerySet(models.QuerySet):
    """Published rules and configuration, not personal data: every signed-in user reads them all."""

    def for_user(self, user):
        return self if user.is_authenticated else self.none()


def row_ward_id(obj):
    """The id of the ward *obj* belongs to, read on the instance along its queryset's ``ward_path``.

    None for rows outside any ward: reference data (a ``ReferenceQuerySet``), models whose queryset is
    not a ``ScopedQuerySet``, a path that meets an unset relation, or one through a many-to-many (a
    reporting round's ``wards``). An unset foreign key ends the walk without a query.
    """
    queryset_class = type(type(obj)._default_manager.none())   # builds no query
    if not issubclass(queryset_class, ScopedQuerySet):
        return None
    value = obj
    for name in queryset_class.ward_path.split("__"):
        if name == "pk":
            value = value.pk
            continue
        field = value._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return None
        if field.is_relation and field.attname != name and getattr(value, field.attname) is None:
            return None
        value = getattr(value, name)
        if value is None:
            return None
    return value
