"""Database invariants and scoping of the activities models."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel
from apps.core.audit import ward_id_of
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory, ReintegrationModelFactory


def test_the_database_refuses_more_signed_households_than_total(khom):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentSigning.objects.create(khom=khom, signed_on=dt.date(2025, 4, 1), households_signed=501,
                                         households_total=500)


def test_the_database_refuses_two_signings_of_one_khom_on_one_day(khom):
    CommitmentSigningFactory(khom=khom, signed_on=dt.date(2025, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentSigningFactory(khom=khom, signed_on=dt.date(2025, 4, 1))


def test_the_database_refuses_a_model_ending_before_it_starts(khom):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReintegrationModelFactory(khom=khom, started_on=dt.date(2025, 5, 1), ended_on=dt.date(2025, 4, 1))


@pytest.mark.parametrize("factory,model", [
    (ActivityFactory, Activity), (CommitmentSigningFactory, CommitmentSigning),
    (ReintegrationModelFactory, ReintegrationModel),
])
def test_scope_admin_all_ward_staff_their_ward_khom_officer_his_khom_province_nothing(
        factory, model, admin_user, leader, police, khom_officer, province, khom, khom2, other_khom):
    mine, same_ward, elsewhere = factory(khom=khom), factory(khom=khom2), factory(khom=other_khom)
    assert set(model.objects.for_user(admin_user)) == {mine, same_ward, elsewhere}
    assert set(model.objects.for_user(leader)) == {mine, same_ward}
    assert set(model.objects.for_user(police)) == {mine, same_ward}
    assert set(model.objects.for_user(khom_officer)) == {mine}
    assert not model.objects.for_user(province).exists()


def test_records_report_their_ward_to_the_audit_log(khom):
    assert ward_id_of(ActivityFactory(khom=khom)) == khom.ward_id
    assert ward_id_of(CommitmentSigningFactory(khom=khom)) == khom.ward_id
    assert ward_id_of(ReintegrationModelFactory(khom=khom)) == khom.ward_id


@pytest.mark.django_db
@pytest.mark.parametrize("signed, total, percent", [(1, 16, 6.3), (3, 2000, 0.2), (470, 500, 94.0), (0, 500, 0.0)])
def test_the_share_of_households_signed_is_rounded_half_up_to_one_decimal(khom, signed, total, percent):
    # 6.25 → 6.3 and 0.15 → 0.2, as the registry's commitment_percent rounds them (not 6.2 and 0.1).
    signing = CommitmentSigning(khom=khom, signed_on=dt.date(2025, 4, 15), households_signed=signed,
                                households_total=total)
    assert signing.percent == percent
