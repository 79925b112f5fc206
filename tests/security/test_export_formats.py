"""The admin's import-export buttons write user text as text: no exported cell is a formula."""
import datetime as dt
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from apps.cases.models import Case
from apps.core.safe_formats import SafeXLSX
from apps.subjects.models import DrugTest, Person

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.mark.parametrize("model", [Person, DrugTest, Case])
def test_only_the_safe_xlsx_format_is_offered_for_admin_exports(model):
    assert admin.site.get_model_admin(model).get_export_formats() == [SafeXLSX]


@pytest.mark.django_db
def test_the_admin_export_page_offers_xlsx_only(admin_client):
    form = admin_client.get(reverse("admin:subjects_person_export")).context["form"]
    assert [label for value, label in form.fields["format"].choices if value != ""] == ["xlsx"]


def test_loading_the_settings_imports_no_application_code():
    """Settings that import app modules can raise AppRegistryNotReady from manage.py; they import none."""
    code = "import sys, myhoi.settings; print(sorted(m for m in sys.modules if m == 'apps' or m.startswith('apps.')))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "myhoi.settings", "DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert not hasattr(settings, "EXPORT_FORMATS")


def test_text_that_looks_like_a_formula_is_exported_as_text_and_other_values_keep_their_type():
    dataset = tablib.Dataset(headers=["Họ tên", "Ngày", "Số"], title="Đối tượng")
    for value in HOSTILE:
        dataset.append([value, dt.date(2026, 1, 5), 7])
    workbook = load_workbook(BytesIO(SafeXLSX().export_data(dataset)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == ["Họ tên", "Ngày", "Số"]
    for row, value in zip(sheet.iter_rows(min_row=2), HOSTILE):
        name, day, number = row
        assert name.value == value and name.data_type == "s"
        assert day.is_date and day.value.date() == dt.date(2026, 1, 5)
        assert number.value == 7 and number.data_type == "n"
