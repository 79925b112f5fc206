"""Demo data of activities, and the scoped admin."""
import io

from django.contrib import admin
from django.test import RequestFactory

from apps.activities import demo
from apps.activities.admin import ActivityAdmin, CommitmentSigningAdmin
from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel
from apps.khom import demo as khom_demo
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory


def test_demo_data_covers_2025_2026_and_the_four_2025_khom_signed_at_least_90_percent(db):
    context = {"stdout": io.StringIO()}
    khom_demo.seed(context)
    demo.seed(context)
    demo.seed(context)  # idempotent
    years = set(Activity.objects.values_list("held_on__year", flat=True))
    assert years == {2025, 2026}
    assert Activity.objects.filter(khom__isnull=False).values("khom").distinct().count() >= 15
    assert Activity.objects.filter(khom__isnull=True).exists()
    assert ReintegrationModel.objects.count() == 4
    for signing in CommitmentSigning.objects.filter(signed_on__year=2025).select_related("khom"):
        if signing.khom.code in demo.TARGET_2025:
            assert signing.percent >= 90
        else:
            assert signing.percent < 90
    count = Activity.objects.count()
    demo.seed(context)
    assert Activity.objects.count() == count


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_admin_lists_only_rows_in_scope(police, khom, other_khom):
    mine = ActivityFactory(khom=khom)
    ActivityFactory(khom=other_khom)
    assert list(ActivityAdmin(Activity, admin.site).get_queryset(_request(police))) == [mine]
    signing = CommitmentSigningFactory(khom=khom)
    CommitmentSigningFactory(khom=other_khom)
    assert list(CommitmentSigningAdmin(CommitmentSigning, admin.site).get_queryset(_request(police))) == [signing]


def test_the_admin_offers_only_khom_in_scope(police, khom, other_khom):
    model_admin = ActivityAdmin(Activity, admin.site)
    field = model_admin.formfield_for_foreignkey(Activity._meta.get_field("khom"), _request(police))
    assert list(field.queryset) == [khom]
