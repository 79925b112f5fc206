"""Bench hook of apps.subjects: each ward's 500 people with their episodes, 1,500 drug tests, moves
and support records. People, episodes and tests are planned in memory first so that the derived
status (apps.subjects.status, the rule of the services) goes in with the insert."""
import datetime as dt
from collections import defaultdict

from django.core.management.base import CommandError

from apps.core.bench import (AS_OF, CASES_START, HISTORY_START, OCCUPATIONS, STREETS, SUBSTANCES, bulk,
                             day_between, person_name, weighted)
from apps.core.periods import add_months
from apps.core.validators import cccd_century_digit

from .choices import EndReason, Gender, MoveKind, SampleType, SupportKind, TestResult
from .models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove, SupportRecord
from .status import derive_status

# Typical careers: each person walks one path, possibly stopping before its end.
CAREERS = [
    ["illegal_user"],
    ["illegal_user", "post_rehab"],
    ["illegal_user", "addict", "voluntary_home", "post_rehab"],
    ["addict", "voluntary_home", "post_rehab"],
    ["addict", "compulsory_rehab", "post_rehab"],
    ["addict", "awaiting_compulsory", "compulsory_rehab"],
    ["addict", "methadone"],
    ["voluntary_facility", "post_rehab"],
    ["illegal_user", "custody"],
]


def prepare(run):
    kinds = {k.code: k for k in EpisodeKind.objects.all()}
    missing = {code for career in CAREERS for code in career} - set(kinds)
    if missing:
        raise CommandError(f"Episode kinds missing (run migrate): {', '.join(sorted(missing))}")
    run["kinds"] = kinds


def build_ward(bench):
    _plan_people(bench)
    _plan_episodes(bench)
    _plan_tests(bench)
    for person in bench.people:
        open_episodes = [e for e in bench.episodes_of[id(person)] if e.actual_end is None]
        person.status, person.next_test_due = derive_status(open_episodes, bench.last_test.get(id(person)))
    bench.people = bulk(Person, bench.people)
    bulk(Episode, bench.episodes)
    bulk(DrugTest, bench.tests)
    _moves_and_support(bench)


def _plan_people(bench):
    rng = bench.rng
    # Khóm differ: a few carry most of the problem, as in a real ward.
    weights = [rng.paretovariate(1.5) for _ in bench.khoms]
    people = []
    for index in range(bench.people_count):
        female = rng.random() < 0.08
        born = day_between(rng, dt.date(1966, 1, 1), dt.date(2008, 12, 31))
        cccd = None
        if rng.random() < 0.8:
            province = 89 if rng.random() < 0.8 else rng.choice([91, 87, 92, 94, 79, 1])
            # The 6 "random" digits encode ward and person: unique by construction.
            cccd = (f"{province:03d}{cccd_century_digit(born.year, female)}{born.year % 100:02d}"
                    f"{bench.number % 1000:03d}{index:03d}")
        khom = rng.choices(bench.khoms, weights=weights)[0]
        person = Person(
            full_name=person_name(rng, female), gender=Gender.FEMALE if female else Gender.MALE,
            date_of_birth=born, cccd=cccd, khom=khom,
            address=f"{rng.randint(1, 399)} {rng.choice(STREETS)}, {khom.name}",
            phone=f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else "",
            occupation=rng.choice(OCCUPATIONS),
        )
        person.search_text = person.build_search_text()
        people.append(person)
    # Data outside the bench (demo, real) may hold the same CCCD: that person goes without one.
    taken = set(Person.objects.filter(cccd__in=[p.cccd for p in people if p.cccd])
                .values_list("cccd", flat=True))
    for person in people:
        if person.cccd in taken:
            person.cccd = None
            person.search_text = person.build_search_text()
    bench.people = people
    bench.counts["person"] += len(people)


def _plan_episodes(bench):
    rng = bench.rng
    episodes = []
    bench.episodes_of = defaultdict(list)  # keyed by id(person): people have no primary key yet
    for person in bench.people:
        career = rng.choice(CAREERS)
        steps = career[:rng.randint(1, len(career))]
        start = day_between(rng, HISTORY_START, AS_OF - dt.timedelta(days=20))
        for position, code in enumerate(steps):
            kind = bench.run["kinds"][code]
            term = kind.default_term_months or rng.choice([6, 12, 18])
            planned = add_months(start, kind.default_term_months) if kind.default_term_months else None
            natural_end = add_months(start, term)
            last = position == len(steps) - 1
            end = reason = None
            if not last:
                end = min(natural_end, AS_OF) if natural_end > start else start
                reason = EndReason.TRANSFERRED if code != "illegal_user" else EndReason.ADDICTION_FOUND
            elif natural_end <= AS_OF and rng.random() < 0.5:
                end, reason = natural_end, rng.choice([EndReason.TERM_COMPLETED] * 6 + [
                    EndReason.MOVED_AWAY, EndReason.DETAINED, EndReason.DIED])
            if end is not None and end > AS_OF:
                end = AS_OF
            episode = Episode(
                person=person, kind=kind, started_on=start, planned_end=planned, actual_end=end,
                end_reason=reason or "", decision_date=start,
                decision_number=f"{rng.randint(1, 999)}/QĐ-UBND" if code != "custody" else "",
                decision_signer="Chủ tịch UBND phường" if code != "custody" else "",
            )
            episodes.append(episode)
            bench.episodes_of[id(person)].append(episode)
            if end is None or end >= AS_OF:
                break
            start = end + dt.timedelta(days=rng.randint(0, 10))
            if start > AS_OF:
                break
    bench.episodes = episodes
    bench.counts["episode"] += len(episodes)


def _plan_tests(bench):
    rng = bench.rng
    # People with an open episode are tested more often than those whose management has ended.
    weights = [3 if any(e.actual_end is None for e in bench.episodes_of[id(p)]) else 1 for p in bench.people]
    tests = []
    bench.last_test = {}
    for person in rng.choices(bench.people, weights=weights, k=bench.tests_count):
        episodes = bench.episodes_of[id(person)]
        first = episodes[0].started_on
        last_end = episodes[-1].actual_end or AS_OF
        day = day_between(rng, first, min(AS_OF, last_end + dt.timedelta(days=60)))
        covering = next((e for e in episodes if e.started_on <= day and (e.actual_end is None
                                                                          or day <= e.actual_end)), None)
        result = weighted(rng, [(TestResult.NEGATIVE, 82), (TestResult.POSITIVE, 16), (TestResult.INVALID, 2)])
        tests.append(DrugTest(
            person=person, episode=covering, tested_on=day,
            sample_type=weighted(rng, [(SampleType.URINE, 90), (SampleType.SALIVA, 6), (SampleType.BLOOD, 4)]),
            result=result, substances=rng.choice(SUBSTANCES[:3]) if result == TestResult.POSITIVE else "",
            tested_by="Công an phường",
        ))
        bench.last_test[id(person)] = max(day, bench.last_test.get(id(person), day))
    bench.tests = tests
    bench.counts["drugtest"] += len(tests)


def _moves_and_support(bench):
    rng = bench.rng
    moves, supports = [], []
    for person in bench.people:
        if rng.random() < 0.05:
            moved = day_between(rng, CASES_START, AS_OF)
            target = rng.choice([k for k in bench.khoms if k.pk != person.khom_id])
            moves.append(ResidenceMove(
                person=person, kind=MoveKind.WITHIN_WARD, moved_on=moved, from_khom_id=target.pk,
                to_khom_id=person.khom_id, notified_on=moved + dt.timedelta(days=rng.choice([0, 1, 1, 3]))))
        if any(e.kind.code == "post_rehab" for e in bench.episodes_of[id(person)]) and rng.random() < 0.5:
            supports.append(SupportRecord(
                person=person, kind=rng.choice(SupportKind.values), given_on=day_between(rng, CASES_START, AS_OF),
                provider=rng.choice(["Trung tâm Dịch vụ việc làm An Giang", "Ngân hàng Chính sách xã hội",
                                     "Hội Liên hiệp Phụ nữ phường", "Trạm Y tế phường"]),
                outcome=rng.choice(["Đã có việc làm ổn định", "Đang học nghề", "Được vay 30 triệu đồng", ""])))
    bulk(ResidenceMove, moves)
    bulk(SupportRecord, supports)
    bench.counts["residencemove"] += len(moves)
    bench.counts["supportrecord"] += len(supports)
