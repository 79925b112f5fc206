"""Forms of the register; validation messages in Vietnamese, choices limited to the user's scope."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ServiceForm, VersionedServiceForm

from .choices import MoveKind
from .models import DrugTest, Episode, Person, ResidenceMove, SupportRecord

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class YesNoUnknownSelect(forms.NullBooleanSelect):
    """An optional yes/no field: "not recorded" is a third answer, which the statistics count apart."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Chưa rõ")), ("true", _("Có")), ("false", _("Không"))]


class DateFieldsMixin:
    """Dates listed in ``date_fields`` are typed and shown as dd/mm/yyyy.

    The forms only check their fields: the service that writes runs the model's full_clean()
    (CCCD consistency, constraints), and the page puts its errors back on these fields.
    """

    date_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.date_fields:
            field = self.fields[name]
            field.input_formats = DATE_INPUT_FORMATS
            field.widget.format = "%d/%m/%Y"
            field.widget.attrs["placeholder"] = "dd/mm/yyyy"


class RecordForm(DateFieldsMixin, ServiceForm):
    """Base of the forms that add a record to a person."""


class PersonForm(DateFieldsMixin, VersionedServiceForm):
    """Create or edit a person; the hidden version detects a concurrent edit."""

    date_fields = ("date_of_birth",)

    class Meta:
        model = Person
        fields = ["full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation", "ethnicity",
                  "education", "stable_residence", "prior_criminal", "prior_administrative", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}),
                   **{name: YesNoUnknownSelect() for name in ("stable_residence", "prior_criminal", "prior_administrative")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["khom"].queryset = self.fields["khom"].queryset.select_related("ward")

    def clean_cccd(self):
        return (self.cleaned_data.get("cccd") or "").strip() or None

    def clean_full_name(self):
        return " ".join((self.cleaned_data.get("full_name") or "").split())


class EpisodeForm(RecordForm):
    date_fields = ("decision_date", "started_on", "planned_end")

    class Meta:
        model = Episode
        fields = ["kind", "decision_number", "decision_date", "decision_signer", "started_on", "planned_end", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"planned_end": _("Để trống để tính theo thời hạn mặc định của loại đợt quản lý.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = self.fields["kind"].queryset.filter(is_active=True)


class EpisodeCloseForm(RecordForm):
    date_fields = ("actual_end",)

    class Meta:
        model = Episode
        fields = ["actual_end", "end_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual_end"].required = True
        self.fields["end_reason"].required = True


class EpisodeRestartForm(RecordForm):
    """The new decision after a new use during the term (issue 18 §2): the term starts again on its start."""

    date_fields = ("decision_date", "started_on")

    class Meta:
        model = Episode
        fields = ["decision_number", "decision_date", "decision_signer", "started_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"started_on": _("Ngày quyết định mới có hiệu lực: đợt đang mở kết thúc ngày này và "
                                      "thời hạn mới tính lại từ đầu.")}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)  # a new decision: nothing of the open episode is copied into it
        self.episode = instance
        self.fields["started_on"].required = True


class ResidenceMoveNotifyForm(RecordForm):
    """The day the police were told of a move (Law 120/2025: within 24 hours)."""

    date_fields = ("notified_on",)

    class Meta:
        model = ResidenceMove
        fields = ["notified_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notified_on"].required = True


class DrugTestForm(RecordForm):
    date_fields = ("tested_on",)

    class Meta:
        model = DrugTest
        fields = ["tested_on", "sample_type", "result", "substances", "tested_by", "episode", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].queryset = self.fields["episode"].queryset.select_related("kind").filter(person=person)


MOVE_NEEDS_ADDRESS = _("Nhập địa chỉ mới của người này trong phường.")


class ResidenceMoveForm(RecordForm):
    """A move; within or into the ward it asks for the new address, which becomes the person's address."""

    date_fields = ("moved_on", "notified_on")

    class Meta:
        model = ResidenceMove
        fields = ["kind", "moved_on", "to_khom", "new_address", "other_place", "notified_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"new_address": _("Số nhà, đường nơi ở mới (chuyển trong phường hoặc chuyển đến); "
                                       "ghi thay địa chỉ trong hồ sơ.")}

    def clean(self):
        cleaned = super().clean()
        address = " ".join((cleaned.get("new_address") or "").split())
        cleaned["new_address"] = address
        if cleaned.get("kind") in (MoveKind.WITHIN_WARD, MoveKind.MOVE_IN) and not address:
            self.add_error("new_address", MOVE_NEEDS_ADDRESS)
        return cleaned


class SupportRecordForm(RecordForm):
    date_fields = ("given_on",)

    class Meta:
        model = SupportRecord
        fields = ["kind", "given_on", "provider", "outcome", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
