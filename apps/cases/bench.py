"""Bench hook of apps.cases: each ward's 100 cases with participants and seized items, and its hotspots."""
from collections import defaultdict

from apps.core.bench import (AS_OF, CASES_START, HOTSPOTS_PER_WARD, STREETS, SUBSTANCES, bulk, day_between,
                             person_name, weighted)

from .choices import CaseHandling, CaseKind, HotspotKind, ParticipantOutcome, ParticipantRole, SeizedUnit
from .models import Case, CaseNumberCounter, Hotspot, Participant, SeizedItem

# Cases by kind, weighted as a ward police records them.
CASE_KINDS = [(CaseKind.ILLEGAL_USE, 45), (CaseKind.POSSESSION, 18), (CaseKind.TRAFFICKING, 9),
              (CaseKind.TRANSPORT, 3), (CaseKind.ORGANISING_USE, 4), (CaseKind.HARBOURING_USE, 3),
              (CaseKind.CULTIVATION, 5), (CaseKind.ART_256A, 8), (CaseKind.OTHER, 5)]
SEIZING_KINDS = {CaseKind.POSSESSION, CaseKind.TRAFFICKING, CaseKind.TRANSPORT, CaseKind.ORGANISING_USE}


def build_ward(bench):
    _cases(bench)
    _hotspots(bench)


def _cases(bench):
    rng = bench.rng
    days = sorted(day_between(rng, CASES_START, AS_OF) for _ in range(bench.cases_count))
    numbers = defaultdict(int)
    cases, participants_of = [], []
    for day in days:
        kind = weighted(rng, CASE_KINDS)
        numbers[day.year] += 1
        khom = rng.choice(bench.khoms)
        case = Case(
            ward=bench.ward, khom=khom, year=day.year, number=numbers[day.year], detected_on=day, kind=kind,
            place=f"{rng.randint(1, 399)} {rng.choice(STREETS)}, {khom.name}",
            handling=weighted(rng, [(CaseHandling.ADMINISTRATIVE, 55), (CaseHandling.CRIMINAL, 25),
                                    (CaseHandling.VERIFYING, 12), (CaseHandling.TRANSFERRED, 8)]),
            summary=f"Phát hiện {CaseKind(kind).label.lower()} tại {khom.name}.", officer=rng.choice(bench.police),
        )
        if kind == CaseKind.CULTIVATION:
            case.plants_destroyed = rng.randint(5, 4000)
            case.area_destroyed_m2 = rng.randint(2, 900)
        people = []
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            role = weighted(rng, [(ParticipantRole.SUSPECT, 50), (ParticipantRole.USER, 35),
                                  (ParticipantRole.ACCOMPLICE, 10), (ParticipantRole.WITNESS, 5)])
            outcome = weighted(rng, [(ParticipantOutcome.ADMINISTRATIVE_FINE, 40), (ParticipantOutcome.ARRESTED, 20),
                                     (ParticipantOutcome.PROSECUTED, 15), (ParticipantOutcome.REHAB_REFERRED, 15),
                                     (ParticipantOutcome.PENDING, 10)])
            person = rng.choice(bench.people)
            if rng.random() < 0.6 and all(p.person_id != person.pk for p in people):
                people.append(Participant(person=person, role=role, outcome=outcome))
            else:
                people.append(Participant(outsider_name=person_name(rng, rng.random() < 0.1), role=role,
                                          outcome=outcome, outsider_birth_year=rng.randint(1970, 2007),
                                          outsider_residence=rng.choice(["Phường Long Xuyên", "Phường Bình Đức",
                                                                         "Xã Mỹ Hòa Hưng", "TP Cần Thơ"])))
        case.search_text = case.build_search_text([p.person.full_name if p.person_id else p.outsider_name
                                                   for p in people])
        cases.append(case)
        participants_of.append(people)
    cases = bulk(Case, cases)
    participants, items = [], []
    for case, people in zip(cases, participants_of):
        for participant in people:
            participant.case = case
            participants.append(participant)
        if case.kind in SEIZING_KINDS:
            for _ in range(rng.randint(1, 2)):
                items.append(SeizedItem(case=case, substance=rng.choice(SUBSTANCES),
                                        quantity=round(rng.uniform(0.05, 50), 3),
                                        unit=rng.choice([SeizedUnit.GRAM, SeizedUnit.GRAM, SeizedUnit.TABLET])))
    bulk(Participant, participants)
    bulk(SeizedItem, items)
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(ward=bench.ward, year=year, last_number=last)
                                           for year, last in numbers.items()])
    bench.counts["case"] += len(cases)
    bench.counts["participant"] += len(participants)
    bench.counts["seizeditem"] += len(items)


def _hotspots(bench):
    rng = bench.rng
    hotspots = []
    for _ in range(HOTSPOTS_PER_WARD):
        khom = rng.choice(bench.khoms)
        found = day_between(rng, CASES_START, AS_OF)
        cleared = day_between(rng, found, AS_OF) if rng.random() < 0.6 else None
        hotspots.append(Hotspot(ward=bench.ward, khom=khom, kind=rng.choice(HotspotKind.values), found_on=found,
                                cleared_on=cleared, address=f"{rng.randint(1, 399)} {rng.choice(STREETS)}"))
    bulk(Hotspot, hotspots)
    bench.counts["hotspot"] += len(hotspots)
