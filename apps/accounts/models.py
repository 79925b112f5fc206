"""Users, their role and their scope (wards and khóm)."""
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .choices import PROVINCE_ROLES, Role


class UserQuerySet(models.QuerySet):
    def for_user(self, user):
        """Administrators see every account; others the accounts that share one of their wards."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        ward_ids = user.scope_ward_ids
        in_wards = User.wards.through.objects.filter(ward_id__in=ward_ids).values("user_id")
        in_khoms = User.khoms.through.objects.filter(khom__ward_id__in=ward_ids).values("user_id")
        return self.filter(models.Q(pk__in=in_wards) | models.Q(pk__in=in_khoms))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. The role says what they may do; wards and khóm say where."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.KHOM_OFFICER)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    wards = models.ManyToManyField("khom.Ward", verbose_name=_("phường phụ trách"), blank=True, related_name="users")
    khoms = models.ManyToManyField("khom.Khom", verbose_name=_("khóm phụ trách"), blank=True, related_name="users")

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def save(self, *args, **kwargs):
        # Administrators always run the admin site; an administrator may also open it
        # to other staff, who then see there only what their role and scope allow.
        if self.role == Role.ADMINISTRATOR or self.is_superuser:
            self.is_staff = True
        super().save(*args, **kwargs)
        self.sync_role_group()

    def sync_role_group(self):
        """Make the user a member of exactly the group named after their role."""
        group, _created = Group.objects.get_or_create(name=self.role)
        role_groups = Group.objects.filter(name__in=Role.values)
        self.groups.remove(*[g for g in role_groups if g.pk != group.pk])
        self.groups.add(group)

    # Role shortcuts (templates and scoping methods read these).
    @property
    def is_administrator(self):
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_leadership(self):
        return self.role == Role.LEADERSHIP

    @property
    def is_police(self):
        return self.role == Role.POLICE

    @property
    def is_khom_officer(self):
        return self.role == Role.KHOM_OFFICER

    @property
    def is_province(self):
        """Any province-level role (viewer, PC04 officer, provincial leadership).

        Every scoping method reads this one flag: the three roles reach the same
        data (every ward, aggregates only, no personal record); their permissions
        decide which pages and actions each may use.
        """
        return self.role in PROVINCE_ROLES

    @property
    def is_province_viewer(self):
        return self.role == Role.PROVINCE

    @property
    def is_province_officer(self):
        return self.role == Role.PROVINCE_OFFICER

    @property
    def is_province_leadership(self):
        return self.role == Role.PROVINCE_LEADERSHIP

    @property
    def sees_personal_records(self):
        return not self.is_province

    # Scope: computed once per request (the user object lives for one request).
    @cached_property
    def scope_ward_ids(self) -> frozenset:
        """Wards the user works in: attached directly or through an attached khóm."""
        from apps.khom.models import Khom

        direct = set(self.wards.values_list("pk", flat=True))
        through_khom = set(Khom.objects.filter(users=self).values_list("ward_id", flat=True))
        return frozenset(direct | through_khom)

    @cached_property
    def scope_khom_ids(self) -> frozenset:
        """Khóm attached to the user directly (khóm officers)."""
        return frozenset(self.khoms.values_list("pk", flat=True))

    @property
    def primary_ward_id(self):
        ids = self.scope_ward_ids
        return min(ids) if len(ids) >= 1 else None

