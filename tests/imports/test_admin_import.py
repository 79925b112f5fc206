"""The admin's import buttons: .xlsx only, the same checks as every import, no local file, no traceback, no 500."""
import re
import tempfile

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from import_export.admin import ImportMixin

from apps.accounts.choices import Role
from apps.core.admin import ScopedAdmin
from apps.core.models import AuditEvent
from apps.imports import archive, reader
from apps.imports.admin import CONFIRMATION_INVALID, IMPORT_FAILED, ImportBatchStorage, ScopedImportExportMixin
from apps.imports.archive import size_label
from apps.imports.choices import BatchStatus
from apps.imports.formats import CheckedXLSX
from apps.imports.forms import FILE_NOT_XLSX_NAME
from apps.imports.models import ImportBatch
from apps.subjects.resources import PersonResource
from apps.subjects.models import Person
from tests.factories import hostile_xlsx as hostile
from tests.factories.accounts import UserFactory
from tests.factories.imports import person_row, persons_xlsx
from tests.imports.test_archive import GROWTH_LIMIT, measure

IMPORT = reverse("admin:subjects_person_import")
CONFIRM = reverse("admin:subjects_person_process_import")


@pytest.fixture
def staff(ward):
    return UserFactory(username="t_staff_admin", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True,
                       wards=[ward])


@pytest.fixture
def client(client, staff):
    client.force_login(staff)
    client.raise_request_exception = False
    return client


def post_file(client, data, name="ds.xlsx", format="0"):
    return client.post(IMPORT, {"format": format, "resource": "0", "import_file": SimpleUploadedFile(name, data)})


def file_errors(response) -> list:
    return [str(e) for e in response.context["form"].errors.get("import_file", [])]


def messages_of(response) -> list:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_admin_with_an_import_button_uses_the_checked_mixin():
    importing = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ImportMixin)]
    assert importing and all(isinstance(m, ScopedImportExportMixin) for m in importing)


def test_the_import_offers_xlsx_only_whatever_the_settings_say(client, settings):
    settings.IMPORT_FORMATS = [__import__("import_export.formats.base_formats", fromlist=["CSV"]).CSV]
    assert admin.site.get_model_admin(Person).get_import_formats() == [CheckedXLSX]
    page = client.get(IMPORT).content.decode()
    assert re.search(r'<input type="hidden" name="format" value="0"', page)
    assert "csv" not in page.lower().split("<form", 1)[1].split("</form>", 1)[0]


@pytest.mark.parametrize("name,format", [("a.html", "4"), ("a.html", "0"), ("a.csv", "0"), ("ds.xlsx", "4"),
                                         ("ds.xlsx", "x"), ("ds.xlsx", "")])
def test_another_format_is_refused_with_a_message_never_a_500(client, khom, name, format):
    """The admin's HTML import answered 500 (tablib returned a dataset without headers)."""
    html = "<table><tr><th>Họ và tên</th><th>Mã khóm</th></tr><tr><td>A</td><td>A01</td></tr></table>".encode()
    response = post_file(client, html if name.endswith("html") else persons_xlsx([person_row()]), name, format)
    assert response.status_code == 200
    errors = [str(e) for errors in response.context["form"].errors.values() for e in errors]
    assert str(FILE_NOT_XLSX_NAME) in errors or "format" in response.context["form"].errors
    assert not ImportBatch.objects.exists() and not Person.objects.exists()


def test_a_sheet_bomb_is_refused_before_parsing_in_bounded_memory_and_audited(client, staff):
    data = hostile.sheet_bomb()
    response, growth = measure(lambda: post_file(client, data))
    message = archive.ARCHIVE_MEMBER_TOO_LARGE % {"name": "xl/worksheets/sheet1.xml",
                                                  "limit": size_label(archive.Limits.from_settings().uncompressed)}
    assert response.status_code == 200 and file_errors(response) == [str(message)]
    assert growth < GROWTH_LIMIT
    assert not ImportBatch.objects.exists() and not Person.objects.exists()
    event = AuditEvent.objects.get(action="import")
    assert event.user == staff and event.extra["source"] == "admin" and event.extra["refused"] == str(message)


def test_a_file_over_the_upload_limit_is_refused(client, settings):
    settings.IMPORT_MAX_BYTES = 2000
    response = post_file(client, persons_xlsx([person_row()]))
    assert file_errors(response) == [str(archive.FILE_TOO_LARGE % {"limit": size_label(2000)})]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("build,message", [(hostile.billion_laughs, reader.XML_FORBIDDEN),
                                           (hostile.external_entity, reader.XML_FORBIDDEN),
                                           (hostile.wide_row, reader.ROW_TOO_WIDE % {"row": 2, "limit": "16.384"})])
def test_a_sound_archive_with_hostile_xml_is_refused_with_our_message_and_audited(client, khom, build, message):
    response = post_file(client, build())
    assert response.status_code == 200 and file_errors(response) == [str(message)]
    assert ImportBatch.objects.get().status == BatchStatus.REFUSED and not Person.objects.exists()
    assert AuditEvent.objects.get(action="import").extra["refused"] == str(message)


def test_a_formula_is_refused_with_its_row_and_column(client, khom):
    response = post_file(client, persons_xlsx([person_row(**{"Họ và tên": "=1+1"})]))
    assert file_errors(response) == [f"Dòng 2, cột “Họ và tên”: {reader.FORMULA_CELL}"]


def _dry_run(client, data=None):
    response = post_file(client, data or persons_xlsx([person_row()]))
    assert response.status_code == 200 and "confirm_form" in response.context, response.context["form"].errors
    return response.context["confirm_form"].initial


def test_the_upload_lives_in_an_import_batch_never_in_a_local_file(client, khom, monkeypatch, tmp_path, staff):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where import-export's default storage writes
    data = persons_xlsx([person_row()])
    initial = _dry_run(client, data)
    batch = ImportBatch.objects.get()
    assert initial["import_file_name"] == str(batch.pk) and bytes(batch.file_bytes) == data
    assert batch.created_by == staff and batch.status == BatchStatus.PREVIEWED
    response = client.post(CONFIRM, initial)
    assert response.status_code == 302 and response.url == reverse("admin:subjects_person_changelist")
    assert Person.objects.get().full_name == "Trần Văn Nhập"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.rows_created == 1 and batch.imported_at
    assert list(tmp_path.iterdir()) == []


def test_the_storage_reads_the_batch_and_removes_nothing(police):
    data = persons_xlsx([person_row()])
    batch = ImportBatch.objects.create(created_by=police, kind="persons", file_name="a.xlsx", file_bytes=data)
    storage = ImportBatchStorage(name=str(batch.pk), read_mode="rb")
    assert storage.read() == data
    storage.remove()
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


@pytest.mark.parametrize("change", [{"format": "abc"}, {"format": "99"}, {"format": "1"}, {"resource": "5"},
                                    {"resource": "x"}, {"import_file_name": "999999"}, {"format": "²"},
                                    {"resource": "²"}, {"import_file_name": "²"}, {"import_file_name": "9" * 5000},
                                    {"import_file_name": "../../etc/passwd"}, {"import_file_name": ""}])
def test_a_tampered_confirmation_gets_a_message_never_a_500_and_writes_nothing(client, khom, change):
    """process_import answered 500 on a format that is not a number or not in the list."""
    data = {**_dry_run(client), **change}
    response = client.post(CONFIRM, data)
    assert response.status_code == 302 and response.url == IMPORT
    assert messages_of(response) == [str(CONFIRMATION_INVALID)]
    assert not Person.objects.exists()


def test_a_confirmation_counts_once(client, khom):
    initial = _dry_run(client)
    client.post(CONFIRM, initial)
    response = client.post(CONFIRM, initial)
    assert response.url == IMPORT and str(CONFIRMATION_INVALID) in messages_of(response)
    assert Person.objects.count() == 1


def test_another_users_upload_cannot_be_confirmed(client, khom, ward):
    initial = _dry_run(client)
    other = UserFactory(username="t_staff_other", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True,
                        wards=[ward])
    client.force_login(other)
    response = client.post(CONFIRM, initial)
    assert response.url == IMPORT and messages_of(response) == [str(CONFIRMATION_INVALID)]
    assert not Person.objects.exists()


def test_an_upload_whose_dry_run_failed_cannot_be_confirmed(client, khom):
    response = post_file(client, persons_xlsx([person_row(**{"Ngày sinh": "31/02/1990"})]))
    assert "confirm_form" not in response.context
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.REFUSED
    response = client.post(CONFIRM, {"import_file_name": str(batch.pk), "original_file_name": "ds.xlsx",
                                     "format": "0", "resource": "0"})
    assert response.url == IMPORT and messages_of(response) == [str(CONFIRMATION_INVALID)]
    assert not Person.objects.exists()


def test_an_import_that_fails_at_confirmation_says_so_and_writes_nothing(client, khom):
    initial = _dry_run(client)
    khom.delete()  # its rows now point at a khóm that no longer exists
    response = client.post(CONFIRM, initial)
    assert response.url == IMPORT and messages_of(response) == [str(IMPORT_FAILED)]
    assert not Person.objects.exists()
    assert ImportBatch.objects.get().status == BatchStatus.REFUSED


class _FailingResource(PersonResource):
    def before_import(self, dataset, **kwargs):
        raise RuntimeError("lỗi thử trong before_import")


class _FailingAdmin(ScopedImportExportMixin, ScopedAdmin):
    resource_classes = [_FailingResource]


def test_an_error_outside_the_rows_shows_its_message_and_no_traceback_with_debug_off(staff, khom, settings):
    settings.DEBUG = False
    request = RequestFactory().post(IMPORT, {"format": "0", "resource": "0", "import_file": SimpleUploadedFile(
        "ds.xlsx", persons_xlsx([person_row()]))})
    request.user = staff
    response = _FailingAdmin(Person, admin.site).import_action(request)
    response.render()
    page = response.content.decode()
    assert "lỗi thử trong before_import" in page
    assert "Traceback" not in page and "before_import(dataset" not in page
