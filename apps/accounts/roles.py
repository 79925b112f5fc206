"""What each role may do, as Django permissions granted to one group per role.

Each app declares its part in its AppConfig as ``role_permissions``:
``{Role.POLICE: ["subjects.view_person", ...], ...}``. After every migrate
the groups are brought in line with those declarations, so a new app's
permissions reach the roles without a hand-written data migration.
"""
from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured

from .choices import Role


def declared_permissions():
    """{role: set of "app_label.codename"} gathered from every installed app."""
    result = {role: set() for role in Role.values}
    sources = [getattr(config, "role_permissions", {}) for config in global_apps.get_app_configs()]
    for source in sources:
        for role, perms in source.items():
            if str(role) not in result:
                raise ImproperlyConfigured(f"role_permissions names an unknown role {role!r}")
            result[str(role)].update(perms)
    return result


def sync_role_permissions(sender=None, **kwargs):
    """Create one group per role and give it exactly the declared permissions (administrators: all)."""
    from django.contrib.auth.models import Group, Permission

    # post_migrate is sent once per app, and auth creates each app's permissions on
    # that app's signal: only the last app's signal sees them all, so sync once, then.
    if sender is not None and sender is not _last_app_with_models():
        return
    declared = declared_permissions()
    by_label = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        if role == Role.ADMINISTRATOR:
            group.permissions.set(by_label.values())
        else:
            group.permissions.set([by_label[label] for label in declared[role] if label in by_label])


def _last_app_with_models():
    return [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]
