"""Seed the province's targets of QĐ 1209/QĐ-UBND (24/9/2025): 20 % of its units drug-free in 2025, every unit by 2030.

Only the two figures the decision states; an administrator adds the years between
in the admin. Never overwrites a year that already exists.
"""
from decimal import Decimal

from django.db import migrations

LEGAL_BASIS = "Quyết định 1209/QĐ-UBND ngày 24/9/2025 của UBND tỉnh An Giang"
TARGETS = [(2025, Decimal("20")), (2030, Decimal("100"))]


def seed(apps, schema_editor):
    ProvinceTarget = apps.get_model("criteria", "ProvinceTarget")
    for year, percent in TARGETS:
        ProvinceTarget.objects.get_or_create(year=year, defaults={"percent": percent, "legal_basis": LEGAL_BASIS})


class Migration(migrations.Migration):
    dependencies = [("criteria", "0004_ward_self_assessment_targets")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
