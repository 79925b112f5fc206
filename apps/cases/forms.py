"""Forms of case records (with seized items and participants) and hotspots."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.forms import BootstrapForm, VersionedServiceForm

from .choices import ParticipantOutcome, ParticipantRole, SeizedUnit
from .models import (BIRTH_YEAR_RANGE, PARTICIPANT_PERSON_OR_OUTSIDER, PARTICIPANT_TWICE, QUANTITY_NOT_POSITIVE,
                     Case, Hotspot)
from .services import KHOM_OUT_OF_SCOPE, PERSON_OUT_OF_SCOPE, ParticipantData, SeizedItemData

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}


def _date_widget():
    return forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS)


class ScopedModelForm(VersionedServiceForm):
    """A versioned form whose khóm choices (the user's) say plainly why another ward's khóm is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "khom" in self.fields:
            self.fields["khom"].queryset = self.fields["khom"].queryset.select_related("ward")
            # A khóm of another ward is simply not among the choices; say so in words the officer understands.
            self.fields["khom"].error_messages["invalid_choice"] = KHOM_OUT_OF_SCOPE


class CaseForm(ScopedModelForm):
    class Meta:
        model = Case
        fields = ["number", "detected_on", "khom", "place", "kind", "handling", "officer",
                  "plants_destroyed", "area_destroyed_m2", "summary"]
        widgets = {"detected_on": _date_widget(), "summary": forms.Textarea(attrs={"rows": 4})}
        localized_fields = ["area_destroyed_m2"]

    def __init__(self, *args, number_suggestion=None, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.fields["number"]
        number.required = False
        number.help_text = _("Để trống để hệ thống tự cấp số tiếp theo (số theo phường và năm phát hiện).")
        if number_suggestion and not self.instance.pk:
            number.widget.attrs["placeholder"] = _("tự cấp, dự kiến số %(n)s") % {"n": number_suggestion}
        officer = self.fields["officer"]
        officer.queryset = officer.queryset.filter(role=Role.POLICE, is_active=True).order_by("last_name", "first_name")
        officer.label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["plants_destroyed"].help_text = _("Chỉ ghi cho vụ trồng cây có chứa chất ma túy.")


class SeizedItemForm(BootstrapForm):
    substance = forms.CharField(label=_("Chất / tang vật"), max_length=100)
    quantity = forms.DecimalField(label=_("Số lượng"), max_digits=12, decimal_places=3, localize=True)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=SeizedUnit.choices, initial=SeizedUnit.GRAM)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise forms.ValidationError(QUANTITY_NOT_POSITIVE, code="quantity")
        return quantity

    def to_data(self) -> SeizedItemData:
        return SeizedItemData(substance=self.cleaned_data["substance"], quantity=self.cleaned_data["quantity"],
                              unit=self.cleaned_data["unit"])


class ParticipantForm(BootstrapForm):
    person = forms.ModelChoiceField(label=_("Đối tượng trong danh sách"), queryset=None, required=False,
                                    error_messages={"invalid_choice": PERSON_OUT_OF_SCOPE})
    outsider_name = forms.CharField(label=_("hoặc họ tên người ngoài danh sách"), max_length=150, required=False)
    outsider_birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900,
                                             error_messages={"min_value": BIRTH_YEAR_RANGE})
    outsider_residence = forms.CharField(label=_("Nơi cư trú"), max_length=255, required=False)
    # A blank first choice, so that an untouched extra row is sent blank and ignored.
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", "---------"), *ParticipantRole.choices])
    outcome = forms.ChoiceField(label=_("Kết quả xử lý"), choices=ParticipantOutcome.choices,
                                initial=ParticipantOutcome.PENDING)

    def __init__(self, *args, user, kept_people=(), **kwargs):
        from django.db.models import Q

        from apps.subjects.models import Person

        super().__init__(*args, **kwargs)
        from apps.subjects.widgets import PersonAutocompleteWidget, person_instance_label

        # A picker searched as one types (GET /subjects/autocomplete/), not every person in scope in one list.
        # The people already on the case stay valid after their record moved to another ward (the case stays).
        self.fields["person"].widget = PersonAutocompleteWidget(attrs={"class": "form-select js-person-autocomplete"})
        in_scope = Person.objects.for_user(user)
        if kept_people:
            in_scope = Person.objects.filter(Q(pk__in=in_scope.values("pk")) | Q(pk__in=list(kept_people)))
        self.fields["person"].queryset = in_scope.select_related("khom")
        self.fields["person"].label_from_instance = person_instance_label

    def clean_outsider_birth_year(self):
        year = self.cleaned_data.get("outsider_birth_year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(BIRTH_YEAR_RANGE, code="birth_year")
        return year

    def clean(self):
        cleaned = super().clean()
        person, name = cleaned.get("person"), (cleaned.get("outsider_name") or "").strip()
        if "person" in self.errors:
            return cleaned
        has_outsider_details = name or cleaned.get("outsider_birth_year") or cleaned.get("outsider_residence")
        if bool(person) == bool(name) or (person and has_outsider_details):
            raise forms.ValidationError(PARTICIPANT_PERSON_OR_OUTSIDER, code="person_or_outsider")
        return cleaned

    def to_data(self) -> ParticipantData:
        c = self.cleaned_data
        return ParticipantData(role=c["role"], outcome=c["outcome"], person=c.get("person"),
                               outsider_name=(c.get("outsider_name") or "").strip(),
                               outsider_birth_year=c.get("outsider_birth_year"),
                               outsider_residence=c.get("outsider_residence") or "")


class BaseRowsFormSet(forms.BaseFormSet):
    """Stored rows are kept unless marked for deletion; extra rows left empty are ignored."""

    def kept_forms(self):
        return [form for index, form in enumerate(self.forms)
                if (index < self.initial_form_count() or form.has_changed()) and not self._should_delete_form(form)]

    def rows(self):
        return [form.to_data() for form in self.kept_forms()]


class BaseParticipantFormSet(BaseRowsFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.kept_forms():
            person = getattr(form, "cleaned_data", {}).get("person")
            if person is not None:
                if person.pk in seen:
                    raise forms.ValidationError(PARTICIPANT_TWICE, code="participant_twice")
                seen.add(person.pk)


SeizedItemFormSet = forms.formset_factory(SeizedItemForm, formset=BaseRowsFormSet, extra=2, can_delete=True,
                                          max_num=50, validate_max=True)
ParticipantFormSet = forms.formset_factory(ParticipantForm, formset=BaseParticipantFormSet, extra=2,
                                           can_delete=True, max_num=50, validate_max=True)


def seized_item_initial(case):
    return [{"substance": i.substance, "quantity": i.quantity, "unit": i.unit} for i in case.seized_items.all()]


def kept_people(case) -> list:
    """The people already on *case*: they stay valid on it whatever ward their record is in now."""
    if case is None:
        return []
    return [pk for pk in case.participants.values_list("person_id", flat=True) if pk is not None]


def participant_initial(case):
    return [
        {"person": p.person_id, "outsider_name": p.outsider_name, "outsider_birth_year": p.outsider_birth_year,
         "outsider_residence": p.outsider_residence, "role": p.role, "outcome": p.outcome}
        for p in case.participants.all()
    ]


class HotspotForm(ScopedModelForm):
    class Meta:
        model = Hotspot
        fields = ["khom", "address", "kind", "found_on", "cleared_on", "notes"]
        widgets = {"found_on": _date_widget(), "cleared_on": _date_widget(), "notes": forms.Textarea(attrs={"rows": 3})}
