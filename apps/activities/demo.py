"""Fictional prevention work of Mỹ Thới over 2025–2026 (idempotent: keyed by place, date and topic)."""
import datetime as dt
import random

from django.utils import timezone

from apps.khom.models import Khom

from .choices import ActivityKind, Audience
from .models import Activity, CommitmentSigning, ReintegrationModel

TOPICS = [
    (ActivityKind.PROPAGANDA, Audience.RESIDENTS, "Tác hại của ma túy và trách nhiệm của gia đình"),
    (ActivityKind.EDUCATION, Audience.RESIDENTS, "Luật Phòng, chống ma túy 2025 và các điểm mới"),
    (ActivityKind.TALK, Audience.YOUTH, "Thanh niên nói không với ma túy tổng hợp"),
    (ActivityKind.EDUCATION, Audience.STUDENTS, "Nhận diện ma túy trá hình trong học đường"),
    (ActivityKind.PROPAGANDA, Audience.FAMILIES, "Đồng hành cùng người cai nghiện tại gia đình"),
    (ActivityKind.CONTEST, Audience.YOUTH, "Hội thi tìm hiểu pháp luật về phòng, chống ma túy"),
    (ActivityKind.TALK, Audience.OFFICIALS, "Tiêu chí xã, phường không ma túy theo QĐ 28/2025/QĐ-TTg"),
    (ActivityKind.PROPAGANDA, Audience.WORKERS, "Ma túy và an toàn lao động"),
]
ORGANISERS = ["Công an phường", "UBND phường", "Đoàn Thanh niên phường", "Hội Liên hiệp Phụ nữ phường",
              "Ban nhân dân khóm", "Mặt trận Tổ quốc phường"]
TARGET_2025 = {"K01", "K02", "K03", "K04"}
MODELS = [
    (None, "Câu lạc bộ \"Vòng tay bè bạn\" hỗ trợ người sau cai nghiện", dt.date(2025, 3, 15), 14),
    ("K02", "Tổ hợp tác may gia công tạo việc làm sau cai", dt.date(2025, 6, 1), 6),
    ("K05", "Nhóm vay vốn chăn nuôi cho người tái hòa nhập", dt.date(2025, 9, 10), 8),
    ("K09", "Tổ tư vấn, hỗ trợ tâm lý tại cộng đồng", dt.date(2026, 2, 20), 5),
]


def seed(context):
    ward = context["ward"]
    rng = random.Random(2025)
    today = timezone.localdate()  # no session, signing or model dated after today
    khoms = list(Khom.objects.filter(ward=ward).order_by("code"))
    created = 0
    # Most khóm hold a session every quarter or so; three khóm are left quieter.
    for index, khom in enumerate(khoms):
        if index in (12, 15):
            continue
        for quarter in range(8):
            if rng.random() < 0.25 and khom.code not in TARGET_2025:
                continue
            year = 2025 + quarter // 4
            month = (quarter % 4) * 3 + rng.randint(1, 3)
            day = rng.randint(1, 28)
            if month == 12:
                # December's sessions before the 15th: from 15/12 they count in the next kỳ đánh giá
                # (QĐ 28/2025/QĐ-TTg), and the khóm assessed for 2025 held theirs in 2025's.
                day = 1 + (day - 1) % 14
            held_on = dt.date(year, month, day)
            kind, audience, topic = TOPICS[(index + quarter) % len(TOPICS)]
            participants, organiser = rng.randint(25, 120), rng.choice(ORGANISERS)
            if held_on > today:  # drawn all the same, so that the other sessions stay the same
                continue
            _, was_created = Activity.objects.get_or_create(
                ward=ward, khom=khom, held_on=held_on, topic=topic,
                defaults={"kind": kind, "audience": audience, "participants": participants,
                          "organiser": organiser, "location": f"Nhà văn hóa {khom.name}"},
            )
            created += was_created
    for year, month in [(2025, 6), (2025, 11), (2026, 6)]:
        kind, audience, topic = TOPICS[6] if month == 6 else TOPICS[1]
        if dt.date(year, month, 26) > today:
            continue
        _, was_created = Activity.objects.get_or_create(
            ward=ward, khom=None, held_on=dt.date(year, month, 26), topic=topic,
            defaults={"kind": kind, "audience": audience, "participants": 300, "organiser": "UBND phường",
                      "location": "Hội trường UBND phường"},
        )
        created += was_created
    # Commitments: ≥ 90 % of households in the four khóm targeted for 2025, less elsewhere.
    for khom in khoms:
        total = khom.households or 500
        share = 0.9 + rng.random() * 0.08 if khom.code in TARGET_2025 else 0.55 + rng.random() * 0.3
        if dt.date(2025, 4, 15) > today:
            continue
        CommitmentSigning.objects.get_or_create(
            khom=khom, signed_on=dt.date(2025, 4, 15),
            defaults={"households_signed": int(total * share), "households_total": total},
        )
        if khom.target_year and khom.target_year <= 2026 and dt.date(2026, 4, 15) <= today:
            CommitmentSigning.objects.get_or_create(
                khom=khom, signed_on=dt.date(2026, 4, 15),
                defaults={"households_signed": min(total, int(total * (share + 0.05))), "households_total": total},
            )
    by_code = {k.code: k for k in khoms}
    for code, name, started_on, people in MODELS:
        if started_on > today:
            continue
        khom = by_code.get(code) if code else None
        ReintegrationModel.objects.get_or_create(
            ward=ward, name=name,
            defaults={"khom": khom, "started_on": started_on, "people_supported": people,
                      "organiser": "Công an phường" if code is None else "Ban nhân dân khóm"},
        )
    context["stdout"].write(f"Activities: {created} new sessions; commitment rounds and reintegration models in place.")
