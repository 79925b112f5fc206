"""Load the fictional demo data of every app, idempotently."""
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from ...audit import audit_context
from ...transactions import consistent_snapshot


class Command(BaseCommand):
    help = "Load demo data: ward Mỹ Thới with 19 khóm, users, people, cases, activities (idempotent)."

    def handle(self, *args, **options):
        context = {"stdout": self.stdout}
        # Each app that has demo data provides apps/<app>/demo.py with seed(context);
        # INSTALLED_APPS order puts lower layers first, so later apps find what they need.
        # One transaction; REPEATABLE READ so that the reports and assessments it freezes may join it.
        # The demo's services write events as the demo users; the source says where they came from.
        with audit_context(source="command:seed_demo"), consistent_snapshot():
            # Core's own reference rows, which every page cutting periods reads (the dashboard's selector).
            ensure_reference_data("apps.core.migrations.0007_seed_period_conventions")
            for config in apps.get_app_configs():
                if not config.name.startswith("apps."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))


def ensure_reference_data(migration_module: str) -> None:
    """Run a data migration's idempotent ``seed(apps, schema_editor)`` against the live models.

    Reference rows (episode kinds, criteria sets) come from data migrations so
    they exist in production; a database flushed by tests has lost them, and the
    demo must still load there.
    """
    from django.apps import apps as live_apps

    import_module(migration_module).seed(live_apps, None)


def demo_ward_and_users(context, *usernames):
    """The demo ward and the demo users named (in that order) that an app's ``seed`` acts as, or None when the
    ward or one of them is missing (an earlier app's demo data was not loaded)."""
    ward = context.get("ward")
    users = context.get("users", {})
    found = [users.get(name) for name in usernames]
    if ward is None or None in found:
        return None
    return ward, *found
