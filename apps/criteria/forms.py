"""Forms of the criteria pages: they check the input, the services validate and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapForm, ServiceForm

from .choices import CriteriaScope
from .models import ASSESSMENT_AREA, EVIDENCE_MAX_BYTES, Assessment

PASSED_CHOICES = [("", _("Chưa đánh giá")), ("yes", _("Đạt")), ("no", _("Không đạt"))]
DECISION_CHOICES = [("approve", _("Phê duyệt")), ("return", _("Trả lại để sửa"))]
VALID_UNTIL_BEFORE = _("Ngày hết hạn công nhận không được trước ngày quyết định.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AssessmentCreateForm(ServiceForm):
    """Open an assessment: a khóm set needs a khóm; a ward or hotspot set needs a ward."""

    class Meta:
        model = Assessment
        fields = ["criteria_set", "year", "khom", "ward"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].required = False
        self.fields["khom"].help_text = _("Chọn khóm nếu đánh giá theo bộ tiêu chí khóm.")
        self.fields["ward"].help_text = _("Chọn phường nếu đánh giá theo bộ tiêu chí phường hoặc phân loại địa bàn.")
        if self.user is not None and self.user.is_khom_officer:
            # His own khóm, the khóm set, the current period: the service refuses anything else.
            from .selectors import current_assessment_year

            year = current_assessment_year()
            self.fields["criteria_set"].queryset = self.fields["criteria_set"].queryset.filter(
                scope=CriteriaScope.KHOM).valid_in(year)
            self.fields["year"].initial = year
            del self.fields["ward"]

    def clean(self):
        data = super().clean()
        criteria_set, khom, ward = data.get("criteria_set"), data.get("khom"), data.get("ward")
        if criteria_set is None:
            return data
        if criteria_set.scope == CriteriaScope.KHOM:
            if khom is None:
                self.add_error("khom", ASSESSMENT_AREA)
            else:
                data["ward"] = khom.ward
        elif khom is not None or ward is None:
            self.add_error("ward", ASSESSMENT_AREA)
        return data


class ManualItemForm(BootstrapForm):
    """The judgement of one manual criterion: passed or not, a note, an optional evidence file."""

    passed = forms.ChoiceField(label=_("Kết quả"), choices=PASSED_CHOICES, required=False)
    note = forms.CharField(label=_("Nhận xét, căn cứ"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=5000)
    evidence = forms.FileField(
        label=_("Tệp minh chứng (PDF, JPG, PNG, tối đa 5 MB)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))

    def __init__(self, *args, item=None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {"passed": {True: "yes", False: "no"}.get(item.passed, ""), "note": item.note}
        super().__init__(*args, **kwargs)
        self.max_bytes = EVIDENCE_MAX_BYTES

    def clean_passed(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("passed"))


class VersionForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(label=_("Quyết định"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    comments = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=5000)


class RecognitionForm(BootstrapForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    valid_until = forms.DateField(label=_("Có giá trị đến"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("decided_on") and data.get("valid_until") and data["valid_until"] < data["decided_on"]:
            self.add_error("valid_until", VALID_UNTIL_BEFORE)
        return data


class RevokeForm(BootstrapForm):
    revoked_on = forms.DateField(label=_("Ngày thu hồi"), widget=DateInput())
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
