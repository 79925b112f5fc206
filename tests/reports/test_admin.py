"""Reports in the admin: listed by scope, drafts editable, submitted reports read-only."""
from django.urls import reverse

from apps.reports import services


def test_the_admin_lists_reports_and_refuses_to_change_a_submitted_one(client_for, admin_user, leader, report,
                                                                       other_ward):
    from tests.factories.reports import ReportFactory

    draft = ReportFactory(ward=other_ward)
    services.report_submit(user=leader, report=report)
    client = client_for(admin_user)
    listing = client.get(reverse("admin:reports_report_changelist"))
    assert listing.status_code == 200 and len(listing.context["cl"].result_list) == 2
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.get(reverse("admin:reports_report_change", args=[draft.pk])).context["has_change_permission"]
    assert client.post(reverse("admin:reports_report_delete", args=[report.pk]), {"post": "yes"}).status_code == 403
