"""Bench hook of apps.activities: each ward's sessions (one per khóm per quarter, a few ward-wide),
commitment signings and reintegration models."""
import datetime as dt

from apps.core.bench import AS_OF, CASES_START, REINTEGRATION_MODELS_PER_WARD, bulk, day_between
from apps.core.periods import add_months

from .choices import ActivityKind, Audience
from .models import Activity, CommitmentSigning, ReintegrationModel

TOPICS = ["Tuyên truyền Luật Phòng, chống ma túy 2025", "Tác hại của ma túy tổng hợp với thanh thiếu niên",
          "Điều 256a Bộ luật Hình sự: sử dụng trái phép chất ma túy", "Xây dựng khóm không ma túy",
          "Vai trò gia đình trong phòng, chống ma túy", "Nhận diện ma túy \"núp bóng\" thực phẩm, thuốc lá điện tử",
          "Hưởng ứng Tháng hành động phòng, chống ma túy", "Hỗ trợ người sau cai nghiện hòa nhập cộng đồng"]
ORGANISERS = ["Công an phường", "UBND phường", "Đoàn Thanh niên phường", "Hội Liên hiệp Phụ nữ phường",
              "Mặt trận Tổ quốc phường", "Ban điều hành khóm", "Hội Cựu chiến binh phường"]


def build_ward(bench):
    rng = bench.rng
    activities, signings, models_ = [], [], []
    quarter_starts = [dt.date(y, m, 1) for y in (2025, 2026) for m in (1, 4, 7, 10) if dt.date(y, m, 1) <= AS_OF]
    for start in quarter_starts:
        end = min(AS_OF, add_months(start, 3) - dt.timedelta(days=1))
        # One session per khóm per quarter, and a few for the whole ward.
        for khom in [*bench.khoms, None, None]:
            activities.append(Activity(
                ward=bench.ward, khom=khom, kind=rng.choice(ActivityKind.values), held_on=day_between(rng, start, end),
                topic=rng.choice(TOPICS), audience=rng.choice(Audience.values),
                participants=rng.randint(20, 250), organiser=rng.choice(ORGANISERS),
                location="Nhà văn hóa " + (khom.name if khom else "phường")))
    for khom in bench.khoms:
        for year in (2025, 2026):
            signings.append(CommitmentSigning(
                khom=khom, signed_on=dt.date(year, rng.randint(1, 9), rng.randint(1, 28)),
                households_signed=rng.randint(int(khom.households * 0.85), khom.households),
                households_total=khom.households))
    for index in range(REINTEGRATION_MODELS_PER_WARD):
        started = day_between(rng, CASES_START, AS_OF)
        models_.append(ReintegrationModel(
            ward=bench.ward, khom=rng.choice([None, *bench.khoms]), started_on=started,
            name=rng.choice(["Câu lạc bộ", "Tổ hợp tác", "Mô hình"]) + f" hòa nhập số {index + 1}",
            organiser=rng.choice(ORGANISERS), people_supported=rng.randint(3, 40)))
    bulk(Activity, activities)
    bulk(CommitmentSigning, signings)
    bulk(ReintegrationModel, models_)
    bench.counts["activity"] += len(activities)
    bench.counts["commitmentsigning"] += len(signings)
    bench.counts["reintegrationmodel"] += len(models_)
