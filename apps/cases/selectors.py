"""Reads of case records that more than one page needs."""
from django.db.models import Max

from .models import Case, CaseNumberCounter, Participant


def case_number_suggestion(*, ward_id: int, year: int) -> int:
    """The number the next case of (ward, year) will probably get; shown to the user, never reserved."""
    counter = CaseNumberCounter.objects.filter(ward_id=ward_id, year=year).values_list("last_number", flat=True).first()
    highest = Case.objects.filter(ward_id=ward_id, year=year).aggregate(m=Max("number"))["m"]
    return max(counter or 0, highest or 0) + 1


def participations_of_person(*, user, person):
    """The person's participations in cases the user may see, newest case first."""
    return (
        Participant.objects.filter(person=person, case__in=Case.objects.for_user(user))
        .select_related("case", "case__khom")
        .order_by("-case__detected_on", "-case__number")
    )
