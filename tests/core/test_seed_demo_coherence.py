"""The demo reads like a real ward: no one managed bears an official's name, nothing is dated after now."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel
from apps.cases.models import Case
from apps.khom.models import Khom
from apps.reports.models import Report
from apps.subjects.demo import official_names
from apps.subjects.models import DrugTest, Person


@pytest.mark.django_db
def test_the_demo_gives_no_person_under_management_an_officials_name_and_dates_nothing_after_now():
    call_command("seed_demo")
    officials = {user.last_name for user in User.objects.all()} | set(Khom.objects.values_list("head_name", flat=True))
    assert officials <= official_names() | {"Hệ thống", "Công an tỉnh", ""}
    assert not Person.objects.filter(full_name__in=officials - {""}).exists()
    assert Person.objects.filter(full_name="Đoàn Văn Đức").exists()  # the folded search's example
    today, now = timezone.localdate(), timezone.now()
    assert not Activity.objects.filter(held_on__gt=today).exists()
    assert not CommitmentSigning.objects.filter(signed_on__gt=today).exists()
    assert not ReintegrationModel.objects.filter(started_on__gt=today).exists()
    assert not DrugTest.objects.filter(tested_on__gt=today).exists()
    assert not Case.objects.filter(detected_on__gt=today).exists()
    assert not Report.objects.filter(submitted_at__gt=now).exists()
    assert Report.objects.exists() and Activity.objects.exists()
