"""Forms of the activities pages: they check the input, the services validate and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedServiceForm

from .models import Activity, CommitmentSigning, ReintegrationModel

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class WardOrKhomForm(VersionedServiceForm):
    """A form with a ward and an optional khóm; a khóm officer picks only his khóm and no ward."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and user.is_khom_officer:
            del self.fields["ward"]
            self.fields["khom"].required = True
            self.fields["khom"].help_text = ""
        elif user is not None and not self.instance.pk and len(user.scope_ward_ids) == 1:
            self.fields["ward"].initial = next(iter(user.scope_ward_ids))
        self.fields["khom"].empty_label = _("— Toàn phường —")


class ActivityForm(WardOrKhomForm):
    class Meta:
        model = Activity
        fields = ["kind", "ward", "khom", "held_on", "topic", "audience", "participants", "organiser", "location",
                  "notes"]
        widgets = {"held_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}


class ReintegrationModelForm(WardOrKhomForm):
    class Meta:
        model = ReintegrationModel
        fields = ["name", "ward", "khom", "started_on", "ended_on", "organiser", "people_supported", "description"]
        widgets = {"started_on": DATE_WIDGET, "ended_on": DATE_WIDGET,
                   "description": forms.Textarea(attrs={"rows": 4})}


class CommitmentSigningForm(VersionedServiceForm):
    class Meta:
        model = CommitmentSigning
        fields = ["khom", "signed_on", "households_signed", "households_total", "notes"]
        widgets = {"signed_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}
