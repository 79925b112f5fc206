"""Seed the classification of hotspot areas of QĐ 28/2025/QĐ-TTg as data: Điều 4 (communes) and Điều 5 (province).

Administrators edit these rows, or add later versions, in the admin; this
migration never overwrites a set that already exists (by code and version).
It also retires the earlier type-I-only hotspot criteria set when nothing but
drafts were assessed against it (the classification replaces it).
"""
import datetime as dt
from decimal import Decimal

from django.db import migrations

LEGAL_BASIS = "Quyết định 28/2025/QĐ-TTg ngày 24/8/2025 của Thủ tướng Chính phủ, Điều 4 và Điều 5; Điều 7 (kỳ đánh giá)."
NOTE = ("Các tỉ lệ tính trên nhân khẩu hiện đang cư trú của kỳ đánh giá (15/12 năm trước đến 14/12). Cách hiểu đang "
        "áp dụng: tiêu chí của một loại đạt khi số liệu từ ngưỡng dưới của loại đó trở lên (mức của loại trên cũng "
        "thỏa mãn tiêu chí loại dưới); tiêu chí loại III cần có phát sinh (lớn hơn 0). Cần đối chiếu văn bản gốc.")

# type code, label, rank, min criteria, route (min, counted type code) or None, counts for the province,
# thresholds: (letter, text, basis, indicator, minimum, strict)
COMMUNE_TYPES = [
    ("I", "Loại I", 1, 3, (2, "II"), True, [
        ("a", "Người sử dụng, người nghiện có hồ sơ quản lý từ 0,5% nhân khẩu", "resident_pct", "users_addicts",
         "0.5", False),
        ("b", "Từ 2 điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy", "count", "organising_places", "2", False),
        ("c", "Người phạm tội về ma túy bị bắt giữ từ 0,1% nhân khẩu", "resident_pct", "offenders_arrested",
         "0.1", False),
        ("d", "Phát hiện, triệt phá từ 3.000 cây có chứa chất ma túy", "count", "plants_destroyed", "3000", False),
        ("d", "Hoặc từ 750 m² trồng cây có chứa chất ma túy", "count", "plants_area_m2", "750", False),
    ]),
    ("II", "Loại II", 2, 3, (2, "III"), True, [
        ("a", "Người sử dụng, người nghiện có hồ sơ quản lý từ 0,1% đến dưới 0,5% nhân khẩu", "resident_pct",
         "users_addicts", "0.1", False),
        ("b", "Có 1 điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy", "count", "organising_places", "1", False),
        ("c", "Người phạm tội về ma túy bị bắt giữ từ 0,05% đến dưới 0,1% nhân khẩu", "resident_pct",
         "offenders_arrested", "0.05", False),
        ("d", "Phát hiện, triệt phá từ 500 đến dưới 3.000 cây", "count", "plants_destroyed", "500", False),
        ("d", "Hoặc từ 125 đến dưới 750 m²", "count", "plants_area_m2", "125", False),
    ]),
    ("III", "Loại III", 3, 1, None, False, [
        ("a", "Có người sử dụng, người nghiện có hồ sơ quản lý, dưới 0,1% nhân khẩu", "resident_pct", "users_addicts",
         "0", True),
        ("c", "Có người phạm tội về ma túy bị bắt giữ, dưới 0,05% nhân khẩu", "resident_pct", "offenders_arrested",
         "0", True),
        ("d", "Có phát hiện, triệt phá cây có chứa chất ma túy, dưới 500 cây", "count", "plants_destroyed", "0", True),
        ("d", "Hoặc dưới 125 m²", "count", "plants_area_m2", "0", True),
    ]),
]
PROVINCE_TYPES = [
    ("T", "Tỉnh trọng điểm", 1, 4, None, False, [
        ("1", "Tỉ lệ người có hồ sơ quản lý từ 0,2% nhân khẩu", "resident_pct", "users_addicts", "0.2", False),
        ("2", "Từ 5 điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy", "count", "organising_places", "5", False),
        ("3", "Người phạm tội về ma túy bị bắt giữ từ 0,05% nhân khẩu", "resident_pct", "offenders_arrested",
         "0.05", False),
        ("4", "Số xã loại I, II từ 3% tổng số xã", "units_pct", "", "3", False),
        ("5", "Phát hiện, triệt phá từ 8.000 cây có chứa chất ma túy", "count", "plants_destroyed", "8000", False),
        ("5", "Hoặc từ 2.000 m² trồng cây có chứa chất ma túy", "count", "plants_area_m2", "2000", False),
        ("6", "Nằm trên tuyến trung chuyển ma túy liên tỉnh", "on_route", "", "1", False),
    ]),
]
SETS = [
    ("phan-loai-xa-qd28-dieu4", "Phân loại xã, phường, đặc khu trọng điểm về ma túy (Điều 4 QĐ 28/2025/QĐ-TTg)",
     "commune", COMMUNE_TYPES),
    ("phan-loai-tinh-qd28-dieu5", "Phân loại tỉnh trọng điểm về ma túy (Điều 5 QĐ 28/2025/QĐ-TTg)",
     "province", PROVINCE_TYPES),
]
OLD_HOTSPOT_SET = "dia-ban-trong-diem-qd28"


def seed(apps, schema_editor):
    ClassificationSet = apps.get_model("criteria", "ClassificationSet")
    ClassificationType = apps.get_model("criteria", "ClassificationType")
    ClassificationThreshold = apps.get_model("criteria", "ClassificationThreshold")
    for code, name, level, types in SETS:
        classification_set, created = ClassificationSet.objects.get_or_create(code=code, version=1, defaults={
            "name": name, "level": level, "legal_basis": LEGAL_BASIS, "note": NOTE,
            "valid_from": dt.date(2025, 8, 24), "checked": False})
        if not created:
            continue
        made = {}
        for type_code, label, rank, minimum, route, counts, thresholds in types:
            made[type_code] = ClassificationType.objects.create(
                classification_set=classification_set, code=type_code, label=label, rank=rank, min_criteria=minimum,
                counts_for_province=counts)
            for order, (letter, text, basis, indicator, value, strict) in enumerate(thresholds, start=1):
                ClassificationThreshold.objects.create(type=made[type_code], letter=letter, text=text, basis=basis,
                                                       indicator=indicator, minimum=Decimal(value), strict=strict,
                                                       order=order * 10)
        for type_code, _label, _rank, _minimum, route, _counts, _thresholds in types:
            if route:
                kind = made[type_code]
                kind.route_min_criteria, kind.route_counts_type = route[0], made[route[1]]
                kind.save(update_fields=["route_min_criteria", "route_counts_type"])


def retire_old_hotspot_set(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    Assessment = apps.get_model("criteria", "Assessment")
    for old in CriteriaSet.objects.filter(code=OLD_HOTSPOT_SET):
        assessments = Assessment.objects.filter(criteria_set=old)
        if assessments.exclude(status="draft").exists():
            continue  # assessed for real: history stays
        assessments.delete()
        old.criteria.all().delete()
        old.delete()


def forwards(apps, schema_editor):
    seed(apps, schema_editor)
    retire_old_hotspot_set(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("criteria", "0006_classification_sets_and_year_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
