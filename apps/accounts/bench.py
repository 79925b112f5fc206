"""Bench hook of apps.accounts: each ward's users (leadership, two police officers, one officer per khóm),
and once the province viewer and the administrator the benchmark signs in as."""
from django.contrib.auth.models import Group

from apps.core.bench import POLICE_PER_WARD, bulk, person_name

from .choices import Role
from .models import User

PROVINCE_VIEWER = "bench_tinh"
ADMINISTRATOR = "bench_admin"
# Bench accounts cannot sign in with a password: the benchmark logs in with force_login.
PASSWORD = "!bench-no-password"


def prepare(run):
    run["groups"] = {g.name: g.pk for g in Group.objects.filter(name__in=Role.values)}
    for username, role, superuser in ((PROVINCE_VIEWER, Role.PROVINCE, False), (ADMINISTRATOR, Role.ADMINISTRATOR, True)):
        if not User.objects.filter(username=username).exists():
            user = User(username=username, role=role, is_superuser=superuser, first_name="Bench")
            user.password = PASSWORD
            user.save()
            run["totals"]["user"] += 1


def build_ward(bench):
    # accounts precedes khom in INSTALLED_APPS: the users need the khóm, so build them first.
    from apps.khom import bench as khom_bench
    from apps.khom.models import Khom

    khom_bench.build_ward(bench)
    groups = bench.run["groups"]
    code = bench.ward.code.lower()
    rows = [(f"{code}_lanhdao", Role.LEADERSHIP, None)]
    rows += [(f"{code}_congan{i}", Role.POLICE, None) for i in range(1, POLICE_PER_WARD + 1)]
    rows += [(f"{code}_{k.code.lower()}", Role.KHOM_OFFICER, k) for k in bench.khoms]
    users = bulk(User, [
        User(username=name, password=PASSWORD, role=role, first_name=person_name(bench.rng, False),
             last_name="", is_staff=False)
        for name, role, _khom in rows
    ])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=groups[u.role]) for u in users])
    User.wards.through.objects.bulk_create(
        [User.wards.through(user_id=u.pk, ward_id=bench.ward.pk) for u in users if u.role != Role.KHOM_OFFICER])
    User.khoms.through.objects.bulk_create(
        [User.khoms.through(user_id=u.pk, khom_id=k.pk) for u, (_n, _r, k) in zip(users, rows) if k])
    bench.police = [u for u in users if u.role == Role.POLICE]
    for index, khom in enumerate(bench.khoms):
        khom.police_officer = bench.police[index % len(bench.police)]
    Khom.objects.bulk_update(bench.khoms, ["police_officer"])
    bench.counts["user"] += len(users)
