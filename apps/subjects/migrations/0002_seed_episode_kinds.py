"""Seed the episode kinds of DESIGN §1 so they exist in every installation, production included."""
from django.db import migrations

# code, name, default term (months), test interval (days), counts as user/addict,
# in treatment, window after end (months, Criminal Code art. 256a), priority.
KINDS = [
    ("custody", "Đang bị tạm giữ, tạm giam, chấp hành án", None, None, False, False, 0, 90),
    ("compulsory_rehab", "Cai nghiện bắt buộc", 24, None, True, True, 0, 80),
    ("awaiting_compulsory", "Chờ lập hồ sơ cai nghiện bắt buộc", 3, 30, True, False, 0, 70),
    ("addict", "Người nghiện ma túy chưa cai nghiện", None, 30, True, False, 0, 60),
    ("voluntary_facility", "Cai nghiện tự nguyện tại cơ sở", 6, None, True, True, 0, 50),
    ("voluntary_home", "Cai nghiện tự nguyện tại gia đình, cộng đồng", 6, 30, True, True, 0, 45),
    ("methadone", "Điều trị thay thế (methadone)", None, 30, True, True, 0, 40),
    ("illegal_user", "Quản lý người sử dụng trái phép chất ma túy", 12, 90, True, False, 0, 30),
    ("post_rehab", "Quản lý sau cai nghiện", 12, 90, False, False, 24, 20),
]


def seed(apps, schema_editor):
    EpisodeKind = apps.get_model("subjects", "EpisodeKind")
    for code, name, term, interval, counts, treatment, window, priority in KINDS:
        # get_or_create: an administrator's later edits are never overwritten.
        EpisodeKind.objects.get_or_create(code=code, defaults={
            "name": name, "default_term_months": term, "test_interval_days": interval,
            "counts_as_user_addict": counts, "in_treatment": treatment,
            "window_after_end_months": window, "priority": priority,
        })


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
