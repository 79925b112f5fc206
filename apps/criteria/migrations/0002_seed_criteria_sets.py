"""Seed the criteria sets of DESIGN §1 so they exist in every installation, production included.

Administrators add later versions in the admin; this migration never
overwrites a set that already exists (get_or_create by code and version).
"""
import datetime as dt
from decimal import Decimal

from django.db import migrations

LEGAL_BASIS = ("Quyết định 28/2025/QĐ-TTg ngày 24/8/2025 của Thủ tướng Chính phủ; Quyết định 1209/QĐ-UBND "
               "ngày 24/9/2025 của UBND tỉnh An Giang; Luật Phòng, chống ma túy 120/2025/QH15.")

# code, version, name, scope, valid from, min groups, result label, criteria:
# (code, text, kind, indicator, operator, threshold, group, evidence hint)
SETS = [
    ("khom-khong-ma-tuy", 1, "Tiêu chí khóm không ma túy", "khom", dt.date(2025, 1, 1), None, "", [
        ("1", "Không có người nghiện, người sử dụng trái phép chất ma túy cư trú trên địa bàn "
              "(trừ người đang cai nghiện, điều trị thay thế).",
         "computed", "users_addicts_not_in_treatment", "==", "0", "", ""),
        ("2", "Không có người phạm tội, vi phạm pháp luật về ma túy trên địa bàn trong năm.",
         "computed", "offenders_arrested", "==", "0", "", ""),
        ("3", "Không có điểm, tụ điểm tổ chức, chứa chấp, mua bán trái phép chất ma túy.",
         "computed", "active_hotspots", "==", "0", "", ""),
        ("4", "Ít nhất 90% hộ gia đình ký cam kết không vi phạm pháp luật về ma túy.",
         "computed", "commitment_percent", ">=", "90", "", ""),
        ("5", "Tổ chức ít nhất 4 buổi tuyên truyền, giáo dục về phòng, chống ma túy trong năm.",
         "computed", "propaganda_sessions", ">=", "4", "", ""),
        ("6", "Có tổ tự quản hoặc mô hình phòng, chống ma túy hoạt động thường xuyên, hiệu quả.",
         "manual", "", "", None, "", "Quyết định thành lập, biên bản sinh hoạt, báo cáo kết quả"),
    ]),
    ("phuong-khong-ma-tuy", 1, "Tiêu chí phường không ma túy", "ward", dt.date(2025, 1, 1), None, "", [
        ("1", "Không có người nghiện, người sử dụng trái phép chất ma túy cư trú trên địa bàn phường "
              "(trừ người đang cai nghiện, điều trị thay thế).",
         "computed", "users_addicts_not_in_treatment", "==", "0", "", ""),
        ("2", "Không có người phạm tội, vi phạm pháp luật về ma túy trên địa bàn phường trong năm.",
         "computed", "offenders_arrested", "==", "0", "", ""),
        ("3", "Không có điểm, tụ điểm phức tạp về ma túy.",
         "computed", "active_hotspots", "==", "0", "", ""),
        ("4", "Ít nhất 90% hộ gia đình ký cam kết không vi phạm pháp luật về ma túy.",
         "computed", "commitment_percent", ">=", "90", "", ""),
        ("5", "Tổ chức ít nhất 12 buổi tuyên truyền, giáo dục về phòng, chống ma túy trong năm.",
         "computed", "propaganda_sessions", ">=", "12", "", ""),
        ("6", "Ban Chỉ đạo phòng, chống ma túy phường có quy chế, kế hoạch và hoạt động hiệu quả.",
         "manual", "", "", None, "", "Quyết định kiện toàn, kế hoạch năm, báo cáo sơ kết"),
    ]),
    ("dia-ban-trong-diem-qd28", 1, "Phân loại địa bàn trọng điểm về ma túy loại I (QĐ 28/2025/QĐ-TTg)", "hotspot",
     dt.date(2025, 8, 24), 3, "Địa bàn trọng điểm về ma túy loại I", [
        ("a", "Số người sử dụng trái phép và người nghiện có hồ sơ quản lý từ 0,5% dân số trở lên.",
         "computed", "users_addicts_percent", ">=", "0.5", "a", ""),
        ("b", "Có từ 2 điểm tổ chức, chứa chấp việc sử dụng trái phép chất ma túy trở lên.",
         "computed", "organising_places", ">=", "2", "b", ""),
        ("c", "Số người phạm tội về ma túy bị bắt giữ từ 0,1% dân số trở lên.",
         "computed", "offenders_arrested_percent", ">=", "0.1", "c", ""),
        ("d1", "Phát hiện, triệt phá từ 3.000 cây có chứa chất ma túy trở lên.",
         "computed", "plants_destroyed", ">=", "3000", "d", ""),
        ("d2", "Hoặc phát hiện, triệt phá từ 750 m² trồng cây có chứa chất ma túy trở lên.",
         "computed", "plants_area_m2", ">=", "750", "d", ""),
        ("đ", "Nằm trên tuyến, địa bàn trung chuyển, vận chuyển trái phép chất ma túy.",
         "manual", "", "", None, "dd", "Báo cáo của Công an tỉnh (PC04) xác định tuyến, địa bàn"),
    ]),
]


def seed(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    Criterion = apps.get_model("criteria", "Criterion")
    for code, version, name, scope, valid_from, min_groups, result_label, criteria in SETS:
        criteria_set, created = CriteriaSet.objects.get_or_create(code=code, version=version, defaults={
            "name": name, "scope": scope, "legal_basis": LEGAL_BASIS, "valid_from": valid_from,
            "min_groups": min_groups, "result_label": result_label,
        })
        if not created:
            continue
        for order, (c_code, text, kind, indicator, operator, threshold, group, hint) in enumerate(criteria, start=1):
            Criterion.objects.create(
                criteria_set=criteria_set, code=c_code, text=text, kind=kind, indicator=indicator,
                operator=operator, threshold=None if threshold is None else Decimal(threshold), group=group,
                evidence_hint=hint, order=order * 10,
            )


class Migration(migrations.Migration):
    dependencies = [("criteria", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
