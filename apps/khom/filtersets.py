"""The khóm and ward choices of every list's filters, limited to the user's scope."""
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import ScopedModelChoiceFilter
from apps.core.mixins import spans_wards
from apps.core.numbers import whole_number

from .models import Khom, Ward


class WardFilter(ScopedModelChoiceFilter):
    """A choice among the wards the user may see."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Phường"))
        super().__init__(*args, queryset=Ward.objects.all(), **kwargs)


class KhomFilter(ScopedModelChoiceFilter):
    """A choice among the khóm the user may see.

    Across a province that is 2,000 options, so where the filter form also offers the ward (a
    ``ward`` filter, shown to users whose scope spans several wards) the user first picks the ward
    and is then offered its khóm only (or the khóm already chosen).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Khóm"))
        super().__init__(*args, queryset=Khom.objects.all(), **kwargs)

    def choices_for(self, request):
        khoms = super().choices_for(request)
        if request is None or "ward" not in self.parent.filters or not spans_wards(request.user):
            return khoms
        name = next(name for name, each in self.parent.filters.items() if each is self)
        ward, khom = whole_number(request.GET.get("ward", "")), whole_number(request.GET.get(name, ""))
        if ward is not None:
            return khoms.filter(ward_id=ward)
        if khom is not None:
            return khoms.filter(pk=khom)
        return khoms.none()

