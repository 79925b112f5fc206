from django.db import migrations

# The demo used to create Mỹ Thới under a made-up code; its official code is 30301.
LEGACY_DEMO_CODE = "AG-MT"
OFFICIAL_CODE = "30301"


def rename_demo_ward(apps, schema_editor):
    """Give an existing demo Mỹ Thới its official code in place, so seed_province finds it, not a second one."""
    Ward = apps.get_model("khom", "Ward")
    if Ward.objects.filter(code=OFFICIAL_CODE).exists():
        return
    Ward.objects.filter(code=LEGACY_DEMO_CODE).update(code=OFFICIAL_CODE, kind="phuong", province_code="91")


class Migration(migrations.Migration):
    """Mỹ Thới's ward code becomes the official 30301 (Nghị quyết 1654/NQ-UBTVQH15)."""

    dependencies = [("khom", "0002_ward_kind_province_code_illustrative")]

    # Backwards: nothing to undo safely (30301 is the real code of a real unit).
    operations = [migrations.RunPython(rename_demo_ward, migrations.RunPython.noop)]
