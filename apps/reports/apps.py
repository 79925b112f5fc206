from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role


class ReportsConfig(AppConfig):
    name = "apps.reports"
    verbose_name = _("Báo cáo")
    # Police prepare drafts; ward leadership approves (submits); the province officer (PC04) issues
    # rounds and accepts or returns what was sent; the other province roles read.
    role_permissions = {
        Role.LEADERSHIP: ["reports.view_report", "reports.add_report", "reports.change_report",
                          "reports.submit_report", "reports.lock_report", "reports.view_reportinground"],
        Role.POLICE: ["reports.view_report", "reports.add_report", "reports.change_report"],
        Role.PROVINCE: ["reports.view_report", "reports.view_reportinground"],
        Role.PROVINCE_OFFICER: ["reports.view_report", "reports.view_reportinground", "reports.add_reportinground",
                                "reports.review_report"],
        Role.PROVINCE_LEADERSHIP: ["reports.view_report", "reports.view_reportinground"],
    }

    def ready(self):
        # Both name indicator codes (registry.uses()); importing them here puts every code
        # under the system check indicators.E001 whichever page is opened first.
        from . import dashboard, figures  # noqa: F401
