"""Who an event concerns (recipients) and what a user's inbox and digest read."""
from django.contrib.auth import get_user_model
from django.db.models import Q

from apps.accounts.choices import PROVINCE_ROLES, Role

from .choices import NotificationKind
from .models import Notification

# Roles that work inside one ward: reached through their scope (User.wards, User.khoms).
WARD_ROLES = frozenset({Role.LEADERSHIP, Role.POLICE, Role.KHOM_OFFICER})

NO_ADMINISTRATORS = "Administrators are not an audience: notifications go to the roles whose work the event concerns."
PROVINCE_NEEDS_FLAG = ("Province roles are reached by province-level events only: pass province=True "
                       "(they see every ward, so no ward narrows them).")
WARD_ROLES_NEED_WARD = "Ward roles need the event's ward (or khóm): pass ward= or khom=."


def _pk(value):
    return getattr(value, "pk", value)


def recipients(*, roles, ward=None, khom=None, province=False):
    """The active users whose role is in *roles* and whose scope the event concerns, as a queryset.

    - leadership and police: attached to the event's ward, directly or through one of its khóm
      (the same scope as ``User.scope_ward_ids``);
    - khóm officers: only for a khóm event (*khom* given), and only those attached to that khóm;
      a ward-level event reaches no khóm officer;
    - province roles (viewer, PC04 officer, provincial leadership): only when *province* is true;
      they share the province's scope, so every one of the role is reached.

    *ward* and *khom* are instances or primary keys; the ward of a khóm event is the khóm's. Users of
    another ward are never reached. ``recipients(roles=[Role.LEADERSHIP], ward=w)`` reaches ward w's
    leadership; ``recipients(roles=[Role.POLICE, Role.KHOM_OFFICER], khom=k)`` the police of k's ward
    and k's own officers; ``recipients(roles=[Role.PROVINCE_OFFICER], province=True)`` PC04.
    """
    User = get_user_model()
    roles = {Role(role) for role in roles}
    if Role.ADMINISTRATOR in roles:
        raise ValueError(NO_ADMINISTRATORS)
    ward_roles, province_roles = roles & WARD_ROLES, roles & PROVINCE_ROLES
    if province_roles and not province:
        raise ValueError(PROVINCE_NEEDS_FLAG)
    khom_id, ward_id = _pk(khom), _pk(ward)
    if khom is not None and ward_id is None:
        ward_id = getattr(khom, "ward_id", None)
        if ward_id is None:
            khom_model = User._meta.get_field("khoms").related_model
            ward_id = khom_model.objects.filter(pk=khom_id).values_list("ward_id", flat=True).first()
    if ward_roles and ward_id is None and khom is None:
        raise ValueError(WARD_ROLES_NEED_WARD)

    wanted = Q(pk__in=[])
    staff = ward_roles - {Role.KHOM_OFFICER}
    if staff and ward_id is not None:
        attached = (Q(pk__in=User.wards.through.objects.filter(ward_id=ward_id).values("user_id"))
                    | Q(pk__in=User.khoms.through.objects.filter(khom__ward_id=ward_id).values("user_id")))
        wanted |= Q(role__in=staff) & attached
    if Role.KHOM_OFFICER in ward_roles and khom_id is not None:
        wanted |= Q(role=Role.KHOM_OFFICER, pk__in=User.khoms.through.objects.filter(khom_id=khom_id).values("user_id"))
    if province_roles:
        wanted |= Q(role__in=province_roles)
    return User.objects.filter(wanted, is_active=True).order_by("pk")


def inbox(user):
    """The user's notifications, newest first (one query per page)."""
    return Notification.objects.for_user(user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """How many of the user's notifications are unread: one indexed query."""
    return Notification.objects.for_user(user).unread().count()


def digest_notifications(user, *, since=None):
    """The unread notifications of *user* created after *since* (all unread when None), oldest first.

    Overdue tasks are left out: the digest counts them itself, from the deadlines of the day.
    """
    rows = Notification.objects.for_user(user).unread().exclude(kind=NotificationKind.TASK_OVERDUE)
    if since is not None:
        rows = rows.filter(created_at__gt=since)
    return rows.order_by("created_at", "pk")
