"""Forms of the activities pages: they check the input, the services validate and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedServiceForm

from .models import Activity, CommitmentSigning, ReintegrationModel

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def officer_khom_id(user):
    """The khóm a khóm officer works in (the first of his, in code order), or None for everyone else."""
    if user is None or not user.is_khom_officer:
        return None
    return user.khoms.order_by("code").values_list("pk", flat=True).first()


class KhomHouseholdsSelect(forms.Select):
    """The khóm choice, each option carrying its khóm's number of households (``data-households``) so that
    the page can fill the households total when a khóm is chosen (static/activities/households.js)."""

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.households = households or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "value", value)
        if key in self.households:
            option["attrs"]["data-households"] = str(self.households[key])
        return option


class WardOrKhomForm(VersionedServiceForm):
    """A form with a ward and an optional khóm; a khóm officer picks only his khóm and no ward.

    The khóm officer's form opens on his khóm: "whole ward" is no choice of his, so it is not offered.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and user.is_khom_officer:
            del self.fields["ward"]
            self.fields["khom"].required = True
            self.fields["khom"].help_text = ""
            self.fields["khom"].empty_label = None
            if not self.instance.pk:
                self.fields["khom"].initial = officer_khom_id(user)
        else:
            if user is not None and not self.instance.pk and len(user.scope_ward_ids) == 1:
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
    """A signing round of one khóm; the households total starts from the khóm's record."""

    class Meta:
        model = CommitmentSigning
        fields = ["khom", "signed_on", "households_signed", "households_total", "notes"]
        widgets = {"signed_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3}),
                   "khom": KhomHouseholdsSelect(attrs={"data-households-target": "id_households_total"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["khom"]
        households = dict(field.queryset.values_list("pk", "households"))
        field.widget.households = households
        if self.instance.pk:
            return
        khom_id = officer_khom_id(self.user)
        if khom_id is not None:
            field.initial, field.empty_label = khom_id, None
        chosen = self.initial.get("khom") or field.initial
        if chosen in households and not self.initial.get("households_total"):
            self.fields["households_total"].initial = households[chosen]
        self.fields["households_total"].help_text = _("Lấy theo số hộ của khóm; sửa nếu đợt ký tính khác.")
