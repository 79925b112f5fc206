"""About 40 fictional cases (2024–2026) and a few hotspots in the demo ward, idempotently."""
import datetime as dt
import random
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.khom.models import Khom

from .choices import CaseHandling, CaseKind, HotspotKind, ParticipantOutcome, ParticipantRole, SeizedUnit
from .models import Case, CaseNumberCounter, Hotspot, Participant, SeizedItem

PLACES = ["Bờ kè sông Hậu", "Chợ Mỹ Thới", "Quán cà phê hẻm 5", "Nhà trọ gần bến đò", "Khu đất trống cuối hẻm",
          "Tiệm sửa xe ven quốc lộ 91", "Nhà riêng", "Bãi giữ xe khu công nghiệp", "Quán karaoke", "Bến đò Mỹ Thới"]
OUTSIDERS = ["Trần Văn Hải", "Lê Minh Tuấn", "Nguyễn Hoàng Sơn", "Phạm Quốc Việt", "Huỳnh Thanh Tùng",
             "Võ Văn Kiệt", "Đặng Minh Luân", "Bùi Văn Toàn", "Châu Văn Lộc", "Lâm Thị Hạnh"]
RESIDENCES = ["Long Xuyên", "Châu Đốc", "Thoại Sơn", "Chợ Mới", "Cần Thơ", "Thốt Nốt"]
# (kind, weight, typical substance, unit)
KINDS = [
    (CaseKind.ILLEGAL_USE, 12, "Methamphetamine (ma túy đá)", SeizedUnit.GRAM),
    (CaseKind.POSSESSION, 9, "Heroin", SeizedUnit.GRAM),
    (CaseKind.TRAFFICKING, 5, "Methamphetamine (ma túy đá)", SeizedUnit.GRAM),
    (CaseKind.TRANSPORT, 2, "Thuốc lắc (MDMA)", SeizedUnit.TABLET),
    (CaseKind.ORGANISING_USE, 3, "Ketamine", SeizedUnit.GRAM),
    (CaseKind.HARBOURING_USE, 2, "Methamphetamine (ma túy đá)", SeizedUnit.GRAM),
    (CaseKind.CULTIVATION, 2, "Cây cần sa", SeizedUnit.PLANT),
    (CaseKind.ART_256A, 3, "", ""),
    (CaseKind.OTHER, 2, "", ""),
]
HOTSPOTS = [
    ("K03", "Cuối hẻm 12, khu vực bờ kè", HotspotKind.GATHERING, dt.date(2024, 3, 4), dt.date(2024, 11, 20)),
    ("K07", "Quán cà phê võng ven quốc lộ 91", HotspotKind.ORGANISING_USE, dt.date(2025, 2, 10), dt.date(2025, 9, 30)),
    ("K12", "Dãy nhà trọ gần khu công nghiệp", HotspotKind.HARBOURING_USE, dt.date(2025, 8, 15), None),
    ("K16", "Bãi đất trống sau chợ Bình Đức", HotspotKind.SELLING, dt.date(2026, 4, 2), None),
]
CASES = 40


def _handling(rng, kind, detected_on, today):
    if (today - detected_on).days < 45:
        return CaseHandling.VERIFYING
    if kind in (CaseKind.TRAFFICKING, CaseKind.TRANSPORT, CaseKind.ORGANISING_USE, CaseKind.HARBOURING_USE,
                CaseKind.ART_256A):
        return CaseHandling.CRIMINAL
    return rng.choice([CaseHandling.ADMINISTRATIVE, CaseHandling.ADMINISTRATIVE, CaseHandling.TRANSFERRED])


def seed(context):
    from apps.subjects.models import Person

    ward = context["ward"]
    rng = random.Random(2025)  # fixed seed: the same demo data on every run
    today = timezone.localdate()
    khoms = list(Khom.objects.filter(ward=ward).order_by("code"))
    officer = User.objects.filter(username="congan", role=Role.POLICE).first()
    people = list(Person.objects.filter(khom__ward=ward).order_by("pk")[:60])
    kinds = [k for k in KINDS for _ in range(k[1])]
    # A fixed range, so that the same cases come out whatever day the seed runs; none lies in the future.
    start, end = dt.date(2024, 1, 5), dt.date(2026, 10, 31)
    dates = sorted(start + dt.timedelta(days=rng.randrange((end - start).days + 1)) for _ in range(CASES))
    dates = [day for day in dates if day <= today]
    per_year = {}
    for index, detected_on in enumerate(dates):
        kind, _weight, substance, unit = rng.choice(kinds)
        khom = rng.choice(khoms)
        per_year[detected_on.year] = per_year.get(detected_on.year, 0) + 1
        number = per_year[detected_on.year]
        cultivation = kind == CaseKind.CULTIVATION
        case, _ = Case.objects.update_or_create(
            ward=ward, year=detected_on.year, number=number,
            defaults={
                "khom": khom, "detected_on": detected_on, "kind": kind,
                "place": f"{rng.choice(PLACES)}, {khom.name}",
                "handling": _handling(rng, kind, detected_on, today),
                "summary": "Dữ liệu minh họa (hư cấu): tổ công tác Công an phường phát hiện, lập biên bản vụ việc.",
                "officer": officer, "created_by": officer,
                "plants_destroyed": rng.randrange(40, 400) if cultivation else None,
                "area_destroyed_m2": Decimal(rng.randrange(20, 200)) if cultivation else None,
            },
        )
        case.seized_items.all().delete()
        case.participants.all().delete()
        if substance:
            SeizedItem.objects.create(case=case, substance=substance, unit=unit,
                                      quantity=Decimal(rng.randrange(1, 80)) / (1 if cultivation else 10))
        names = []
        for position in range(rng.choice([1, 1, 2, 3])):
            role = ParticipantRole.SUSPECT if position == 0 else rng.choice(
                [ParticipantRole.ACCOMPLICE, ParticipantRole.USER, ParticipantRole.WITNESS])
            outcome = (ParticipantOutcome.PENDING if case.handling == CaseHandling.VERIFYING
                       else ParticipantOutcome.PROSECUTED if case.handling == CaseHandling.CRIMINAL
                       and role != ParticipantRole.WITNESS
                       else ParticipantOutcome.ADMINISTRATIVE_FINE if role != ParticipantRole.WITNESS
                       else ParticipantOutcome.NO_ACTION)
            person = people[(index * 3 + position) % len(people)] if people and rng.random() < 0.6 else None
            if person is not None and not case.participants.filter(person=person).exists():
                Participant.objects.create(case=case, person=person, role=role, outcome=outcome)
                names.append(person.full_name)
            else:
                name = OUTSIDERS[(index + position) % len(OUTSIDERS)]
                Participant.objects.create(case=case, outsider_name=name, role=role, outcome=outcome,
                                           outsider_birth_year=rng.randrange(1975, 2006),
                                           outsider_residence=rng.choice(RESIDENCES))
                names.append(name)
        case.search_text = case.build_search_text(names)
        case.save(update_fields=["search_text"])
    # The counters continue after the demo numbers, so new cases do not collide with them.
    for row in Case.objects.filter(ward=ward).values("year").annotate(last=Max("number")):
        CaseNumberCounter.objects.update_or_create(ward=ward, year=row["year"], defaults={"last_number": row["last"]})
    by_code = {k.code: k for k in khoms}
    for code, address, kind, found_on, cleared_on in HOTSPOTS:
        if code in by_code and found_on <= today:
            Hotspot.objects.update_or_create(
                ward=ward, address=address,
                defaults={"khom": by_code[code], "kind": kind, "found_on": found_on,
                          "cleared_on": cleared_on if cleared_on and cleared_on <= today else None,
                          "notes": "Dữ liệu minh họa (hư cấu).", "created_by": officer},
            )
    context["stdout"].write(f"Cases: {Case.objects.filter(ward=ward).count()} cases, "
                            f"{Hotspot.objects.filter(ward=ward).count()} hotspots.")
