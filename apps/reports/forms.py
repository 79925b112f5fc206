"""Forms of the reports pages: a new report (its period chosen among the convention's), a draft's texts,
a reporting round, and the province's comments when it returns or reopens a report."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ConventionCode, PeriodKind
from apps.core.forms import BootstrapForm, ServiceForm, VersionedServiceForm
from apps.core.periods import Period, is_period_start
from apps.core.validators import validate_programme_date

from .models import Report, ReportingRound
from .services import COMMENT_MAX_LENGTH, default_due_dates

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
# How many periods of each kind a form offers: the current one and those before it.
PERIODS_OFFERED = {PeriodKind.MONTH: 13, PeriodKind.QUARTER: 6, PeriodKind.HALF_YEAR: 3, PeriodKind.NINE_MONTHS: 2,
                   PeriodKind.YEAR: 3}
PERIOD_NOT_OFFERED = _("Chọn một kỳ báo cáo trong danh sách.")


def convention():
    from apps.core.models import PeriodConvention

    return PeriodConvention.get(ConventionCode.DRUG_REPORT)


def _current(conv, kind, today):
    try:
        return conv.containing(kind, today)
    except ValueError:  # "9 tháng" after its ninth month: the latest one is this year's
        period = conv.period(kind, conv.year_of(today))
        return period if period.start <= today else period.previous


def offered_periods(today: dt.date | None = None, conv=None) -> list[Period]:
    """The periods a report or a round may be opened for, under the drug reports' convention, newest first by kind."""
    today = today or timezone.localdate()
    conv = conv or convention()
    order = [k.value for k in PeriodKind]
    periods = []
    for kind in sorted(conv.kinds, key=order.index):
        period = _current(conv, kind, today)
        for _index in range(PERIODS_OFFERED.get(kind, 1)):
            periods.append(period)
            period = period.previous
    return periods


def period_key(period: Period) -> str:
    return f"{period.kind}:{period.start.isoformat()}"


def default_period(kind: str = PeriodKind.QUARTER, today: dt.date | None = None) -> Period:
    """The last completed period of *kind* under the drug reports' convention: the one a ward reports on now."""
    return _current(convention(), kind, today or timezone.localdate()).previous


def next_period_without_report(ward_ids, kind: str = PeriodKind.QUARTER, today: dt.date | None = None) -> Period:
    """The period after the latest report of *kind* of these wards, else the last completed one."""
    today = today or timezone.localdate()
    fallback = default_period(kind, today)
    latest = (Report.objects.filter(ward__in=ward_ids, period_kind=kind).order_by("-period_start")
              .values_list("period_start", "period_start_day").first()) if ward_ids else None
    if latest is None:
        return fallback
    start, start_day = latest
    reported = Period.starting(kind, start, start_day=start_day)
    following = _current(convention(), kind, reported.end + dt.timedelta(days=1))
    # Never a period that has not begun yet.
    return following if following.start <= today else fallback


class PeriodChoiceMixin:
    """A ``period`` choice among the convention's periods, each labelled with its days, read back as kind and start."""

    def add_period_field(self, initial: Period | None, taken=()):
        periods = offered_periods()
        if initial is not None and initial not in periods:
            periods.insert(0, initial)
        self._periods = {period_key(p): p for p in periods}
        self.fields["period"] = forms.ChoiceField(
            label=_("Kỳ báo cáo"), choices=[(key, p.label) for key, p in self._periods.items()],
            initial=period_key(initial) if initial is not None else None,
            help_text=_("Ngày đầu và ngày cuối kỳ theo quy ước kỳ báo cáo (số liệu từ ngày 15 tháng trước đến ngày 14)."),
            error_messages={"invalid_choice": PERIOD_NOT_OFFERED}, widget=forms.Select(attrs={"class": "form-select"}))
        self.fields = {"period": self.fields.pop("period"), **self.fields}

    def clean_period(self):
        period = self._periods.get(self.cleaned_data["period"])
        if period is None:
            raise forms.ValidationError(PERIOD_NOT_OFFERED)
        return period

    def period_data(self, data: dict) -> dict:
        period = data.pop("period", None)
        if period is not None:
            data["period_kind"], data["period_start"] = period.kind, period.start
        return data


class ReportForm(PeriodChoiceMixin, VersionedServiceForm):
    """A new report's ward and period, and a draft's texts; the due dates are the province's, not the ward's."""

    class Meta:
        model = Report
        fields = ["ward", "summary", "next_steps", "signer_title", "signer_name"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "next_steps": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if self.instance.pk:
            # The ward and the period are the report's identity: fixed once it exists.
            del self.fields["ward"]
        else:
            ward_ids = sorted(user.scope_ward_ids) if user is not None and not user.is_administrator else []
            if len(ward_ids) == 1:
                self.fields["ward"].initial = ward_ids[0]
            self.add_period_field(next_period_without_report(ward_ids[:1]))

    def service_data(self) -> dict:
        return self.period_data(super().service_data())


class RoundForm(PeriodChoiceMixin, ServiceForm):
    """A reporting round: its period, due dates and wards (all of the province's, or those chosen)."""

    class Meta:
        model = ReportingRound
        fields = ["due_on", "editable_until", "all_wards", "wards", "note"]
        widgets = {"due_on": DATE_WIDGET, "editable_until": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3}),
                   "wards": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(ReportingRound.objects.values_list("period_kind", "period_start"))
        period = default_period()
        for candidate in offered_periods():
            if candidate.kind == PeriodKind.QUARTER and candidate.end < timezone.localdate() and \
                    (candidate.kind, candidate.start) not in taken:
                period = candidate
                break
        self.add_period_field(period)
        due, editable = default_due_dates(period.end)
        self.fields["due_on"].initial = due
        self.fields["editable_until"].initial = editable
        self.fields["wards"].required = False
        for name in ("due_on", "editable_until"):
            self.fields[name].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]

    def clean(self):
        from .models import ROUND_WITHOUT_WARDS

        cleaned = super().clean()
        if not cleaned.get("all_wards") and not cleaned.get("wards"):
            self.add_error("wards", ROUND_WITHOUT_WARDS)
        return cleaned

    def service_data(self) -> dict:
        data = self.period_data(super().service_data())
        data["wards"] = list(data.get("wards") or ())
        return data


class CommentForm(BootstrapForm):
    """The province's comments on a report it returns, or its reason for reopening an accepted one."""

    comment = forms.CharField(label=_("Ý kiến"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class ProvincePeriodForm(BootstrapForm):
    """The period of the province-wide workbook."""

    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                            validators=[validate_programme_date])

    def clean(self):
        from .models import PERIOD_NOT_CALENDAR

        cleaned = super().clean()
        kind, start = cleaned.get("kind"), cleaned.get("start")
        if kind and start:
            # The convention's periods, or the calendar ones of reports made before conventions.
            days = [day for day in (convention().start_day, 1) if is_period_start(kind, start, start_day=day)]
            if not days:
                self.add_error("start", PERIOD_NOT_CALENDAR)
            else:
                cleaned["start_day"] = days[0]
        return cleaned

    @property
    def period(self) -> Period:
        return Period.starting(self.cleaned_data["kind"], self.cleaned_data["start"],
                               start_day=self.cleaned_data["start_day"])
