"""An Giang's official commune-level units, loaded from the project's own copy of the national list.

Source: Nghị quyết 1654/NQ-UBTVQH15 (16/6/2025) arranging An Giang's
commune-level units from 1/7/2025, as published in the national list of
administrative units: 102 units (85 xã, 14 phường, 3 đặc khu), province code
91. ``data/an_giang_communes_2025.csv`` holds, per unit, the official
statistical code, the name with its kind ("Phường Mỹ Thới"), the kind and the
merger note. The file is part of the project: nothing is read from outside it.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .choices import WardKind
from .models import Ward

UNITS_CSV = Path(__file__).resolve().parent / "data" / "an_giang_communes_2025.csv"
PROVINCE_NAME = "An Giang"
PROVINCE_CODE = "91"
# The kinds as the national list writes them.
KINDS = {"xã": WardKind.XA, "phường": WardKind.PHUONG, "đặc khu": WardKind.DAC_KHU}

UNITS_MISSING_COLUMNS = _("Danh sách đơn vị phải có các cột code, name, kind.")
UNIT_BAD_CODE = _("Dòng %(line)s: mã đơn vị “%(code)s” phải gồm đúng 5 chữ số.")
UNIT_DUPLICATE_CODE = _("Dòng %(line)s: mã đơn vị %(code)s đã có ở dòng trước.")
UNIT_UNKNOWN_KIND = _("Dòng %(line)s: loại đơn vị “%(kind)s” không phải xã, phường hay đặc khu.")
UNIT_NAME_WITHOUT_KIND = _("Dòng %(line)s: tên “%(name)s” không bắt đầu bằng loại đơn vị “%(kind)s”.")


class InvalidUnitList(ValueError):
    """The list of units cannot be loaded; ``errors`` says why, line by line."""

    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class OfficialUnit:
    """One row of the national list: ``name`` without its kind, ``official_name`` as written there."""

    code: str
    name: str
    kind: str
    official_name: str


def read_units(path: Path = UNITS_CSV) -> list[OfficialUnit]:
    """Every unit of the list at *path*, checked; InvalidUnitList naming each bad line otherwise."""
    errors, units, seen = [], [], set()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"code", "name", "kind"} <= set(reader.fieldnames or ()):
            raise InvalidUnitList([UNITS_MISSING_COLUMNS])
        for line, row in enumerate(reader, start=2):
            code, official_name, kind_text = (str(row.get(k) or "").strip() for k in ("code", "name", "kind"))
            kind = KINDS.get(kind_text.lower())
            if not (len(code) == 5 and code.isascii() and code.isdigit()):
                errors.append(UNIT_BAD_CODE % {"line": line, "code": code})
            elif code in seen:
                errors.append(UNIT_DUPLICATE_CODE % {"line": line, "code": code})
            seen.add(code)
            if kind is None:
                errors.append(UNIT_UNKNOWN_KIND % {"line": line, "kind": kind_text})
                continue
            prefix = f"{kind_text} "
            if not (official_name.lower().startswith(prefix.lower()) and official_name[len(prefix):].strip()):
                errors.append(UNIT_NAME_WITHOUT_KIND % {"line": line, "name": official_name, "kind": kind_text})
                continue
            units.append(OfficialUnit(code=code, name=official_name[len(prefix):].strip(), kind=kind,
                                      official_name=official_name))
    if errors:
        raise InvalidUnitList(errors)
    return units


def seed_province(*, path: Path = UNITS_CSV) -> dict:
    """Create or bring in line the province's units by official code; {"created", "updated", "unchanged"}.

    Only a unit's code, name, kind and province are written: its population,
    its khóm, its illustrative flag and everything recorded under it are never
    touched, so the command may run again on a live database.
    """
    units = read_units(path)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {w.code: w for w in Ward.objects.select_for_update().filter(code__in=[u.code for u in units])}
        for unit in units:
            wanted = {"name": unit.name, "kind": unit.kind, "province": PROVINCE_NAME, "province_code": PROVINCE_CODE}
            ward = existing.get(unit.code)
            if ward is None:
                ward = Ward(code=unit.code, **wanted)
                ward.full_clean()
                ward.save()
                counts["created"] += 1
                continue
            changed = [field for field, value in wanted.items() if getattr(ward, field) != value]
            if not changed:
                counts["unchanged"] += 1
                continue
            for field in changed:
                setattr(ward, field, wanted[field])
            ward.full_clean()
            ward.save(update_fields=[*changed, "updated_at"])
            counts["updated"] += 1
    return counts
