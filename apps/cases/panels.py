"""The "cases" panel on a person's detail page (subjects), for police and ward leadership only."""
from django.utils.translation import gettext_lazy as _

from .selectors import participations_of_person


def person_cases_panel(request, person):
    """The person's cases, or None for users who may not read case records (khóm officers, province)."""
    user = request.user
    if not user.has_perm("cases.view_case"):
        return None
    return {
        "title": _("Vụ việc liên quan"),
        "template": "cases/person_panel.html",
        "context": {"participations": list(participations_of_person(user=user, person=person))},
    }
