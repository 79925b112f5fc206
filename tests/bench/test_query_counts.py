"""Every list, detail, dashboard and export issues a pinned number of queries, the same on one small ward and on three bigger ones.

The per-feature tests grow rows inside one ward; this one grows the province
the way seed_bench does (more wards, more khóm, more people, tests and cases)
and looks at the pages as the administrator and the province viewer, whose
scope spans every ward — the users for whom a per-row or per-ward query would
hurt most — and as the leadership and a khóm officer of the first ward.

Two checks, as NetBox does:

* growth: each page issues the same number of queries at both sizes;
* the absolute count of each page and role is pinned in ``query_counts.json``
  next to this file, so that a page going from 12 to 19 queries shows in the
  diff under review. A page renamed, added or removed fails too (a URL name
  that does not reverse raises; the file must list exactly the pages below).

After a change that legitimately changes counts, regenerate the file and
commit it with the change (the growth check still has to pass)::

    DATABASE_URL=... .venv/bin/python -m pytest tests/bench/test_query_counts.py --update-query-counts

Pages are named by URL name (``?query`` appended when the page is measured
with one); detail pages open the objects ``pick_objects`` chooses in the first
ward (the same objects at both sizes).
"""
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from apps.accounts.models import User
from apps.cases.models import Case, Hotspot
from apps.accounts.bench import ADMINISTRATOR, PROVINCE_VIEWER
from apps.criteria import services as criteria_services
from apps.criteria.choices import CriteriaScope
from apps.imports.models import ImportBatch
from apps.khom.models import Khom, Ward
from apps.reports import services as report_services
from apps.reports.models import ReportingRound
from apps.subjects.models import Person
from tests.factories.cases import CaseFactory
from tests.factories.criteria import seeded_set
from tests.factories.reports import ReportFactory
from tests.factories.subjects import DrugTestFactory, PersonFactory

pytestmark = pytest.mark.django_db

QUERY_COUNTS = Path(__file__).with_name("query_counts.json")
UPDATE_OPTION = "--update-query-counts"

ADMIN_PAGES = [
    "dashboard", "khom:list", "khom:detail", "audit",
    "subjects:list", "subjects:list?q=nguyen&gender=male&sort=due", "subjects:detail",
    "subjects:export", "subjects:export?q=nguyen&gender=male", "subjects:deadlines", "subjects:transfer_list",
    "subjects:deadlines?overdue=1", "subjects:deadlines?category=test_overdue", "subjects:deadlines_export",
    "subjects:list?window_256a=0", "admin:subjects_managementrule_changelist", "admin:subjects_episodekind_changelist",
    "cases:list", "cases:detail", "cases:export", "cases:hotspot_list", "cases:hotspot_detail",
    "activities:list", "activities:commitments", "activities:reintegration",
    "criteria:list", "criteria:detail", "criteria:roadmap",
    "criteria:province", "criteria:province_export", "criteria:self_assessment_list", "criteria:classification",
    "reports:list", "reports:detail", "reports:export", "imports:index", "imports:batch",
    "reports:round_list", "reports:round_detail", "reports:round_export",
    # The admin's change lists and change pages, scoped by the same method as the pages.
    "admin:subjects_person_changelist", "admin:subjects_person_changelist?q=nguyen", "admin:subjects_person_change",
    "admin:subjects_episode_changelist", "admin:subjects_drugtest_changelist",
    "admin:cases_case_changelist", "admin:cases_case_change", "admin:cases_hotspot_changelist",
    "admin:khom_khom_changelist", "admin:activities_activity_changelist", "admin:criteria_assessment_changelist",
    "admin:reports_report_changelist", "admin:core_auditevent_changelist", "admin:core_calendarexception_changelist",
    "admin:accounts_user_changelist",
]
PROVINCE_PAGES = ["dashboard", "reports:list", "reports:province_export?kind=quarter&start=01/07/2026",
                  "criteria:roadmap", "criteria:province", "criteria:province_export", "criteria:classification",
                  # A round's board and workbook over every ward, and a report of the round.
                  "reports:round_list", "reports:round_detail", "reports:round_export", "reports:detail?round"]
LEADERSHIP_PAGES = [
    "dashboard", "khom:list", "khom:detail", "subjects:list", "subjects:detail", "subjects:export",
    "subjects:deadlines", "subjects:deadlines?overdue=1", "subjects:deadlines_export", "subjects:transfer_list",
    "cases:list", "cases:detail", "audit", "activities:list",
    "criteria:list", "criteria:detail", "criteria:roadmap", "reports:list", "reports:detail", "reports:export",
    "criteria:province", "criteria:self_assessment_list", "criteria:classification", "reports:round_detail",
]
# A khóm officer sees his khóm only: the dashboard and the pages of his role.
KHOM_OFFICER_PAGES = ["dashboard", "khom:list", "khom:detail", "subjects:list", "subjects:detail", "subjects:deadlines",
                      "activities:list", "activities:commitments", "criteria:list", "criteria:detail"]
ROLE_PAGES = {"admin": ADMIN_PAGES, "province": PROVINCE_PAGES, "leadership": LEADERSHIP_PAGES,
              "khom officer": KHOM_OFFICER_PAGES}
# The object each detail page opens (a key of pick_objects()).
DETAIL_OBJECT = {
    "khom:detail": "khom", "subjects:detail": "person", "admin:subjects_person_change": "person",
    "cases:detail": "case", "admin:cases_case_change": "case", "cases:hotspot_detail": "hotspot",
    "criteria:detail": "assessment", "reports:detail": "report", "reports:export": "report",
    "imports:batch": "batch", "criteria:classification": "ward", "reports:round_detail": "round",
    "reports:round_export": "round",
}
# Pages measured on another object than their DETAIL_OBJECT's (the "?…" after the name picks it, not a query).
OBJECT_VARIANTS = {"reports:detail?round": "round_report"}


def seed(wards, people):
    call_command("seed_bench", wards=wards, people_per_ward=people, stdout=open("/dev/null", "w"))


def grow_first_ward(by):
    """More people, tests and cases in BN001, the ward the leadership account sees."""
    khoms = list(Khom.objects.filter(ward__code="BN001"))
    for index in range(by):
        person = PersonFactory(khom=khoms[index % len(khoms)])
        DrugTestFactory(person=person)
        CaseFactory(khom=person.khom, number=900 + index)  # above the numbers seed_bench gave


def pick_objects(admin, leadership, officer) -> dict:
    """One object per detail page, in the khóm officer's khóm where it has one, so every role opens the same one."""
    ward = Ward.objects.get(code="BN001")
    khom = officer.khoms.get()
    person = (Person.objects.filter(khom=khom).annotate(n_tests=Count("tests", distinct=True), n_episodes=Count("episodes", distinct=True))
              .order_by("-n_tests", "-n_episodes", "pk").first())
    case = Case.objects.filter(khom__ward=ward).annotate(people=Count("participants")).order_by("-people", "pk").first()
    hotspot = Hotspot.objects.filter(ward=ward).order_by("pk").first()
    assessment = criteria_services.assessment_create(
        user=leadership, data={"criteria_set": seeded_set(CriteriaScope.KHOM), "year": 2025, "khom": khom})
    report = ReportFactory(ward=ward)
    batch = ImportBatch.objects.create(created_by=admin, ward=ward, kind="persons", file_name="danh-sach.xlsx",
                                       file_bytes=b"PK")
    round_ = report_services.round_issue(user=admin, data={
        "period_kind": "quarter", "period_start": ROUND_START, "due_on": dt.date(2026, 9, 21),
        "editable_until": dt.date(2026, 10, 1), "all_wards": True, "wards": [], "note": ""})
    round_report = send_round_reports(round_, leadership, admin)
    return {"khom": khom.pk, "person": person.pk, "case": case.pk, "hotspot": hotspot.pk,
            "assessment": assessment.pk, "report": report.pk, "batch": batch.pk, "ward": ward.pk, "round": round_.pk,
            "round_report": round_report.pk}


ROUND_START = dt.date(2026, 6, 15)  # Quý III/2026 as the drug reports cut it


def send_round_reports(round_, leadership, admin):
    """Every ward in *round_* (the wards seeded since added), each ward's report sent; BN001's by its leadership."""
    from apps.reports.models import Report

    round_.wards.add(*Ward.objects.exclude(reporting_rounds=round_))
    first = None
    for ward in Ward.objects.filter(reporting_rounds=round_).order_by("code"):
        report = Report.objects.filter(round=round_, ward=ward).first() or report_services.report_create(
            user=admin, data={"ward": ward, "period_kind": "quarter", "period_start": ROUND_START})
        if report.is_draft:
            sender = leadership if ward.code == "BN001" else admin
            report = report_services.report_submit(user=sender, report=report)
        first = first or report
    return first


def url_for(page, objects) -> str:
    """The path of *page* ("url:name" or "url:name?query"); a name that no longer reverses raises NoReverseMatch."""
    if page in OBJECT_VARIANTS:
        return reverse(page.partition("?")[0], args=[objects[OBJECT_VARIANTS[page]]])
    name, _, query = page.partition("?")
    args = [objects[DETAIL_OBJECT[name]]] if name in DETAIL_OBJECT else []
    return reverse(name, args=args) + (f"?{query}" if query else "")


def query_counts(client, user, pages, objects, count_queries):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    for page in pages:
        url = url_for(page, objects)

        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (page, url, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)
        fetch()  # first visit: session and caches settle
        counts[page] = count_queries(fetch)
    return counts


def test_every_page_issues_its_pinned_queries_at_one_small_ward_and_at_three_wards(client, count_queries, request):
    seed(wards=1, people=20)  # enough that every search and filter above finds someone
    users = {role: User.objects.get(username=username) for role, username in (
        ("admin", ADMINISTRATOR), ("province", PROVINCE_VIEWER), ("leadership", "bn001_lanhdao"),
        ("khom officer", "bn001_k01"))}
    objects = pick_objects(users["admin"], users["leadership"], users["khom officer"])

    def all_counts():
        return {role: query_counts(client, users[role], pages, objects, count_queries)
                for role, pages in ROLE_PAGES.items()}

    small = all_counts()
    seed(wards=3, people=40)
    grow_first_ward(by=30)
    send_round_reports(ReportingRound.objects.get(pk=objects["round"]), users["leadership"], users["admin"])
    large = all_counts()
    differences = {
        (role, page): (small[role][page], large[role][page])
        for role in small for page in small[role] if small[role][page] != large[role][page]
    }
    assert differences == {}

    if request.config.getoption("update_query_counts"):
        write_pinned(large)
        return
    changed, gone = differences_from_pinned(large, json.loads(QUERY_COUNTS.read_text()))
    assert (changed, gone) == ({}, []), f"query counts differ from {QUERY_COUNTS.name}; if intended, run with {UPDATE_OPTION}"


def write_pinned(counts, path=QUERY_COUNTS):
    """Write *counts* ({role: {page: queries}}) as the pinned file: sorted, one page a line, so a diff shows each change."""
    path.write_text(json.dumps(counts, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def differences_from_pinned(measured, pinned):
    """({"role: page": "pinned N, now M"} for each page measured differently or not pinned, [pinned pages not measured])."""
    changed = {
        f"{role}: {page}": f"pinned {pinned.get(role, {}).get(page, 'nothing')}, now {count}"
        for role, counts in measured.items() for page, count in counts.items()
        if pinned.get(role, {}).get(page) != count
    }
    gone = [f"{role}: {page}" for role, counts in pinned.items() for page in counts if page not in measured.get(role, {})]
    return changed, gone


@pytest.mark.django_db(databases=[])
def test_a_page_whose_count_moved_or_that_was_added_or_dropped_differs_from_the_pinned_file(tmp_path):
    pinned = {"admin": {"subjects:list": 12, "cases:list": 8, "khom:list": 4}}
    measured = {"admin": {"subjects:list": 19, "cases:list": 8, "audit": 4}}
    assert differences_from_pinned(measured, pinned) == (
        {"admin: subjects:list": "pinned 12, now 19", "admin: audit": "pinned nothing, now 4"}, ["admin: khom:list"])
    write_pinned(measured, tmp_path / "query_counts.json")
    assert differences_from_pinned(measured, json.loads((tmp_path / "query_counts.json").read_text())) == ({}, [])
    assert (tmp_path / "query_counts.json").read_text().splitlines()[1:4] == [
        '  "admin": {', '    "audit": 4,', '    "cases:list": 8,']


@pytest.mark.django_db(databases=[])
def test_every_measured_page_is_pinned_and_every_pinned_page_is_measured():
    """The pinned file lists exactly the pages above (the slow test compares the counts)."""
    pinned = json.loads(QUERY_COUNTS.read_text())
    assert {role: sorted(counts) for role, counts in pinned.items()} == {role: sorted(p) for role, p in ROLE_PAGES.items()}
