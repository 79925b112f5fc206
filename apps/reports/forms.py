"""Forms of the reports pages: a new report, and the texts of a draft."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import PeriodKind
from apps.core.forms import BootstrapForm, VersionedServiceForm
from apps.core.periods import Period, is_period_start
from apps.core.validators import validate_programme_date

from .models import Report

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
# The province's usual rhythm: send within a week of the period's end, corrections for ten more days.
DEFAULT_DUE_DAYS = 7
DEFAULT_EDITABLE_DAYS = 10


def default_period(kind: str = PeriodKind.QUARTER, today: dt.date | None = None) -> Period:
    """The last completed period of *kind*: the one a ward reports on now."""
    return Period.containing(kind, today or timezone.localdate()).previous


class ReportForm(VersionedServiceForm):
    """A report's period and dates (new reports) and its texts (drafts)."""

    class Meta:
        model = Report
        fields = ["ward", "period_kind", "period_start", "due_on", "editable_until",
                  "summary", "next_steps", "signer_title", "signer_name"]
        widgets = {
            "period_start": DATE_WIDGET, "due_on": DATE_WIDGET, "editable_until": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 5}), "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if self.instance.pk:
            # The ward and the period are the report's identity: fixed once it exists.
            for name in ("ward", "period_kind", "period_start"):
                del self.fields[name]
        else:
            period = default_period()
            due = period.end + dt.timedelta(days=DEFAULT_DUE_DAYS)
            self.fields["period_start"].initial = period.start
            self.fields["due_on"].initial = due
            self.fields["editable_until"].initial = due + dt.timedelta(days=DEFAULT_EDITABLE_DAYS)
            if user is not None and len(user.scope_ward_ids) == 1:
                self.fields["ward"].initial = next(iter(user.scope_ward_ids))


class ProvincePeriodForm(BootstrapForm):
    """The period of the province-wide workbook."""

    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                            validators=[validate_programme_date])

    def clean(self):
        from .models import PERIOD_NOT_CALENDAR

        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("start") and not is_period_start(cleaned["kind"], cleaned["start"]):
            self.add_error("start", PERIOD_NOT_CALENDAR)
        return cleaned

    @property
    def period(self) -> Period:
        return Period.starting(self.cleaned_data["kind"], self.cleaned_data["start"])
