"""seed_bench: DESIGN §5 proportions per ward, deterministic, valid against the models' own rules."""
import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.accounts.models import User
from apps.cases.models import Case, CaseNumberCounter, Participant
from apps.accounts.bench import ADMINISTRATOR, PROVINCE_VIEWER
from apps.core.bench import CASES_PER_WARD, KHOMS_PER_WARD, PEOPLE_PER_WARD, TESTS_PER_WARD
from apps.core.models import AuditEvent
from apps.khom.models import Khom, Ward
from apps.subjects.models import DrugTest, Episode, Person

pytestmark = pytest.mark.django_db


def seed(wards=1, seed=7):
    call_command("seed_bench", wards=wards, seed=seed, stdout=open("/dev/null", "w"))


def fingerprint():
    """A digest of the people, tests and cases, independent of primary keys."""
    rows = [
        Person.objects.values_list("full_name", "cccd", "date_of_birth", "khom__code", "status__code",
                                   "next_test_due"),
        DrugTest.objects.values_list("person__cccd", "person__full_name", "tested_on", "result"),
        Case.objects.values_list("year", "number", "kind", "detected_on", "khom__code"),
    ]
    rows = [sorted(map(repr, query)) for query in rows]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class Rollback(Exception):
    """Raised to undo a seed inside the test's transaction (the audit log refuses DELETE)."""


def fingerprint_of_a_seed(seed_value):
    with pytest.raises(Rollback), transaction.atomic():
        seed(seed=seed_value)
        digest = fingerprint()
        raise Rollback
    return digest


def test_one_ward_has_the_province_proportions_divided_by_one_hundred():
    seed()
    ward = Ward.objects.get(code="BN001")
    assert Khom.objects.filter(ward=ward).count() == KHOMS_PER_WARD == 2000 // 100
    assert Person.objects.filter(khom__ward=ward).count() == PEOPLE_PER_WARD == 50000 // 100
    assert DrugTest.objects.filter(person__khom__ward=ward).count() == TESTS_PER_WARD == 150000 // 100
    assert Case.objects.filter(ward=ward).count() == CASES_PER_WARD == 10000 // 100
    assert Episode.objects.count() >= PEOPLE_PER_WARD
    assert Participant.objects.filter(case__ward=ward).count() >= CASES_PER_WARD


def test_names_carry_vietnamese_diacritics_and_search_text_is_folded():
    seed()
    names = list(Person.objects.values_list("full_name", "search_text"))
    with_marks = [name for name, _ in names if any(ord(ch) > 127 for ch in name)]
    assert len(with_marks) > PEOPLE_PER_WARD * 0.8
    assert all(text.isascii() for _, text in names)
    assert any(name.startswith("Nguyễn") for name, _ in names)


def test_derived_status_follows_the_open_episodes():
    seed()
    for person in Person.objects.prefetch_related("episodes__kind")[:100]:
        open_kinds = [e.kind for e in person.episodes.all() if e.actual_end is None]
        expected = max(open_kinds, key=lambda k: k.priority) if open_kinds else None
        assert person.status == expected


def test_sample_rows_pass_the_models_validation():
    seed()
    for model in (Person, Episode, DrugTest, Case, Participant):
        for row in model.objects.all()[:15]:
            row.full_clean()


def test_ward_users_have_their_role_group_and_scope():
    seed()
    ward = Ward.objects.get(code="BN001")
    police = User.objects.get(username="bn001_congan1")
    assert police.groups.filter(name="police").exists()
    assert police.scope_ward_ids == frozenset({ward.pk})
    officer = User.objects.get(username="bn001_k01")
    assert officer.scope_khom_ids == frozenset({Khom.objects.get(ward=ward, code="K01").pk})
    assert User.objects.get(username=PROVINCE_VIEWER).is_province
    assert User.objects.get(username=ADMINISTRATOR).is_administrator
    assert not police.has_usable_password()


def test_case_counters_continue_after_the_seeded_numbers():
    seed()
    for counter in CaseNumberCounter.objects.all():
        assert counter.last_number == Case.objects.filter(ward=counter.ward, year=counter.year).count()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    first = fingerprint_of_a_seed(7)
    assert Person.objects.count() == 0
    assert fingerprint_of_a_seed(7) == first
    assert fingerprint_of_a_seed(8) != first


def test_a_second_run_at_the_same_size_adds_nothing_and_is_audited():
    seed()
    seed()
    assert Person.objects.count() == PEOPLE_PER_WARD
    assert AuditEvent.objects.filter(object_type="seed_bench").count() == 2


def test_a_second_run_with_more_wards_tops_up_without_touching_the_first():
    seed(wards=1)
    first = set(Person.objects.values_list("pk", flat=True))
    seed(wards=2)
    assert Ward.objects.filter(code__startswith="BN").count() == 2
    assert first <= set(Person.objects.values_list("pk", flat=True))
    assert Person.objects.count() == 2 * PEOPLE_PER_WARD
