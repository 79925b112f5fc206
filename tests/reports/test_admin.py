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


def test_a_report_is_never_added_in_the_admin_and_a_drafts_ward_period_and_dates_stay_as_opened(
        client_for, admin_user, report, other_ward):
    client = client_for(admin_user)
    # Opened on /reports/new/, where its round, period cut and due dates are decided: no add page here.
    assert client.get(reverse("admin:reports_report_add")).status_code == 403
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    editable = set(page.context["adminform"].form.fields)
    assert not editable & {"ward", "period_kind", "period_start", "period_start_day", "round", "due_on",
                           "editable_until"}
    assert "summary" in editable
    before = (report.ward_id, report.period_start, report.due_on)
    client.post(reverse("admin:reports_report_change", args=[report.pk]),
                {"ward": other_ward.pk, "period_start": "01/04/2026", "summary": "Sửa trong trang quản trị",
                 "version": report.version})
    report.refresh_from_db()
    assert (report.ward_id, report.period_start, report.due_on) == before
