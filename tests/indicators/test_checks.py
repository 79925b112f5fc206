"""The system checks: a code named by a report, the dashboard, the roadmap or a criterion must be registered."""
import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from apps.criteria.checks import UNREGISTERED_CRITERION_CODE, check_criterion_codes
from apps.criteria.models import Criterion
from apps.indicators import registry
from apps.indicators.checks import UNREGISTERED_CODE, check_referenced_codes


@pytest.fixture
def typo():
    """A module naming a code nobody registers, as a typo in a report's rows would."""
    registry.uses("tests.indicators.typo", ["persons_managed", "persons_manged"])
    yield
    registry.REFERENCES.pop("tests.indicators.typo")


def test_every_code_the_reports_the_dashboard_and_the_roadmap_name_is_registered():
    assert {"apps.reports.figures", "apps.reports.dashboard", "apps.criteria.selectors"} <= set(registry.REFERENCES)
    assert check_referenced_codes() == []
    assert checks.run_checks(tags=["indicators"]) == []


def test_the_check_fails_on_a_code_no_app_registers(typo):
    errors = check_referenced_codes()
    assert [(e.id, e.level, e.obj) for e in errors] == [(UNREGISTERED_CODE, checks.ERROR, "tests.indicators.typo")]
    assert "persons_manged" in errors[0].msg


def test_manage_py_check_stops_on_a_code_no_app_registers(typo):
    with pytest.raises(SystemCheckError, match="indicators.E001"):
        call_command("check")


@pytest.mark.django_db
def test_the_deployment_check_fails_on_a_criterion_row_holding_an_unregistered_code():
    assert check_criterion_codes() == []  # the seeded criteria sets read registered codes
    criterion = Criterion.objects.exclude(indicator="").order_by("pk").first()
    # A renamed indicator leaves its old code in the rows: the admin form would refuse it, an update does not.
    Criterion.objects.filter(pk=criterion.pk).update(indicator="users_addicts_old")
    errors = check_criterion_codes()
    assert [(e.id, e.level) for e in errors] == [(UNREGISTERED_CRITERION_CODE, checks.ERROR)]
    assert "users_addicts_old" in errors[0].msg and criterion.criteria_set.code in errors[0].msg
    deploy = checks.run_checks(tags=["indicators"], include_deployment_checks=True)
    assert UNREGISTERED_CRITERION_CODE in {e.id for e in deploy}
    assert UNREGISTERED_CRITERION_CODE not in {e.id for e in checks.run_checks(tags=["indicators"])}
