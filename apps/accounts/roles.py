"""What each role may do, as Django permissions granted to one group per role.

Each app declares its part in its AppConfig as ``role_permissions``:
``{Role.POLICE: ["subjects.view_person", ...], ...}``. After every migrate
the groups are brought in line with those declarations, so a new app's
permissions reach the roles without a hand-written data migration.
"""
from django.apps import apps as global_apps

from .choices import Role

ACCOUNTS_ROLE_PERMISSIONS = {
    Role.LEADERSHIP: ["core.view_auditevent", "khom.view_ward", "khom.view_khom"],
    Role.POLICE: ["khom.view_ward", "khom.view_khom"],
    Role.KHOM_OFFICER: ["khom.view_ward", "khom.view_khom"],
    Role.PROVINCE: ["khom.view_ward", "khom.view_khom"],
}


def declared_permissions():
    """{role: set of "app_label.codename"} gathered from every installed app."""
    result = {role: set() for role in Role.values}
    sources = [ACCOUNTS_ROLE_PERMISSIONS] + [
        getattr(config, "role_permissions", {}) for config in global_apps.get_app_configs()
    ]
    for source in sources:
        for role, perms in source.items():
            result[str(role)].update(perms)
    return result


def sync_role_permissions(sender=None, **kwargs):
    """Create one group per role and give it exactly the declared permissions (administrators: all)."""
    from django.contrib.auth.models import Group, Permission

    # post_migrate is sent once per app and permissions are created app by app,
    # so this runs every time; it is idempotent and cheap.
    declared = declared_permissions()
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        if role == Role.ADMINISTRATOR:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = []
        for label in declared[role]:
            app_label, codename = label.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
