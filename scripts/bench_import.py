#!/usr/bin/env python
"""Benchmark: import N people (default 10,000) with our import and with django-import-export's defaults.

Both read the same generated .xlsx, each run in its own forked process (so peak
memory is its own) inside a transaction that is rolled back (so both start
from the same database). Uses a separate database, myhoi_bench by default
(BENCH_DATABASE_URL), created and migrated if needed.

    make bench-import            # or: .venv/bin/python scripts/bench_import.py --rows 10000
"""
import argparse
import datetime as dt
import io
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myhoi.settings")
os.environ.setdefault("DEBUG", "1")
_base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/myhoi")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", _base.rsplit("/", 1)[0] + "/myhoi_bench")

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã khóm", "Địa chỉ", "Số điện thoại", "Nghề nghiệp",
           "Ghi chú"]
KHOMS = 19


def build_file(rows: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Du lieu")
    sheet.append(HEADERS)
    for i in range(rows):
        born = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        female = i % 3 == 0
        cccd = f"089{1 if female else 0}{born.year % 100:02d}{i:06d}" if i % 2 == 0 else None
        sheet.append([f"Nguyễn Thị Bench {i}" if female else f"Trần Văn Bench {i}", "Nữ" if female else "Nam",
                      born, cccd, f"BK{1 + i % KHOMS:02d}", f"{i} đường Bench", f"09{i:08d}", "Làm thuê", f"Ghi chú {i}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def prepare():
    from django.core.management import call_command

    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)
    from apps.accounts.choices import Role
    from apps.accounts.models import User
    from apps.khom.models import Khom, Ward

    ward, _ = Ward.objects.get_or_create(code="BENCH", defaults={"name": "Phường Bench", "population": 40000})
    for n in range(1, KHOMS + 1):
        Khom.objects.get_or_create(ward=ward, code=f"BK{n:02d}", defaults={"name": f"Khóm Bench {n}"})
    user = User.objects.filter(username="bench_admin").first()
    if user is None:
        user = User(username="bench_admin", role=Role.ADMINISTRATOR, is_superuser=True)
        user.set_unusable_password()
        user.save()
    return user.pk


def default_resource_class():
    """django-import-export as it comes: a ModelResource with default options (no bulk, diffs on, row by row)."""
    from import_export import resources
    from import_export.fields import Field
    from import_export.widgets import ForeignKeyWidget

    from apps.imports.widgets import ChoiceLabelWidget
    from apps.khom.models import Khom
    from apps.subjects.choices import Gender
    from apps.subjects.columns import GENDER_LABELS
    from apps.subjects.models import Person

    class DefaultPersonResource(resources.ModelResource):
        full_name = Field(attribute="full_name", column_name="Họ và tên")
        # The one non-default widget: the file writes gender as Vietnamese labels.
        gender = Field(attribute="gender", column_name="Giới tính", widget=ChoiceLabelWidget(Gender, GENDER_LABELS))
        date_of_birth = Field(attribute="date_of_birth", column_name="Ngày sinh")
        cccd = Field(attribute="cccd", column_name="Số CCCD")
        khom = Field(attribute="khom", column_name="Mã khóm", widget=ForeignKeyWidget(Khom, "code"))
        address = Field(attribute="address", column_name="Địa chỉ")
        phone = Field(attribute="phone", column_name="Số điện thoại")
        occupation = Field(attribute="occupation", column_name="Nghề nghiệp")
        notes = Field(attribute="notes", column_name="Ghi chú")

        class Meta:
            model = Person
            fields = ["id", "full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation",
                      "notes"]

    return DefaultPersonResource


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_ours(data, user_pk):
    from apps.accounts.models import User
    from apps.imports.engine import run_import

    outcome = run_import(kind="persons", data=data, file_name="bench.xlsx", user=User.objects.get(pk=user_pk),
                         dry_run=False)
    return outcome.created, len(outcome.errors)


def run_default(data, user_pk):
    import tablib

    dataset = tablib.Dataset().load(data, format="xlsx")
    result = default_resource_class()().import_data(dataset, dry_run=False)
    return result.totals.get("new", 0), len(result.invalid_rows) + len(result.row_errors()) + len(result.base_errors)


def child(name, data, user_pk, queue):
    import django
    from django.db import transaction

    django.setup()
    runner = {"ours": run_ours, "default": run_default}[name]
    start_rss = _rss_kb()
    started = time.perf_counter()
    with transaction.atomic():
        created, errors = runner(data, user_pk)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)  # leave the bench database as it was for the next run
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"name": name, "seconds": elapsed, "peak_mb": (peak_kb - start_rss) / 1024, "created": created,
               "errors": errors})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connections

    user_pk = prepare()
    data = build_file(args.rows)
    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    results = {}
    print(f"Importing {args.rows:,} people ({len(data) / 1024:.0f} KiB .xlsx) into {os.environ['DATABASE_URL']}")
    for name in ("ours", "default"):
        queue = context.Queue()
        process = context.Process(target=child, args=(name, data, user_pk, queue))
        process.start()
        results[name] = queue.get()
        process.join()
        r = results[name]
        print(f"  {name:8} {r['seconds']:8.2f} s  {args.rows / r['seconds']:8.0f} rows/s  "
              f"peak +{r['peak_mb']:7.1f} MB  created {r['created']:,}  errors {r['errors']}")
    ours, default = results["ours"], results["default"]
    print(f"Ratio (default / ours): time ×{default['seconds'] / ours['seconds']:.1f}, "
          f"peak memory ×{default['peak_mb'] / max(ours['peak_mb'], 0.1):.1f}")
    # Rows matching people already in the bench database are updates, not creations: only errors fail the run.
    return 0 if ours["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
