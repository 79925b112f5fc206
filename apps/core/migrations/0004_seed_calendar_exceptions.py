"""Seed the announced swaps of working days that the pinned ``holidays`` package does not know.

holidays 0.109 knows the days off of these swaps only where listed below as
known; it never models the Saturday worked in exchange. Every row is marked
unchecked: the sources are the announcements as reported, and an
administrator should compare them with the original text.
"""
import datetime as dt

from django.db import migrations

DAY_OFF, WORKING_DAY = "day_off", "working_day"

NEW_YEAR_2026 = ("Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ về nghỉ Tết Dương lịch 2026 "
                 "(theo báo chí đưa tin; cần đối chiếu văn bản gốc).")
NATIONAL_DAY_2026 = ("Thông báo của Chính phủ về lịch nghỉ lễ Quốc khánh 2026 đối với cán bộ, công chức, viên chức: "
                     "làm bù thứ Bảy 22/08/2026, nghỉ thứ Hai 31/08/2026 (số hiệu văn bản chưa đối chiếu; "
                     "ngày nghỉ 31/08/2026 thư viện holidays đã có).")
LABOUR_DAY_2025 = ("Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội về lịch nghỉ lễ năm 2025 "
                   "(ngày nghỉ 02/05/2025 thư viện holidays đã có; cần đối chiếu văn bản gốc).")

# date, kind, name, legal basis
EXCEPTIONS = [
    (dt.date(2025, 4, 26), WORKING_DAY, "Làm bù cho thứ Sáu 02/05/2025", LABOUR_DAY_2025),
    (dt.date(2026, 1, 2), DAY_OFF, "Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)", NEW_YEAR_2026),
    (dt.date(2026, 1, 10), WORKING_DAY, "Làm bù cho thứ Sáu 02/01/2026", NEW_YEAR_2026),
    (dt.date(2026, 8, 22), WORKING_DAY, "Làm bù cho thứ Hai 31/08/2026", NATIONAL_DAY_2026),
]


def seed(apps, schema_editor):
    CalendarException = apps.get_model("core", "CalendarException")
    for day, kind, name, legal_basis in EXCEPTIONS:
        # get_or_create: an administrator's later edits are never overwritten.
        CalendarException.objects.get_or_create(date=day, defaults={
            "kind": kind, "name": name, "legal_basis": legal_basis, "checked": False})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_exceptions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
