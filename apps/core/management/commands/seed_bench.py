"""Province-scale synthetic data for the benchmark (DESIGN §5), built with bulk inserts.

Per ward, at the proportions of DESIGN §5 (100 wards = 2,000 khóm, 50,000
people, 150,000 drug tests, 10,000 cases): 20 khóm, 500 people with their
episodes, 1,500 drug tests, 100 cases with participants and seized items,
hotspots, moves, support records, propaganda sessions, commitment signings,
reintegration models, and the ward's users (leadership, two police officers,
one officer per khóm). A province viewer and an administrator come once.

The data is each app's: ``apps/<app>/bench.py`` (see apps.core.bench), called
in INSTALLED_APPS order. Each ward is drawn from its own random generator
seeded with (seed, ward number), so ward 7 is the same whether 10 or 100 wards
are built, and a database seeded with fewer wards is topped up instead of
rebuilt. Every date falls on or before AS_OF, a fixed day, so the data does not
drift with the calendar. Bench wards carry codes BN001, BN002, … and never touch other data.
"""
import time
from collections import defaultdict
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ...audit import AuditAction, audit, audit_context
from ...bench import PEOPLE_PER_WARD, BenchWard


def bench_modules():
    """(app config, module) of every app with a bench.py, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            found.append((config, import_module(f"{config.name}.bench")))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.bench":
                raise
    return found


class Command(BaseCommand):
    help = "Province-scale synthetic data: --wards N wards of 20 khóm, 500 people, 1,500 tests, 100 cases each."

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=int, required=True, help="number of bench wards wanted (100 = province)")
        parser.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same data)")
        parser.add_argument("--people-per-ward", type=int, default=PEOPLE_PER_WARD,
                            help="people per ward (default 500, DESIGN §5); the benchmark's growth baseline uses 10")

    def handle(self, *args, wards, seed, people_per_ward, **options):
        if not 1 <= wards <= 999:
            raise CommandError("--wards must be between 1 and 999.")
        if not 1 <= people_per_ward <= 999:
            raise CommandError("--people-per-ward must be between 1 and 999 (the CCCD numbering holds 3 digits).")
        started = time.monotonic()
        modules = bench_modules()
        run = {"seed": seed, "people_per_ward": people_per_ward, "skip": set(), "totals": defaultdict(int)}
        totals = run["totals"]
        with transaction.atomic():
            for _config, module in modules:
                if hasattr(module, "prepare"):
                    module.prepare(run)
        for number in range(1, wards + 1):
            if number in run["skip"]:
                continue
            # One transaction per ward: an interrupted run keeps whole wards and resumes after them.
            with transaction.atomic():
                # Synthetic data that can be rebuilt: no need to wait for the WAL flush at each commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                bench = BenchWard(run=run, number=number)
                for _config, module in modules:
                    if hasattr(module, "build_ward"):
                        module.build_ward(bench)
            for key, value in bench.counts.items():
                totals[key] += value
            if number % 10 == 0 or number == wards:
                self.stdout.write(f"  {number}/{wards} wards ({time.monotonic() - started:.0f} s)")
        # Fresh statistics, or the planner guesses a handful of rows in tables of 150,000 (and
        # chooses nested loops) until autovacuum comes by — if it is on at all.
        with connection.cursor() as cursor:
            for config, _module in modules:
                for model in config.get_models():
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elapsed = time.monotonic() - started
        with audit_context(source="command:seed_bench"):
            audit(AuditAction.IMPORT, object_type="seed_bench", object_repr=f"seed_bench --wards {wards} --seed {seed}",
                  extra={"wards": wards, "seed": seed, "created": dict(totals), "seconds": round(elapsed, 1)})
        summary = ", ".join(f"{key} {value}" for key, value in sorted(totals.items())) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Bench data for {wards} wards ready in {elapsed:.1f} s: {summary}."))
