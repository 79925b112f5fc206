"""Seed the two period conventions the code asks for: the state's drug reports and the assessment year.

Both cut on the 15th. Marked unchecked: an administrator compares them with the
documents named and edits them (apps.core.models.PeriodConvention) when the law moves.
"""
from django.db import migrations

CONVENTIONS = [
    ("drug_report", 15, ["month", "quarter", "half_year", "nine_months", "year"],
     "Nghị định 09/2019/NĐ-CP (chế độ báo cáo của cơ quan hành chính nhà nước); QĐ 127/2009/QĐ-TTg "
     "được sửa đổi bởi QĐ 13/2019/QĐ-TTg (chế độ thống kê về phòng, chống ma túy), biểu mẫu Thông tư 13/2022/TT-BCA: "
     "số liệu tính từ ngày 15 tháng trước đến ngày 14 tháng cuối kỳ."),
    ("assessment", 15, ["year"],
     "QĐ 28/2025/QĐ-TTg, Điều 7: kỳ đánh giá, phân loại từ ngày 15/12 năm trước đến ngày 14/12 năm đánh giá."),
]


def seed(apps, schema_editor):
    PeriodConvention = apps.get_model("core", "PeriodConvention")
    for code, start_day, kinds, basis in CONVENTIONS:
        PeriodConvention.objects.get_or_create(
            code=code, defaults={"start_day": start_day, "kinds": kinds, "legal_basis": basis, "checked": False})


class Migration(migrations.Migration):
    dependencies = [("core", "0006_period_convention")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
