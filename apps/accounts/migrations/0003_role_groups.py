from django.db import migrations

ROLES = ["administrator", "leadership", "police", "khom_officer", "province"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    """One group per role; their permissions are kept in line after each migrate (apps.accounts.roles)."""

    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
