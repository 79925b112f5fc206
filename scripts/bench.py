#!/usr/bin/env python3
"""Province-scale benchmark: server time, SQL, memory, and ratios against baselines measured in the same run.

    make bench                                  # build or reuse the bench databases, measure, write docs/benchmarks.md
    .venv/bin/python scripts/bench.py --runs 10 --only list_police,detail

Two databases are used, both built by ``manage.py seed_bench`` (deterministic):

* the province (``BENCH_DATABASE_URL``, default ``myhoi_bench``): ``--wards`` wards
  (100 = DESIGN §5: 2,000 khóm, 50,000 people, 150,000 tests, 10,000 cases);
* the growth baseline (``BENCH_SMALL_DATABASE_URL``, default ``myhoi_bench_small``):
  one ward with 10 people. Every page and computation is measured on both, so the
  ratio column says how much the same page slows down from 10 people to the province.

Exports are compared with django-import-export's default ``ModelResource`` export of
the same rows, and the import of 10,000 people with its default import of the same
rows, both measured in the same process and run.

Each scenario is measured in-process with Django's test client (``force_login``):
median and p95 wall time over repeated runs after a warm-up, SQL queries
(``CaptureQueriesContext``), the share of wall time spent inside ``cursor.execute``
(``connection.execute_wrapper``), the process's own CPU time, and for exports and
imports the growth of the process's peak resident memory during the run. Imports
are rolled back after each run.
Nothing here asserts a wall-clock time: the targets are checked and reported.
"""
import argparse
import datetime as dt
import gc
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/myhoi_bench"
OUTPUT = ROOT / "docs" / "benchmarks.md"
RESULTS_DIR = ROOT / "var" / "bench"
NOTES_MARKER = "<!-- Everything below this line is written by hand and kept by scripts/bench.py. -->"

WARD = "BN001"                # the ward whose police, leadership and people are measured
REPORT_QUARTER = (2026, 3)      # Quý III/2026, cut as the drug reports' convention says (15/06–14/09/2026)
IMPORT_ROWS = 10_000

# name: (label, group, runs multiplier). group decides the baseline: "page" → the same
# scenario on the 10-person database; "export"/"import" → django-import-export.
SCENARIOS = {
    "list_police": ("People list, search + filters, page of 50 — police of one ward", "page"),
    "list_admin": ("People list, search + filters, page of 50 — administrator, province", "page"),
    "detail": ("Person detail (police)", "page"),
    "dashboard_ward": ("Ward dashboard (leadership)", "page"),
    "dashboard_province": ("Province dashboard (province viewer)", "page"),
    "report_ward": ("Report figures, one ward-quarter (live)", "page"),
    "report_province": ("Report figures, whole province, one quarter (live)", "page"),
    "report_workbook": ("Report workbook /reports/<pk>/export.xlsx (draft, live)", "page"),
    "report_workbook_frozen": ("Report workbook of a submitted report (frozen snapshot)", "page"),
    "export_people": ("People export /subjects/export.xlsx, every row (administrator)", "export"),
    "import_people": (f"Import of {IMPORT_ROWS:,} people (import_xlsx engine)", "import"),
}
BASELINES = {
    "export_people": ("export_people_baseline", "django-import-export default export of the same rows"),
    "import_people": ("import_people_baseline", "django-import-export default import of the same rows"),
}
# Targets of issue 9 (milliseconds; memory in MB; speed and memory ratios against the baseline).
TARGETS = {
    "list_police": {"median": 80, "p95": 150},
    "list_admin": {"median": 80, "p95": 150},
    "detail": {"p95": 100},
    "dashboard_ward": {"p95": 250},
    "dashboard_province": {"p95": 1000},
    "report_ward": {"median": 300},
    "report_province": {"median": 5000},
    "export_people": {"median": 15000, "memory_mb": 100, "speedup": 5, "memory_share": 0.2},
    "import_people": {"speedup": 3},
}
LIST_QUERY = "q=nguyen&gender=male&sort=due"


# ----------------------------------------------------------------------------- orchestration
def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(database_url, wards, people_per_ward=None):
    """Create, migrate and seed the database unless it already holds that data (seed_bench only tops up)."""
    manage(database_url, "ensure_database")
    manage(database_url, "migrate", "--noinput", "--verbosity", "0")
    extra = ["--people-per-ward", str(people_per_ward)] if people_per_ward else []
    manage(database_url, "seed_bench", "--wards", str(wards), *extra)


def results_path(scale):
    return RESULTS_DIR / f"{scale}.json"


def run_worker(database_url, args, scale):
    """Measure in a fresh process bound to *database_url*; return its JSON results (also kept in var/bench/)."""
    out = results_path(scale)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [PYTHON, str(Path(__file__).resolve()), "--worker", "--scale", scale, "--json-out", str(out),
               "--runs", str(args.runs), "--heavy-runs", str(args.heavy_runs)]
    if args.only:
        command += ["--only", args.only]
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "myhoi.settings"}
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wards", type=int, default=int(os.environ.get("BENCH_WARDS", 100)))
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each page (after 3 warm-up runs)")
    parser.add_argument("--heavy-runs", type=int, default=2, help="timed runs of each export and import")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--skip-seed", action="store_true", help="use the databases as they are")
    parser.add_argument("--render-only", action="store_true", help="rewrite the document from var/bench/*.json")
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", default="province", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    # Same server as DATABASE_URL, own databases (the same myhoi_bench that make bench-import uses).
    server = os.environ.get("DATABASE_URL", DEFAULT_DB).rsplit("/", 1)[0]
    big = os.environ.get("BENCH_DATABASE_URL", f"{server}/myhoi_bench")
    small = os.environ.get("BENCH_SMALL_DATABASE_URL", f"{server}/myhoi_bench_small")
    if args.render_only:
        # Re-render from the results of the last run (e.g. after a run was cut short).
        province, baseline = (json.loads(results_path(scale).read_text()) for scale in ("province", "small"))
        text = render(province, baseline, args, None)
        print(text)
        write_document(Path(args.output), text)
        return 0
    if not args.skip_seed:
        started = time.monotonic()
        prepare(big, args.wards)
        seed_seconds = time.monotonic() - started
        prepare(small, 1, people_per_ward=10)
    else:
        seed_seconds = None
    province = run_worker(big, args, "province")
    baseline = run_worker(small, args, "small")
    text = render(province, baseline, args, seed_seconds)
    print(text)
    write_document(Path(args.output), text)
    return 0


# ----------------------------------------------------------------------------- measuring
class SqlClock:
    """connection.execute_wrapper: seconds spent inside cursor.execute."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with at least *share* of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss():
    """Reset the kernel's high-water mark of this process's resident memory (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def measure(func, *, runs, warmup, memory=False, budget=40.0):
    """Time *func* *runs* times after *warmup* runs; with *memory*, the peak resident memory growth of each run.

    Memory is the process's peak RSS (VmHWM, reset before each run) above its RSS at the start of the
    run: everything the run allocated — Python objects, libpq buffers, openpyxl/lxml — at no cost to
    the timing, unlike tracemalloc, which sees Python objects only and slows them several times.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    for _ in range(warmup):
        func()
    warm = (time.perf_counter() - started) / max(1, warmup)
    # A page that takes seconds gets fewer runs (never under 5): the whole bench stays within minutes.
    runs = max(min(runs, 5), min(runs, int(budget / warm) if warm else runs))
    walls, cpus, sql_shares, queries, peaks = [], [], [], [], []
    for _ in range(runs):
        clock = SqlClock()
        gc.collect()
        rss_before = None
        if memory and reset_peak_rss():
            rss_before = _status_kb("VmRSS")
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(clock):
            started, cpu = time.perf_counter(), time.process_time()
            func()
            wall = time.perf_counter() - started
        cpus.append(time.process_time() - cpu)
        walls.append(wall)
        if memory and rss_before is not None:
            peaks.append((_status_kb("VmHWM") - rss_before) / 1024)
        sql_shares.append(clock.seconds / wall if wall else 0)
        queries.append(len(captured.captured_queries))
    result = {
        "runs": runs,
        "median_ms": statistics.median(walls) * 1000,
        "p95_ms": percentile(walls, 0.95) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
        "queries": max(queries),
        "queries_min": min(queries),
        "sql_share": statistics.median(sql_shares),
    }
    if peaks:
        result["memory_mb"] = max(peaks)
    return result


def drain(response):
    """Read a (streaming) response to the end without keeping it; return its size in bytes.

    The test client closes the response itself, as a WSGI server would (a streaming one once read to
    the end): closing it again here would fire request_finished a second time.
    """
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


class Rollback(Exception):
    pass


def rolled_back(func):
    """Run *func* in a transaction that is always rolled back, so repeated imports find the same database."""
    from django.db import transaction

    def run():
        try:
            with transaction.atomic():
                func()
                raise Rollback
        except Rollback:
            pass

    return run


# ----------------------------------------------------------------------------- worker
class Bench:
    """The fixtures every scenario needs, read from the seeded database."""

    def __init__(self, scale):
        from django.conf import settings
        from django.test import Client

        from apps.accounts.models import User
        from apps.khom.models import Ward
        from apps.subjects.models import Person

        # The client sends Host: testserver; DEBUG off so templates and views run as in production.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.DEBUG = False
        self.scale = scale
        self.ward = Ward.objects.get(code=WARD)
        self.users = {
            "police": User.objects.get(username=f"{WARD.lower()}_congan1"),
            "leadership": User.objects.get(username=f"{WARD.lower()}_lanhdao"),
            "province": User.objects.get(username="bench_tinh"),
            "admin": User.objects.get(username="bench_admin"),
        }
        self.clients = {}
        for role, user in self.users.items():
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            self.clients[role] = client
        # The person of the ward with the longest history: the heaviest detail page.
        from django.db.models import Count

        self.person = (Person.objects.filter(khom__ward=self.ward).annotate(n=Count("tests"))
                       .order_by("-n", "pk").first())

    def get(self, role, url, expect=200):
        def run():
            response = self.clients[role].get(url)
            if response.status_code != expect:
                raise RuntimeError(f"GET {url} as {role}: {response.status_code}")
            drain(response)
        return run


def page_scenarios(bench):
    """{name: callable} for the pages and computations (measured on both databases)."""
    from django.urls import reverse

    scenarios = {}

    def url(name, *args):
        # A renamed page raises NoReverseMatch here: the bench stops instead of leaving the page out.
        return reverse(name, args=args)

    people = url("subjects:list")
    scenarios["list_police"] = bench.get("police", f"{people}?{LIST_QUERY}")
    scenarios["list_admin"] = bench.get("admin", f"{people}?{LIST_QUERY}")
    scenarios["detail"] = bench.get("police", url("subjects:detail", bench.person.pk))
    scenarios["dashboard_ward"] = bench.get("leadership", url("dashboard"))
    scenarios["dashboard_province"] = bench.get("province", url("dashboard"))
    scenarios.update(report_scenarios(bench, url))
    return scenarios


def report_scenarios(bench, url):
    from apps.core.periods import Period
    from apps.reports.services import report_start_day
    from apps.indicators import registry
    from apps.khom.models import Ward
    from apps.reports.figures import ACTIVITY_CODES, CASE_CODES, KHOM_CODES, SUMMARY_CODES, build_snapshot

    scenarios = {}
    period = Period.quarter(*REPORT_QUARTER, start_day=report_start_day())
    scenarios["report_ward"] = lambda: build_snapshot(ward=bench.ward, period=period)

    def province():
        # What build_snapshot computes for one ward, for every ward at once (grouped queries).
        wards = list(Ward.objects.all())
        ward_codes = list(dict.fromkeys(SUMMARY_CODES + CASE_CODES + ACTIVITY_CODES))
        registry.evaluate_batch([
            *[(ward_codes, wards, each) for each in (period, period.previous)],
            (KHOM_CODES, registry.KhomsOf(wards), period),
        ])

    scenarios["report_province"] = province
    draft, frozen = bench_reports(bench, period)
    scenarios["report_workbook"] = bench.get("leadership", url("reports:export", draft.pk))
    if frozen is not None:
        scenarios["report_workbook_frozen"] = bench.get("leadership", url("reports:export", frozen.pk))
    return scenarios


def bench_reports(bench, period):
    """A draft report of the bench ward for the measured quarter, and a submitted one for the quarter before."""
    from apps.reports import services
    from apps.reports.models import Report

    leader = bench.users["leadership"]
    reports = []
    for each, submit in ((period, False), (period.previous, True)):
        report = Report.objects.filter(ward=bench.ward, period_kind=each.kind, period_start=each.start).first()
        if report is None:
            # The due dates follow the period (or the province's round): the ward does not set them.
            report = services.report_create(user=leader, data={
                "ward": bench.ward, "period_kind": each.kind, "period_start": each.start})
        if submit and report.is_draft:
            try:
                report = services.report_submit(user=leader, report=report)
            except Exception as error:  # a rule of the reports app (deadline, role) — measure without it
                print(f"frozen report not available: {error}", file=sys.stderr)
                report = None
        reports.append(report)
    return reports


def export_scenarios(bench):
    """The people export and django-import-export's default export of the same queryset."""
    from django.urls import reverse
    from import_export.resources import modelresource_factory

    from apps.subjects.models import Person

    admin = bench.users["admin"]
    scenarios = {"export_people": bench.get("admin", reverse("subjects:export"))}

    def default_export():
        resource = modelresource_factory(Person)()
        dataset = resource.export(queryset=Person.objects.for_user(admin).with_related())
        len(dataset.export("xlsx"))

    scenarios["export_people_baseline"] = default_export
    return scenarios


def import_scenarios(bench):
    """The import engine and django-import-export's default import of the same file.

    The measurement code of ``make bench-import`` (scripts/bench_import.py: its file, its
    default resource, its two runners) is reused as it is; this harness only times it the
    same way as everything else and rolls every run back.
    """
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_import

    user_pk = bench_import.prepare()
    data = bench_import.build_file(IMPORT_ROWS)

    def checked(runner):
        # The file's CCCDs are generated by bench_import and a few (≈ 0.2 %) match people
        # seed_bench made: ours reports them as existing people, the default as row errors.
        # Either way every row was read, checked and written or refused, so both are timed.
        def run():
            created, errors = runner(data, user_pk)
            if created < IMPORT_ROWS * 0.99:
                raise RuntimeError(f"{runner.__name__}: created {created}, errors {errors}")
        return rolled_back(run)

    return {"import_people": checked(bench_import.run_ours), "import_people_baseline": checked(bench_import.run_default)}


def data_sizes():
    from apps.cases.models import Case
    from apps.khom.models import Khom, Ward
    from apps.subjects.models import DrugTest, Episode, Person

    return {"wards": Ward.objects.count(), "khom": Khom.objects.count(), "people": Person.objects.count(),
            "episodes": Episode.objects.count(), "tests": DrugTest.objects.count(), "cases": Case.objects.count()}


def worker(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myhoi.settings")
    sys.path.insert(0, str(ROOT))
    import logging
    import warnings

    import django

    django.setup()
    from django.db import connection

    # force_login is logged by django-axes on every client; the static root is not built for the bench.
    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")

    only = set(filter(None, args.only.split(",")))
    bench = Bench(args.scale)
    scenarios = page_scenarios(bench)
    heavy = {}
    if args.scale == "province":
        heavy.update(export_scenarios(bench))
        heavy.update(import_scenarios(bench))
    with connection.cursor() as cursor:
        # Measure a vacuumed, analysed database: this PostgreSQL may run without autovacuum, and every
        # import run rolls back 10,000 people, leaving dead rows that each later scan would read.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    payload = {"scale": args.scale, "sizes": data_sizes(), "postgres": pg_version, "django": django.get_version()}
    results = {}
    for name, func in [*scenarios.items(), *heavy.items()]:
        base_name = name.removesuffix("_baseline")
        if only and base_name not in only:
            continue
        is_heavy = name in heavy
        runs = args.heavy_runs if is_heavy else args.runs
        # The library baselines take minutes a run: one run, no warm-up (they cache nothing to warm).
        is_baseline = name.endswith("_baseline")
        if is_baseline:
            runs = 1
        print(f"[{args.scale}] {name}: {runs} runs", file=sys.stderr, flush=True)
        try:
            # Exports and imports of thousands of rows are not warmed up: the pages before them did that.
            results[name] = measure(func, runs=runs, warmup=0 if is_heavy else 3, memory=is_heavy)
        except Exception as error:  # one broken page must not hide the others' figures
            results[name] = {"error": f"{type(error).__name__}: {error}"[:300]}
        print(f"    {results[name]}", file=sys.stderr, flush=True)
        # Written after every scenario: a run cut short still leaves what it measured.
        Path(args.json_out).write_text(json.dumps({**payload, "results": results}, indent=1))
    return 0


# ----------------------------------------------------------------------------- report
def machine():
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {"cores": os.cpu_count(), "memory": memory, "cpu": cpu, "load": load,
            "python": platform.python_version(), "os": platform.platform()}


def fmt(value, unit="", digits=0):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def check(name, row, ratio):
    """'met', 'NOT met: …' or '' for scenarios without a target."""
    target = TARGETS.get(name)
    if not target or "error" in row:
        return ""
    misses = []
    if "median" in target and row["median_ms"] > target["median"]:
        misses.append(f"median > {target['median']:,} ms")
    if "p95" in target and row["p95_ms"] > target["p95"]:
        misses.append(f"p95 > {target['p95']:,} ms")
    if "memory_mb" in target and row.get("memory_mb", 0) > target["memory_mb"]:
        misses.append(f"memory > {target['memory_mb']} MB")
    if "speedup" in target and (ratio.get("speedup") or 0) < target["speedup"]:
        misses.append(f"speed-up < {target['speedup']}×")
    if "memory_share" in target and (ratio.get("memory_share") or 1) > target["memory_share"]:
        misses.append(f"memory > 1/{round(1 / target['memory_share'])} of baseline")
    return "met" if not misses else "NOT met: " + "; ".join(misses)


def render(province, baseline, args, seed_seconds):
    info = machine()
    sizes = province["sizes"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (scripts/bench.py) on {dt.datetime.now(dt.timezone.utc):%d/%m/%Y %H:%M} UTC.",
        "",
        f"- Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} RAM, load average at the end "
        f"{info['load']}; {info['os']}",
        f"- PostgreSQL {province['postgres']}, Python {info['python']}, Django {province['django']}",
        f"- Province database: {sizes['wards']:,} wards, {sizes['khom']:,} khóm, {sizes['people']:,} people, "
        f"{sizes['episodes']:,} episodes, {sizes['tests']:,} drug tests, {sizes['cases']:,} cases "
        f"(`seed_bench --wards {args.wards}`" + (f", {seed_seconds:.0f} s to top up this time)" if seed_seconds
                                                   is not None else ")"),
        f"- Growth baseline database: {baseline['sizes']['wards']} ward, {baseline['sizes']['people']} people "
        f"(`seed_bench --wards 1 --people-per-ward 10`)",
        f"- Up to {args.runs} timed runs per page after 3 warm-up runs; {args.heavy_runs} per export and import, one "
        "for each django-import-export baseline. In-process (Django test client, DEBUG off).",
        "",
        "| scenario | runs | median ms | p95 ms | app CPU ms | SQL queries | SQL share | peak memory MB | ratio vs baseline | target |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for name, (label, group) in SCENARIOS.items():
        row = province["results"].get(name)
        if row is None:
            lines.append(f"| {label} | — | — | — | — | — | — | — | not measured in this run (feature missing or run cut short) | |")
            continue
        if "error" in row:
            lines.append(f"| {label} | — | — | — | — | — | — | — | error: {row['error'].replace('|', '/')} | |")
            continue
        ratio_text, ratio = "—", {}
        if group == "page":
            small = baseline["results"].get(name, {})
            if "median_ms" in small:
                ratio["growth"] = row["median_ms"] / small["median_ms"]
                ratio_text = (f"{ratio['growth']:.1f}× the 10-person page ({small['median_ms']:.0f} ms, "
                              f"{small['queries']} queries)")
        else:
            base_name, base_label = BASELINES[name]
            base = province["results"].get(base_name, {})
            if "median_ms" in base:
                ratio["speedup"] = base["median_ms"] / row["median_ms"]
                # Peak RSS growth of a run that follows a bigger one can be ~0 (freed pages are reused):
                # no ratio is shown then rather than a meaningless one.
                ratio["memory_share"] = (row.get("memory_mb", 0) / base["memory_mb"]
                                         if (base.get("memory_mb") or 0) >= 10 else None)
                share = "—" if ratio["memory_share"] is None else f"{ratio['memory_share'] * 100:.1f} %"
                ratio_text = (f"{ratio['speedup']:.1f}× faster, {share} of the memory "
                              f"of the {base_label} ({base['median_ms'] / 1000:.1f} s, "
                              f"{fmt(base.get('memory_mb'), digits=0)} MB)")
            elif "error" in base:
                ratio_text = f"baseline error: {base['error'].replace('|', '/')}"
        queries = str(row["queries"]) if row["queries"] == row["queries_min"] else f"{row['queries_min']}–{row['queries']}"
        lines.append(f"| {label} | {row['runs']} | {fmt(row['median_ms'])} | {fmt(row['p95_ms'])} | "
                     f"{fmt(row.get('cpu_ms'))} | {queries} | "
                     f"{row['sql_share'] * 100:.0f} % | {fmt(row.get('memory_mb'), digits=1)} | {ratio_text} | "
                     f"{check(name, row, ratio)} |")
    lines += [
        "",
        "Runs: pages get up to `--runs` timed runs, fewer (never under 5) when one run takes seconds. "
        "App CPU is the benchmark process's own CPU time (Python: views, templates, workbook), which a busy "
        "machine inflates less than wall time. SQL share is the time spent inside `cursor.execute`; rows fetched "
        "later from a server-side cursor (the streaming export) are not in it. Peak memory is the growth of the "
        "process's peak resident memory during the run (VmHWM reset before it, minus VmRSS at its start).",
        "",
    ]
    return "\n".join(lines)


def write_document(path, generated):
    """Replace the generated part of *path*, keep the hand-written notes below the marker."""
    notes = ""
    if path.exists() and NOTES_MARKER in path.read_text():
        notes = path.read_text().split(NOTES_MARKER, 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generated.rstrip() + "\n\n" + NOTES_MARKER + (notes or "\n"))


if __name__ == "__main__":
    sys.exit(main())
