from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role

_READ = ["criteria.view_criteriaset", "criteria.view_criterion", "criteria.view_assessment",
         "criteria.view_assessmentitem", "criteria.view_evidence", "criteria.view_recognition"]


class CriteriaConfig(AppConfig):
    name = "apps.criteria"
    verbose_name = _("Tiêu chí")
    # Police and leadership open assessments; khóm officers fill the manual items of
    # their own khóm (scope limits which) and submit it; only leadership approves or returns and
    # records recognitions. Province viewers read the roadmap only (khom.view_khom).
    role_permissions = {
        Role.LEADERSHIP: _READ + ["criteria.add_assessment", "criteria.change_assessment",
                                  "criteria.change_assessmentitem", "criteria.add_evidence",
                                  "criteria.approve_assessment", "criteria.add_recognition",
                                  "criteria.change_recognition"],
        Role.POLICE: _READ + ["criteria.add_assessment", "criteria.change_assessment",
                              "criteria.change_assessmentitem", "criteria.add_evidence"],
        # Khóm officers open their own khóm's assessment for the current period and submit it (four-eyes:
        # leadership approves, never the submitter).
        Role.KHOM_OFFICER: _READ + ["criteria.add_assessment", "criteria.change_assessment",
                                    "criteria.change_assessmentitem", "criteria.add_evidence"],
    }

    def ready(self):
        from . import checks  # noqa: F401  (criteria.E001: the codes criteria store are registered)
        from . import selectors  # noqa: F401  (declares the roadmap's indicator codes for indicators.E001)
