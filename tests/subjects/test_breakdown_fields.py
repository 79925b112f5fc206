"""The person's QĐ 13/2019 fields (issue 16 §5): optional, edited in the form, exported and imported back."""
import io

from django.urls import reverse
from openpyxl import load_workbook

from apps.imports.engine import run_import
from apps.subjects.columns import EXPORT_HEADERS
from apps.subjects.models import Person
from tests.factories.imports import person_row, persons_xlsx

FIELDS = ["ethnicity", "education", "stable_residence", "prior_criminal", "prior_administrative"]


def form_data(person, **changes):
    data = {"full_name": person.full_name, "gender": person.gender, "date_of_birth": "17/05/1990",
            "cccd": person.cccd or "", "khom": person.khom_id, "address": person.address, "phone": "",
            "occupation": "", "notes": "", "version": person.version, "ethnicity": "", "education": "",
            "stable_residence": "unknown", "prior_criminal": "unknown", "prior_administrative": "unknown"}
    data.update(changes)
    return data


def test_a_person_is_saved_without_any_of_them(client_for, police, person):
    response = client_for(police).post(reverse("subjects:edit", args=[person.pk]), form_data(person))
    assert response.status_code == 302
    person.refresh_from_db()
    assert [getattr(person, name) for name in FIELDS] == ["", "", None, None, None]


def test_the_form_records_them_and_the_page_shows_them(client_for, police, person):
    client = client_for(police)
    response = client.post(reverse("subjects:edit", args=[person.pk]), form_data(
        person, ethnicity="khmer", education="upper_secondary", stable_residence="false", prior_criminal="true",
        prior_administrative="false"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert [getattr(person, name) for name in FIELDS] == ["khmer", "upper_secondary", False, True, False]
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Khmer" in page and "Trung học phổ thông" in page
    form = client.get(reverse("subjects:edit", args=[person.pk])).content.decode()
    assert "Chưa rõ" in form and 'value="true" selected' in form


def test_an_unknown_ethnicity_is_refused_on_the_form_and_nothing_changes(client_for, police, person):
    response = client_for(police).post(reverse("subjects:edit", args=[person.pk]), form_data(person, ethnicity="xyz"))
    assert response.status_code == 200
    assert "ethnicity" in response.context["form"].errors
    person.refresh_from_db()
    assert person.ethnicity == ""


def test_the_import_reads_the_words_the_export_writes(police, khom):
    row = person_row(**{"Dân tộc": "khmer", "Trình độ học vấn": "Trung hoc co so", "Nơi cư trú ổn định": "Không",
                        "Tiền án": "có", "Tiền sự": None})
    outcome = run_import(kind="persons", data=persons_xlsx([row]), file_name="a.xlsx", user=police, dry_run=False)
    assert outcome.ok, [e.message for e in outcome.errors]
    person = Person.objects.get()
    assert [getattr(person, name) for name in FIELDS] == ["khmer", "lower_secondary", False, True, None]


def test_a_yes_no_cell_that_is_neither_is_refused_with_its_column(police, khom):
    row = person_row(**{"Tiền án": "có lẽ"})
    outcome = run_import(kind="persons", data=persons_xlsx([row]), file_name="a.xlsx", user=police, dry_run=False)
    assert not outcome.ok and not Person.objects.exists()
    assert outcome.errors[0].column == "Tiền án"
    assert "“Có”, “Không”" in outcome.errors[0].message


def test_an_export_imported_back_changes_nothing(client_for, police, person):
    Person.objects.filter(pk=person.pk).update(ethnicity="cham", education="none", stable_residence=True,
                                               prior_criminal=False, prior_administrative=True)
    response = client_for(police).get(reverse("subjects:export"))
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "STT")
    assert list(header) == EXPORT_HEADERS
    row = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == 1)
    assert [row[EXPORT_HEADERS.index(h)] for h in ("Dân tộc", "Trình độ học vấn", "Nơi cư trú ổn định", "Tiền án",
                                                   "Tiền sự")] == ["Chăm", "Không biết chữ", "Có", "Không", "Có"]
    outcome = run_import(kind="persons", data=data, file_name="export.xlsx", user=police, dry_run=False)
    assert outcome.ok, [e.message for e in outcome.errors]
    person.refresh_from_db()
    assert [getattr(person, name) for name in FIELDS] == ["cham", "none", True, False, True]
