"""seed_province: An Giang's 102 official units from the project's own copy of the national list."""
import csv
import functools
import importlib
import io
from collections import Counter

import pytest
from django.apps import apps as live_apps
from django.core.management import CommandError, call_command

from apps.khom.bench import bench_ward_code
from apps.khom import units
from apps.khom.choices import WardKind
from apps.khom.models import Khom, Ward
from tests.factories.khom import KhomFactory

pytestmark = pytest.mark.django_db

# Written out here rather than imported, so that a wrong mapping in the code cannot pass.
KIND_OF = {"xã": WardKind.XA, "phường": WardKind.PHUONG, "đặc khu": WardKind.DAC_KHU}


def csv_rows():
    with open(units.UNITS_CSV, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_province():
    out = io.StringIO()
    call_command("seed_province", stdout=out)
    return out.getvalue()


def official_wards():
    return {w.code: w for w in Ward.objects.filter(code__in=[r["code"] for r in csv_rows()])}


def test_the_project_holds_its_own_copy_of_the_list(settings):
    assert units.UNITS_CSV.is_file()
    assert units.UNITS_CSV.relative_to(settings.BASE_DIR).as_posix() == "apps/khom/data/an_giang_communes_2025.csv"
    assert len(csv_rows()) == 102


def test_after_seed_province_the_102_units_equal_the_list():
    output = seed_province()
    wards = official_wards()
    rows = csv_rows()
    assert len(wards) == len(rows) == 102
    for row in rows:
        ward = wards[row["code"]]
        assert ward.kind == KIND_OF[row["kind"]], row
        assert ward.full_name == row["name"], row
        assert row["name"].endswith(" " + ward.name) and ward.province == "An Giang" and ward.province_code == "91"
    assert Counter(w.kind for w in wards.values()) == {WardKind.XA: 85, WardKind.PHUONG: 14, WardKind.DAC_KHU: 3}
    assert "102 (102 new, 0 updated, 0 unchanged)" in output


def test_phuong_my_thoi_is_30301():
    seed_province()
    ward = Ward.objects.get(code="30301")
    assert (ward.name, ward.kind, ward.full_name) == ("Mỹ Thới", WardKind.PHUONG, "Phường Mỹ Thới")


def test_seed_province_is_idempotent():
    seed_province()
    before = list(Ward.objects.order_by("code").values_list("pk", "code", "name", "kind", "updated_at"))
    output = seed_province()
    assert list(Ward.objects.order_by("code").values_list("pk", "code", "name", "kind", "updated_at")) == before
    assert "(0 new, 0 updated, 102 unchanged)" in output


def test_seed_province_corrects_a_units_name_and_kind_but_never_touches_its_data_or_khom(ward):
    existing = Ward.objects.create(code="30301", name="My Thoi cu", kind=WardKind.XA, population=38512,
                                   is_illustrative=True)
    khom = KhomFactory(ward=existing, code="K01", name="Khóm Đông Thạnh", population=2000)
    output = seed_province()
    existing.refresh_from_db()
    assert (existing.name, existing.kind) == ("Mỹ Thới", WardKind.PHUONG)
    assert (existing.population, existing.is_illustrative) == (38512, True)
    assert list(Khom.objects.filter(ward=existing)) == [khom]
    assert Khom.objects.get(pk=khom.pk).name == "Khóm Đông Thạnh"
    assert Ward.objects.filter(pk=ward.pk, name="Phường A").exists()  # a ward outside the list stays as it was
    assert Ward.objects.count() == 103
    assert "(101 new, 1 updated, 0 unchanged)" in output


GOOD_LINE = "30292,Phường Bình Đức,phường\n"


@pytest.mark.parametrize("content,message", [
    ("code,name\n30301,Phường Mỹ Thới\n", units.UNITS_MISSING_COLUMNS),
    ("code,name,kind\n" + GOOD_LINE + "3030,Phường Mỹ Thới,phường\n",
     units.UNIT_BAD_CODE % {"line": 3, "code": "3030"}),
    ("code,name,kind\n" + GOOD_LINE + "30292,Xã Mỹ Hòa Hưng,xã\n",
     units.UNIT_DUPLICATE_CODE % {"line": 3, "code": "30292"}),
    ("code,name,kind\n" + GOOD_LINE + "30301,Phường Mỹ Thới,thị trấn\n",
     units.UNIT_UNKNOWN_KIND % {"line": 3, "kind": "thị trấn"}),
    ("code,name,kind\n" + GOOD_LINE + "30301,Mỹ Thới,phường\n",
     units.UNIT_NAME_WITHOUT_KIND % {"line": 3, "name": "Mỹ Thới", "kind": "phường"}),
])
def test_a_bad_list_is_refused_line_by_line_and_nothing_is_written(tmp_path, content, message):
    bad = tmp_path / "units.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(units.InvalidUnitList) as refused:
        units.seed_province(path=bad)
    assert [str(e) for e in refused.value.errors] == [str(message)]
    assert not Ward.objects.exists()


def test_the_command_reports_a_bad_list_and_exits_with_an_error(tmp_path, monkeypatch):
    from apps.khom.management.commands import seed_province as command

    bad = tmp_path / "units.csv"
    bad.write_text("code,name,kind\n30301,Phường Mỹ Thới,thị trấn\n", encoding="utf-8")
    monkeypatch.setattr(command, "seed_province", functools.partial(units.seed_province, path=bad))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("seed_province", stderr=err)
    assert str(units.UNIT_UNKNOWN_KIND % {"line": 2, "kind": "thị trấn"}) in err.getvalue()
    assert not Ward.objects.exists()


def test_bench_ward_codes_can_never_be_official_codes():
    official = {row["code"] for row in csv_rows()}
    assert all(code.isdigit() and len(code) == 5 for code in official)
    assert not any(bench_ward_code(n) in official or bench_ward_code(n).isdigit() for n in range(1, 1000))


def test_the_migration_gives_the_old_demo_mỹ_thới_its_official_code_in_place():
    migration = importlib.import_module("apps.khom.migrations.0003_demo_ward_official_code")
    old = Ward.objects.create(code="AG-MT", name="Mỹ Thới", population=38512)
    migration.rename_demo_ward(live_apps, None)
    old.refresh_from_db()
    assert old.code == "30301"
    seed_province()
    assert Ward.objects.filter(name="Mỹ Thới").count() == 1
    assert Ward.objects.get(name="Mỹ Thới").pk == old.pk


def test_the_migration_leaves_both_alone_when_30301_already_exists():
    migration = importlib.import_module("apps.khom.migrations.0003_demo_ward_official_code")
    Ward.objects.create(code="30301", name="Mỹ Thới")
    Ward.objects.create(code="AG-MT", name="Mỹ Thới")
    migration.rename_demo_ward(live_apps, None)
    assert set(Ward.objects.values_list("code", flat=True)) == {"30301", "AG-MT"}
