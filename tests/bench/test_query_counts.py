"""Every list, dashboard and export issues the same number of queries on one small ward and on three bigger ones.

The per-feature tests grow rows inside one ward; this one grows the province
the way seed_bench does (more wards, more khóm, more people, tests and cases)
and looks at the pages as the administrator and the province viewer, whose
scope spans every ward — the users for whom a per-row or per-ward query would
hurt most.
"""
import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from apps.accounts.models import User
from apps.core.management.commands.seed_bench import ADMINISTRATOR, PROVINCE_VIEWER
from apps.khom.models import Khom
from tests.factories.cases import CaseFactory
from tests.factories.subjects import DrugTestFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/", "/khom/", "/audit/", "/subjects/", "/subjects/export.xlsx", "/subjects/deadlines/",
    "/subjects/?q=nguyen&gender=male&sort=due", "/subjects/export.xlsx?q=nguyen&gender=male",
    "/cases/", "/cases/export.xlsx", "/cases/hotspots/", "/activities/", "/activities/commitments/",
    "/activities/reintegration/", "/criteria/", "/criteria/roadmap/", "/reports/", "/imports/",
    # The admin's change lists, scoped by the same method as the pages.
    "/admin/subjects/person/", "/admin/subjects/person/?q=nguyen", "/admin/subjects/episode/",
    "/admin/subjects/drugtest/", "/admin/cases/case/", "/admin/cases/hotspot/", "/admin/khom/khom/",
    "/admin/activities/activity/", "/admin/criteria/assessment/", "/admin/reports/report/",
    "/admin/core/auditevent/", "/admin/core/calendarexception/", "/admin/accounts/user/",
]
PROVINCE_PAGES = ["/", "/reports/", "/reports/province.xlsx?kind=quarter&start=01/07/2026", "/criteria/roadmap/"]
LEADERSHIP_PAGES = ["/", "/subjects/", "/subjects/export.xlsx", "/subjects/deadlines/", "/cases/", "/audit/",
                    "/criteria/roadmap/", "/activities/"]
# A khóm officer sees his khóm only: the dashboard and the pages of his role.
KHOM_OFFICER_PAGES = ["/", "/activities/", "/activities/commitments/", "/criteria/"]


def seed(wards, people):
    call_command("seed_bench", wards=wards, people_per_ward=people, stdout=open("/dev/null", "w"))


def grow_first_ward(by):
    """More people, tests and cases in BN001, the ward the leadership account sees."""
    khoms = list(Khom.objects.filter(ward__code="BN001"))
    for index in range(by):
        person = PersonFactory(khom=khoms[index % len(khoms)])
        DrugTestFactory(person=person)
        CaseFactory(khom=person.khom, number=900 + index)  # above the numbers seed_bench gave


def routed(pages):
    """The pages whose app is wired into myhoi/urls.py (an app still being built is measured once it lands)."""
    kept = []
    for url in pages:
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            continue
        kept.append(url)
    return kept


def query_counts(client, user, pages, count_queries):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    for url in routed(pages):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)
        fetch()  # first visit: session and caches settle
        counts[url] = count_queries(fetch)
    return counts


def test_pages_of_the_whole_province_issue_the_same_queries_at_one_small_ward_and_at_three_wards(
        client, count_queries):
    seed(wards=1, people=20)  # enough that every search and filter above finds someone
    admin, province = User.objects.get(username=ADMINISTRATOR), User.objects.get(username=PROVINCE_VIEWER)
    leadership, officer = User.objects.get(username="bn001_lanhdao"), User.objects.get(username="bn001_k01")

    def all_counts():
        return {
            "admin": query_counts(client, admin, ADMIN_PAGES, count_queries),
            "province": query_counts(client, province, PROVINCE_PAGES, count_queries),
            "leadership": query_counts(client, leadership, LEADERSHIP_PAGES, count_queries),
            "khom officer": query_counts(client, officer, KHOM_OFFICER_PAGES, count_queries),
        }

    small = all_counts()
    seed(wards=3, people=40)
    grow_first_ward(by=30)
    large = all_counts()
    differences = {
        (role, url): (small[role][url], large[role][url])
        for role in small for url in small[role] if small[role][url] != large[role][url]
    }
    assert differences == {}
