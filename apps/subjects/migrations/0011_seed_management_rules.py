"""Seed the management rules of issue 18 §2 and §5 as data, from ND 105/2021/NĐ-CP and ND 116/2021/NĐ-CP.

Default data until the decree implementing Law 120/2025/QH15 (from 1/7/2026; reported as ND 163/2026) is
checked: the rule row is marked "cần kiểm tra lại", and an administrator edits or adds rows in the admin.

- a new use during a user-management term brings a new decision and the term starts again at 1 year;
- after a move the term continues for what remains (every kind: the decision follows the person);
- the file goes to the new commune within 5 working days; the decision within 3 working days of a positive test;
- the commune police check the residence at least once a month (user management, post-rehab management);
- post-rehab management: 1 year after voluntary rehab or substitution treatment, and for minors;
  2 years for adults after compulsory rehab;
- kinds that cannot be open together (§5): a person is either a user under management or an addict, in one
  rehab at a time, and not in custody while in rehab at home or managed in the community.
"""
import datetime as dt

from django.db import migrations

SOURCE = ("Nghị định 105/2021/NĐ-CP và Nghị định 116/2021/NĐ-CP; cần đối chiếu nghị định thi hành "
          "Luật Phòng, chống ma túy 120/2025/QH15 (từ 01/7/2026)")

RESTARTS = {"illegal_user"}
RESIDENCE_CHECK_MONTHS = {"illegal_user": 1, "post_rehab": 1}
# previous measure → (adult months, minor months) of the post-rehab management that follows it.
POST_REHAB = {
    "voluntary_home": (12, 12),
    "voluntary_facility": (12, 12),
    "methadone": (12, 12),
    "compulsory_rehab": (24, 12),
}
EXCLUDES = [
    ("illegal_user", "addict"),
    ("illegal_user", "post_rehab"),
    ("illegal_user", "custody"),
    ("illegal_user", "compulsory_rehab"),
    ("addict", "compulsory_rehab"),
    ("awaiting_compulsory", "compulsory_rehab"),
    ("voluntary_home", "voluntary_facility"),
    ("voluntary_home", "compulsory_rehab"),
    ("voluntary_facility", "compulsory_rehab"),
    ("voluntary_home", "custody"),
    ("post_rehab", "compulsory_rehab"),
    ("post_rehab", "voluntary_home"),
    ("post_rehab", "voluntary_facility"),
]


def seed(apps, schema_editor):
    ManagementRule = apps.get_model("subjects", "ManagementRule")
    EpisodeKind = apps.get_model("subjects", "EpisodeKind")
    # Once: after that the rules are the administrator's (seed_demo runs this again on every load).
    if ManagementRule.objects.exists():
        return
    ManagementRule.objects.create(effective_from=dt.date(2000, 1, 1), decision_working_days=3,
                                  transfer_working_days=5, source=SOURCE, needs_checking=True)
    kinds = {kind.code: kind for kind in EpisodeKind.objects.all()}
    post_rehab = kinds.get("post_rehab")
    for code, kind in kinds.items():
        kind.restarts_on_positive_test = code in RESTARTS
        kind.continues_on_move = True
        kind.residence_check_months = RESIDENCE_CHECK_MONTHS.get(code)
        if code in POST_REHAB and post_rehab is not None:
            kind.followed_by = post_rehab
            kind.followed_by_months_adult, kind.followed_by_months_minor = POST_REHAB[code]
        kind.save()
    for first, second in EXCLUDES:
        if first in kinds and second in kinds:
            # Both ways: a historical model's self relation is not known to be symmetrical.
            kinds[first].excludes.add(kinds[second])
            kinds[second].excludes.add(kinds[first])


class Migration(migrations.Migration):
    dependencies = [("subjects", "0010_management_rules_as_data")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
