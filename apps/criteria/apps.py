from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role

_READ = ["criteria.view_criteriaset", "criteria.view_criterion", "criteria.view_assessment",
         "criteria.view_assessmentitem", "criteria.view_evidence", "criteria.view_recognition"]
# The Điều 4–5 classification: published rules and per-unit aggregates (residents, route flag), no personal record.
_CLASSIFICATION = ["criteria.view_classificationset", "criteria.view_classificationtype",
                   "criteria.view_classificationthreshold", "criteria.view_wardyeardata",
                   "criteria.view_provinceyeardata"]


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
                                  "criteria.change_recognition",
                                  # The unit's self-assessment to the province and its own target (issue 17).
                                  "criteria.view_wardselfassessment", "criteria.add_wardselfassessment",
                                  "criteria.change_wardselfassessment", "criteria.submit_wardselfassessment",
                                  "criteria.view_wardtarget", "criteria.register_wardtarget", *_CLASSIFICATION],
        Role.POLICE: _READ + ["criteria.add_assessment", "criteria.change_assessment",
                              "criteria.change_assessmentitem", "criteria.add_evidence",
                              "criteria.view_wardselfassessment", "criteria.view_wardtarget", *_CLASSIFICATION],
        # Khóm officers open their own khóm's assessment for the current period and submit it (four-eyes:
        # leadership approves, never the submitter).
        Role.KHOM_OFFICER: _READ + ["criteria.add_assessment", "criteria.change_assessment",
                                    "criteria.change_assessmentitem", "criteria.add_evidence"],
    }

    # The province roles: the roadmap's aggregates; PC04 reviews self-assessments, UBND tỉnh decides on them;
    # both assign targets. None of these pages holds a personal record.
    role_permissions.update({
        Role.PROVINCE: ["criteria.view_wardtarget", "criteria.view_provincetarget", *_CLASSIFICATION],
        Role.PROVINCE_OFFICER: ["criteria.view_wardtarget", "criteria.view_provincetarget", *_CLASSIFICATION,
                                "criteria.assign_wardtarget", "criteria.view_wardselfassessment",
                                "criteria.review_wardselfassessment"],
        Role.PROVINCE_LEADERSHIP: ["criteria.view_wardtarget", "criteria.view_provincetarget", *_CLASSIFICATION,
                                   "criteria.assign_wardtarget", "criteria.view_wardselfassessment",
                                   "criteria.decide_wardselfassessment"],
    })

    def ready(self):
        from . import checks  # noqa: F401  (criteria.E001: the codes criteria store are registered)
        from . import selectors  # noqa: F401  (declares the roadmap's indicator codes for indicators.E001)
