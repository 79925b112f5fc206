"""manage.py seed_province: An Giang's 102 commune-level units with their official codes, names and kinds."""
from django.core.management.base import BaseCommand, CommandError

from apps.khom.units import UNITS_CSV, InvalidUnitList, seed_province


class Command(BaseCommand):
    help = ("Load An Giang's 102 commune-level units (Nghị quyết 1654/NQ-UBTVQH15: 85 xã, 14 phường, 3 đặc khu) "
            "by official code. Idempotent; never touches khóm, populations or any other data.")

    def handle(self, *args, **options):
        try:
            counts = seed_province()
        except InvalidUnitList as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{UNITS_CSV.name}: {len(exc.errors)} bad lines. Nothing was written.")
        total = sum(counts.values())
        self.stdout.write(f"Province units: {total} ({counts['created']} new, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged).")
