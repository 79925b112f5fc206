#!/usr/bin/env python
"""Measure what hostile workbooks cost the import: peak memory growth, time, and the answer given.

Each file of tests/factories/hostile_xlsx.py is built in this process, then imported by the
engine behind every import path (apps.imports.engine.run_import, the check included) in a forked
child, inside a transaction that is rolled back. The child's peak RSS is reset through
/proc/self/clear_refs before the import and read from VmHWM after it (Linux only).

    DATABASE_URL=... .venv/bin/python scripts/hostile_imports.py [NAME ...]
"""
import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myhoi.settings")
os.environ.setdefault("DEBUG", "1")

CASES = [
    "sheet_bomb", "theme_bomb", "styles_bloat", "ratio_bomb", "many_members", "many_members_under_a_small_count",
    "lying_size", "overlapping", "duplicate_names", "bzip2_member", "nested_zip_bomb", "not_a_zip", "plain_zip", "truncated",
    "billion_laughs", "external_entity", "wide_row", "endless_rows", "merged_cells_bloat", "shared_string_amplifier",
    "shared_strings_flood", "styles_at_the_limit", "deep_nesting", "empty",
]


def status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def measure(run):
    """(result, peak growth in MB, CPU seconds, wall seconds) of run(); peak growth is VmHWM after minus VmRSS before."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset VmHWM to the current RSS
    before = status_kb("VmRSS")
    cpu, wall = time.process_time(), time.monotonic()
    result = run()
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    return result, (status_kb("VmHWM") - before) / 1024, cpu, wall


def child(name, data, queue):
    import django

    django.setup()
    from django.db import transaction

    from apps.accounts.models import User
    from apps.imports.engine import run_import

    with transaction.atomic():
        user = User.objects.filter(is_superuser=True).first() or User.objects.create(username="hostile_probe",
                                                                                     is_superuser=True)
        outcome, growth, cpu, wall = measure(lambda: run_import(kind="persons", data=data, file_name=f"{name}.xlsx",
                                                                user=user, dry_run=False))
        transaction.set_rollback(True)
    answer = outcome.errors[0].as_text() if outcome.errors else f"accepted: {outcome.created} row(s) written"
    queue.put((growth, cpu, wall, answer))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=CASES)
    args = parser.parse_args()
    from tests.factories import hostile_xlsx

    context = multiprocessing.get_context("fork")
    print(f"{'file':34} {'size':>9} {'growth':>9} {'CPU':>8} {'wall':>8}  answer")
    for name in args.names:
        data = b"" if name == "empty" else getattr(hostile_xlsx, name)()
        queue = context.Queue()
        process = context.Process(target=child, args=(name, data, queue))
        process.start()
        growth, cpu, wall, answer = queue.get()
        process.join()
        print(f"{name:34} {len(data) / 1e6:7.2f}MB {growth:7.1f}MB {cpu:7.3f}s {wall:7.3f}s  {answer}", flush=True)


if __name__ == "__main__":
    main()
