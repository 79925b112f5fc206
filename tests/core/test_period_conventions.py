"""Period conventions as data: the seeded drug-report and assessment conventions, and the nine-month kind."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.choices import ConventionCode, PeriodKind
from apps.core.models import PERIOD_CONVENTION_START_DAY, PeriodConvention
from apps.core.periods import Period

pytestmark = pytest.mark.django_db


def test_the_drug_report_convention_is_seeded_cut_on_the_15th_with_every_kind():
    convention = PeriodConvention.get(ConventionCode.DRUG_REPORT)
    assert convention.start_day == 15
    assert set(convention.kinds) == {"month", "quarter", "half_year", "nine_months", "year"}
    assert not convention.checked


def test_quarter_iv_2026_of_the_drug_reports_runs_from_15_september_to_14_december():
    period = PeriodConvention.get(ConventionCode.DRUG_REPORT).period(PeriodKind.QUARTER, 2026, 4)
    assert (period.start, period.end) == (dt.date(2026, 9, 15), dt.date(2026, 12, 14))
    assert period.label == "Quý IV/2026 (15/09–14/12/2026)"


@pytest.mark.parametrize("day, year", [
    (dt.date(2025, 12, 14), 2025), (dt.date(2025, 12, 15), 2026), (dt.date(2026, 1, 1), 2026),
])
def test_the_assessment_year_turns_on_15_december(day, year):
    assert PeriodConvention.get(ConventionCode.ASSESSMENT).year_of(day) == year


def test_an_administrator_edit_of_the_start_day_moves_every_period():
    convention = PeriodConvention.get(ConventionCode.DRUG_REPORT)
    convention.start_day = 1
    convention.save()
    period = PeriodConvention.get(ConventionCode.DRUG_REPORT).period(PeriodKind.QUARTER, 2026, 4)
    assert (period.start, period.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize("start_day", [0, 29, 31])
def test_a_start_day_that_some_month_lacks_is_refused(start_day):
    convention = PeriodConvention.get(ConventionCode.DRUG_REPORT)
    convention.start_day = start_day
    with pytest.raises(ValidationError) as error:
        convention.full_clean()
    assert "start_day" in error.value.message_dict or str(PERIOD_CONVENTION_START_DAY) in str(error.value)


def test_nine_months_runs_from_the_year_start_to_the_14th_of_september_and_its_previous_is_last_year():
    period = Period.of(PeriodKind.NINE_MONTHS, 2026, start_day=15)
    assert (period.start, period.end) == (dt.date(2025, 12, 15), dt.date(2026, 9, 14))
    assert period.label == "9 tháng đầu năm 2026 (15/12/2025–14/09/2026)"
    assert (period.previous.start, period.previous.end) == (dt.date(2024, 12, 15), dt.date(2025, 9, 14))
    assert Period.containing(PeriodKind.NINE_MONTHS, dt.date(2026, 9, 14), start_day=15) == period


def test_a_day_after_the_nine_months_is_in_no_nine_month_period():
    with pytest.raises(ValueError):
        Period.containing(PeriodKind.NINE_MONTHS, dt.date(2026, 9, 15), start_day=15)


def test_calendar_nine_months_is_january_to_september():
    period = Period.of(PeriodKind.NINE_MONTHS, 2026)
    assert (period.start, period.end, period.label) == (dt.date(2026, 1, 1), dt.date(2026, 9, 30), "9 tháng đầu năm 2026")
