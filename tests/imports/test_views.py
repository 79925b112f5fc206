"""The import pages: login, role, scope, upload → preview → confirm, template download, progress."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.imports.choices import BatchStatus
from apps.imports.models import ImportBatch
from apps.imports.services import import_batch_upload
from apps.imports.template import TEMPLATE_HEADERS
from apps.subjects.models import Person
from tests.factories.imports import person_row, persons_xlsx

pytestmark = pytest.mark.urls("tests.imports.urls")


def upload(client, data, kind="persons", name="ds.xlsx"):
    return client.post(reverse("imports:index"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


@pytest.fixture
def batch(police, khom):
    return import_batch_upload(user=police, kind="persons", file_name="ds.xlsx", data=persons_xlsx([person_row()]))


def _urls(batch):
    return {
        "index": ("get", reverse("imports:index")),
        "template": ("get", reverse("imports:template", args=["persons"])),
        "batch": ("get", reverse("imports:batch", args=[batch.pk])),
        "progress": ("get", reverse("imports:progress", args=[batch.pk])),
        "preview": ("post", reverse("imports:preview", args=[batch.pk])),
        "confirm": ("post", reverse("imports:confirm", args=[batch.pk])),
    }


@pytest.mark.parametrize("name", ["index", "template", "batch", "progress", "preview", "confirm"])
def test_anonymous_users_are_sent_to_login(client, batch, name):
    method, url = _urls(batch)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["khom_officer", "province"])
@pytest.mark.parametrize("name", ["index", "template", "batch", "progress", "preview", "confirm"])
def test_khom_officers_and_province_viewers_are_refused(client_for, batch, request, role, name):
    method, url = _urls(batch)[name]
    response = getattr(client_for(request.getfixturevalue(role)), method)(url)
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["batch", "progress", "preview", "confirm"])
def test_a_batch_of_another_ward_answers_404(client_for, other_police, batch, name):
    method, url = _urls(batch)[name]
    assert getattr(client_for(other_police), method)(url).status_code == 404


def test_only_the_uploader_may_run_a_batch_leadership_may_read_it(client_for, leader, batch):
    client = client_for(leader)
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 200
    assert client.post(reverse("imports:preview", args=[batch.pk])).status_code == 404


def test_the_index_offers_a_template_per_kind(client_for, leader):
    response = client_for(leader).get(reverse("imports:index"))
    assert response.status_code == 200
    content = response.content.decode()
    for kind in ("persons", "tests", "cases"):
        assert reverse("imports:template", args=[kind]) in content


@pytest.mark.parametrize("kind", ["persons", "tests", "cases"])
def test_the_template_has_vietnamese_headers_an_example_and_drop_down_lists(client_for, police, khom, kind):
    response = client_for(police).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS[kind]
    assert any(c.value for c in sheet[2])
    assert sheet.data_validations.dataValidation
    lists = workbook.worksheets[1]
    assert lists.sheet_state == "hidden"
    if kind != "tests":
        codes = [cell.value for column in lists.iter_cols() for cell in column]
        assert "A01" in codes
    if kind == "persons":
        # The QĐ 13/2019 fields offer their words too.
        assert {"Kinh", "Trung học cơ sở", "Có", "Không"} <= set(codes)


def test_an_unchanged_template_imports_nothing_but_is_not_an_error_free_import(police, khom, client_for):
    client = client_for(police)
    template = client.get(reverse("imports:template", args=["persons"])).content
    response = upload(client, template)
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:preview", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED  # only the example row: the sheet is empty


def test_upload_preview_confirm_creates_the_rows_and_audits_them(client_for, police, khom):
    client = client_for(police)
    response = upload(client, persons_xlsx([person_row(), person_row(**{"Họ và tên": "Hai"})]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    assert bytes(batch.file_bytes).startswith(b"PK")
    page = client.get(response.url).content.decode()
    assert "data-autosubmit" in page and "imports/progress.js" in page and "<script>" not in page
    client.post(reverse("imports:preview", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.rows_total, batch.rows_done, batch.rows_created) == ("previewed", 2, 2, 2)
    assert not Person.objects.exists()
    assert "Đã xử lý 2/2 dòng" in client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "imported" and batch.imported_at is not None
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(action="import", extra__written=True, object_id=str(batch.pk)).count() == 1
    # A second confirm (double click, replay) does nothing.
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Person.objects.count() == 2


def test_a_file_with_errors_shows_each_error_and_cannot_be_confirmed(client_for, police, khom):
    client = client_for(police)
    upload(client, persons_xlsx([person_row(), person_row(**{"Họ và tên": "B", "Ngày sinh": "31/02/2025"})]))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:preview", args=[batch.pk]))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "31/02/2025" in page and "Ngày sinh" in page
    assert reverse("imports:confirm", args=[batch.pk]) not in page
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert not Person.objects.exists()


def test_a_non_xlsx_upload_is_refused_by_the_form(client_for, police):
    response = upload(client_for(police), b"hello", name="ds.csv")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_progress_answers_json(client_for, police, batch):
    data = client_for(police).get(reverse("imports:progress", args=[batch.pk])).json()
    assert data["status"] == "uploaded" and data["done"] == 0


def test_the_recent_batches_list_does_not_grow_in_queries(client_for, police, khom, count_queries):
    client = client_for(police)
    data = persons_xlsx([person_row()])
    import_batch_upload(user=police, kind="persons", file_name="a.xlsx", data=data)
    client.get(reverse("imports:index"))
    small = count_queries(lambda: client.get(reverse("imports:index")))
    for i in range(10):
        import_batch_upload(user=police, kind="persons", file_name=f"{i}.xlsx", data=data)
    assert count_queries(lambda: client.get(reverse("imports:index"))) == small


def test_a_confirmation_that_fails_midway_leaves_the_batch_refused_not_importing(police, khom, monkeypatch):
    from django.db import DatabaseError

    from apps.imports import services

    batch = import_batch_upload(user=police, kind="persons", file_name="ds.xlsx", data=persons_xlsx([person_row()]))
    services.import_batch_preview(batch=batch, user=police)
    batch.refresh_from_db()

    def lost_connection(**kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "run_import", lost_connection)   # the database failing during the write
    with pytest.raises(DatabaseError):
        services.import_batch_confirm(batch=batch, user=police)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED and not Person.objects.exists()
    monkeypatch.undo()
    services.import_batch_preview(batch=batch, user=police)          # it can be checked and confirmed again
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED
