"""Sane bounds on every date a person types (issue 14): one set of validators, on the models, so every path refuses.

Birth dates from 01/01/1900 and not in the future; dates of facts and plans 2000–2100; report periods
and the years of assessments, recognitions and targets inside the programme (2025–2030).
"""
import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from apps.core import validators
from apps.core.validators import (BIRTH_DATE_FUTURE, BIRTH_DATE_TOO_EARLY, DATE_TOO_LATE, EVENT_DATE_TOO_EARLY,
                                  OUTSIDE_PROGRAMME, YEAR_OUTSIDE_PROGRAMME)
from apps.criteria.choices import CriteriaScope
from apps.criteria.services import assessment_create
from apps.imports.engine import run_import
from apps.reports.models import Report
from apps.subjects.models import DrugTest, Episode, Person
from tests.factories.criteria import seeded_set
from tests.factories.imports import person_row, persons_xlsx, xlsx
from tests.factories.subjects import PersonFactory, seeded_kind

BOUNDS = (validators.validate_birth_date, validators.validate_event_date, validators.validate_fact_date,
          validators.validate_programme_date, validators.validate_programme_year)


def refused(validator, value):
    with pytest.raises(ValidationError) as exc:
        validator(value)
    return exc.value.messages


# The validators at their edges -------------------------------------------------------------------
@pytest.mark.parametrize("day, message", [
    (dt.date(1899, 12, 31), BIRTH_DATE_TOO_EARLY), (dt.date(1, 1, 1), BIRTH_DATE_TOO_EARLY),
    (dt.date.today() + dt.timedelta(days=1), BIRTH_DATE_FUTURE), (dt.date(9999, 12, 31), BIRTH_DATE_FUTURE)])
def test_a_birth_date_before_1900_or_after_today_is_refused(day, message):
    assert refused(validators.validate_birth_date, day) == [str(message)]


def test_a_birth_date_from_1900_to_today_is_accepted():
    validators.validate_birth_date(dt.date(1900, 1, 1))
    validators.validate_birth_date(dt.date.today())


@pytest.mark.parametrize("day, message", [
    (dt.date(1999, 12, 31), EVENT_DATE_TOO_EARLY), (dt.date(1, 1, 1), EVENT_DATE_TOO_EARLY),
    (dt.date(2101, 1, 1), DATE_TOO_LATE), (dt.date(9999, 12, 31), DATE_TOO_LATE)])
def test_an_event_date_outside_2000_to_2100_is_refused(day, message):
    assert refused(validators.validate_event_date, day) == [str(message)]


def test_an_event_date_may_lie_ahead_for_plans_and_deadlines():
    validators.validate_event_date(dt.date(2000, 1, 1))
    validators.validate_event_date(dt.date(2100, 12, 31))


@pytest.mark.parametrize("day", [dt.date(2024, 11, 30), dt.date(2031, 1, 1), dt.date(1, 1, 1), dt.date(9999, 12, 1)])
def test_a_period_outside_the_programme_years_is_refused(day):
    assert refused(validators.validate_programme_date, day) == [str(OUTSIDE_PROGRAMME)]


def test_a_period_may_start_on_15_12_2024_the_first_day_of_the_states_year_2025():
    from apps.core.periods import Period

    validators.validate_programme_date(Period.of("year", 2025, start_day=15).start)
    validators.validate_programme_date(dt.date(2030, 12, 31))


@pytest.mark.parametrize("year", [2024, 2031, 0, 32767])
def test_a_year_outside_the_programme_is_refused(year):
    assert refused(validators.validate_programme_year, year) == [str(YEAR_OUTSIDE_PROGRAMME)]


# Every typed date has its bound --------------------------------------------------------------
def project_date_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                yield model, field


def test_every_date_a_person_types_is_bounded_on_the_model():
    unbounded = [f"{model._meta.label}.{field.name}" for model, field in project_date_fields()
                 if field.editable and not any(validator in BOUNDS for validator in field.validators)]
    assert unbounded == []


@pytest.mark.django_db
def test_the_demo_data_and_the_seeded_rows_stay_inside_the_bounds():
    call_command("seed_demo", stdout=io.StringIO())
    outside = []
    for model in {model for model, _field in project_date_fields()} | {apps.get_model("criteria", "Assessment")}:
        bounded = [f for f in model._meta.concrete_fields if any(v in BOUNDS for v in f.validators)]
        for row in model._default_manager.all().iterator():
            for field in bounded:
                try:
                    field.run_validators(getattr(row, field.attname))
                except ValidationError:
                    outside.append(f"{model._meta.label} {row.pk} {field.name}={getattr(row, field.attname)}")
    assert outside == []


# The bounds reach every path: pages, services, imports, the admin ------------------------------------
@pytest.mark.django_db
def test_the_person_form_refuses_a_birth_date_before_1900(client_for, police, khom):
    response = client_for(police).post(reverse("subjects:create"), {
        "full_name": "Cụ Già", "gender": "male", "date_of_birth": "31/12/1899", "cccd": "", "khom": khom.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [str(BIRTH_DATE_TOO_EARLY)]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_test_form_refuses_a_date_before_2000(client_for, police, khom):
    person = PersonFactory(khom=khom)
    response = client_for(police).post(reverse("subjects:test_create", args=[person.pk]), {
        "tested_on": "31/12/1999", "sample_type": "urine", "result": "negative"})
    assert response.status_code == 200
    assert str(EVENT_DATE_TOO_EARLY) in response.content.decode()
    assert not DrugTest.objects.exists()


@pytest.mark.django_db
def test_the_import_refuses_the_same_dates_with_the_same_words(police, khom):
    outcome = run_import(kind="persons", data=persons_xlsx([person_row(**{"Ngày sinh": "01/01/1800"})]),
                         file_name="ds.xlsx", user=police, dry_run=False)
    assert [(p.column, p.message) for p in outcome.errors] == [("Ngày sinh", str(BIRTH_DATE_TOO_EARLY))]
    PersonFactory(khom=khom, cccd="089092123456", date_of_birth=dt.date(1992, 3, 15))
    data = xlsx(["Số CCCD", "Ngày xét nghiệm", "Kết quả"], [["089092123456", "31/12/1999", "Âm tính"]])
    outcome = run_import(kind="tests", data=data, file_name="xn.xlsx", user=police, dry_run=False)
    assert [(p.column, p.message) for p in outcome.errors] == [("Ngày xét nghiệm", str(EVENT_DATE_TOO_EARLY))]
    assert not DrugTest.objects.exists() and Person.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_an_episode_starting_in_year_9999_instead_of_failing(client_for, admin_user, khom):
    # Its default term (12 months) used to run past the calendar on save: a 500.
    person = PersonFactory(khom=khom)
    response = client_for(admin_user).post(reverse("admin:subjects_episode_add"), {
        "person": person.pk, "kind": seeded_kind("illegal_user").pk, "started_on": "01/12/9999",
        "decision_number": "", "decision_date": "", "decision_signer": "", "planned_end": "", "actual_end": "",
        "end_reason": "", "notes": ""})
    assert response.status_code == 200
    # A start is a fact (issue 18 §4): refused as lying ahead, before any term is computed on it.
    assert response.context["adminform"].form.errors["started_on"] == [str(validators.FACT_DATE_FUTURE)]
    assert not Episode.objects.exists()


@pytest.mark.django_db
def test_an_assessment_outside_the_programme_years_is_refused_by_the_service(leader, khom):
    with pytest.raises(ValidationError) as exc:
        assessment_create(user=leader, data={"criteria_set": seeded_set(CriteriaScope.KHOM), "year": 2031, "khom": khom})
    assert exc.value.message_dict["year"] == [str(YEAR_OUTSIDE_PROGRAMME)]


# Report periods at the calendar's edges ---------------------------------------------------------------
def report_form(ward, start, **overrides):
    # The report form offers periods to choose (issue 16): a first day is sent as "kind:yyyy-mm-dd".
    return {"ward": ward.pk, "period": f"month:{start}", "summary": "Đã gõ", "next_steps": "",
            "signer_title": "CHỦ TỊCH", "signer_name": "", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["9999-12-15", "0001-01-15", "2024-11-15", "2031-01-15", "99999-01-01", "x"])
def test_a_report_period_outside_the_programme_is_refused_and_nothing_is_written(client_for, leader, ward, start):
    from apps.reports.forms import PERIOD_NOT_OFFERED

    response = client_for(leader).post(reverse("reports:create"), report_form(ward, start))
    assert response.status_code == 200
    assert response.context["form"].errors["period"] == [str(PERIOD_NOT_OFFERED)]
    assert "Đã gõ" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("start", [dt.date(2031, 1, 15), dt.date(2024, 11, 15)])
def test_a_report_period_outside_the_programme_is_refused_by_the_service(leader, ward, start):
    from apps.reports.services import report_create

    with pytest.raises(ValidationError) as exc:
        report_create(user=leader, data={"ward": ward, "period_kind": "month", "period_start": start})
    assert str(OUTSIDE_PROGRAMME) in exc.value.message_dict["period_start"]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_period_in_year_9999_is_refused_by_the_model_without_a_last_day(ward):
    report = Report(ward=ward, period_kind="year", period_start=dt.date(9999, 1, 1), due_on=dt.date(2026, 1, 7),
                    editable_until=dt.date(2026, 1, 17))
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert exc.value.message_dict["period_start"] == [str(OUTSIDE_PROGRAMME)]
    assert "period_end" not in exc.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-01", "2031-01-01"])
def test_the_province_workbook_refuses_a_period_outside_the_programme(client_for, leader, start):
    response = client_for(leader).get(reverse("reports:province_export"), {"kind": "month", "start": start})
    assert response.status_code == 400
    assert str(OUTSIDE_PROGRAMME) in response.content.decode()
