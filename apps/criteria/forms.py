"""Forms of the criteria pages: they check the input, the services validate and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapForm, ServiceForm, VersionedServiceForm
from apps.core.validators import PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR

from .choices import CriteriaScope
from .models import ASSESSMENT_AREA, EVIDENCE_MAX_BYTES, Assessment, WardSelfAssessment

PASSED_CHOICES = [("", _("Chưa đánh giá")), ("yes", _("Đạt")), ("no", _("Không đạt"))]
DECISION_CHOICES = [("approve", _("Phê duyệt")), ("return", _("Trả lại để sửa"))]
VALID_UNTIL_BEFORE = _("Ngày hết hạn công nhận không được trước ngày quyết định.")


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy in a text field, as on every other form (a native picker shows the
    browser's own order, mm/dd/yyyy in an English browser)."""

    def __init__(self, **kwargs):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **kwargs.pop("attrs", {})}
        super().__init__(format="%d/%m/%Y", attrs=attrs, **kwargs)


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


# ---------------------------------------------------------------- the ward's self-assessment, targets
REVIEW_CHOICES = [("forward", _("Trình lãnh đạo UBND tỉnh phê duyệt")), ("return", _("Trả lại đơn vị để bổ sung"))]
PROVINCE_DECISION_CHOICES = [("recognise", _("Phê duyệt phân loại và công nhận không ma túy")),
                             ("refuse", _("Phê duyệt phân loại, không công nhận"))]
DECISION_FIELDS_MISSING = _("Khi công nhận phải ghi số quyết định, ngày quyết định và ngày hết hạn.")


class SelfAssessmentCreateForm(ServiceForm):
    """Open the unit's self-assessment for a year (the ward among those of the user's scope)."""

    class Meta:
        model = WardSelfAssessment
        fields = ["ward", "year", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import current_assessment_year

        self.fields["year"].initial = current_assessment_year()


class SelfAssessmentUpdateForm(VersionedServiceForm):
    class Meta:
        model = WardSelfAssessment
        fields = ["summary"]


class ReviewForm(VersionForm):
    decision = forms.ChoiceField(label=_("Kết quả thẩm định"), choices=REVIEW_CHOICES, widget=forms.RadioSelect)
    comments = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=5000)


class ProvinceDecisionForm(VersionForm):
    decision = forms.ChoiceField(label=_("Quyết định"), choices=PROVINCE_DECISION_CHOICES, widget=forms.RadioSelect)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput(), required=False)
    valid_until = forms.DateField(label=_("Có giá trị đến"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Lý do không công nhận"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "recognise":
            if not (data.get("decision_number") and data.get("decided_on") and data.get("valid_until")):
                self.add_error(None, DECISION_FIELDS_MISSING)
            elif data["valid_until"] < data["decided_on"]:
                self.add_error("valid_until", VALID_UNTIL_BEFORE)
        return data


class SelfRevokeForm(VersionForm):
    revoked_on = forms.DateField(label=_("Ngày thu hồi"), widget=DateInput())
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class TargetForm(BootstrapForm):
    """One year's target of one unit, set on or off (the province assigns it, the unit registers it)."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int,
                                  choices=[(y, str(y)) for y in range(PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR + 1)])
    value = forms.BooleanField(label=_("Có chỉ tiêu"), required=False)
