"""/imports/ checks an upload before keeping it: a hostile file is refused on the form, audited, and nothing is kept."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.imports import archive, reader
from apps.imports.archive import size_label
from apps.imports.choices import BatchStatus
from apps.imports.models import ImportBatch
from apps.imports.services import import_batch_upload
from apps.subjects.models import Person
from tests.factories import hostile_xlsx as hostile
from tests.factories.imports import person_row, persons_xlsx
from tests.imports.test_archive import GROWTH_LIMIT, measure

pytestmark = pytest.mark.urls("tests.imports.urls")


def upload(client, data, name="ds.xlsx"):
    return client.post(reverse("imports:index"), {"kind": "persons", "file": SimpleUploadedFile(name, data)})


def _refused_on_the_form(response, message):
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(message)]
    assert str(message) in response.content.decode()
    assert not ImportBatch.objects.exists() and not Person.objects.exists()
    event = AuditEvent.objects.get(action="import")
    assert event.extra["refused"] == str(message) and event.extra["source"] == "web"
    return event


def test_a_sheet_bomb_is_refused_on_upload_in_bounded_memory(client_for, police):
    client, data = client_for(police), hostile.sheet_bomb()
    response, growth = measure(lambda: upload(client, data))
    event = _refused_on_the_form(response, archive.ARCHIVE_MEMBER_TOO_LARGE % {
        "name": "xl/worksheets/sheet1.xml", "limit": size_label(archive.Limits.from_settings().uncompressed)})
    assert event.user == police and event.ip == "127.0.0.1"
    assert growth < GROWTH_LIMIT


@pytest.mark.parametrize("build,message", [
    (hostile.theme_bomb, lambda: archive.ARCHIVE_MEMBER_TOO_LARGE % {
        "name": "xl/theme/theme1.xml", "limit": size_label(archive.Limits.from_settings().member)}),
    (hostile.lying_size, lambda: archive.ARCHIVE_SIZE_MISMATCH % {"name": "xl/worksheets/sheet1.xml"}),
    (hostile.many_members, lambda: archive.ARCHIVE_TOO_MANY_MEMBERS % {"count": 5009, "limit": 200}),
    (hostile.not_a_zip, lambda: archive.FILE_NOT_XLSX),
])
def test_a_hostile_archive_is_refused_on_upload(client_for, police, build, message):
    _refused_on_the_form(upload(client_for(police), build()), message())


def test_a_file_larger_than_the_upload_limit_is_refused_and_audited(client_for, police, settings):
    settings.IMPORT_MAX_BYTES = 2000
    data = persons_xlsx([person_row()])
    _refused_on_the_form(upload(client_for(police), data), archive.FILE_TOO_LARGE % {"limit": size_label(2000)})


def test_a_nul_character_in_the_uploaded_file_name_never_reaches_the_database(client_for, police):
    """Django's multipart parser drops unprintable characters from upload names."""
    response = upload(client_for(police), persons_xlsx([person_row()]), name="ds\x00.xlsx")
    assert response.status_code == 302 and ImportBatch.objects.get().file_name == "ds.xlsx"


def test_the_upload_service_refuses_a_file_name_with_a_control_character_and_audits_it_without_it(police):
    with pytest.raises(ValidationError) as refused:
        import_batch_upload(user=police, kind="persons", file_name="ds\x00.xlsx", data=persons_xlsx([person_row()]))
    assert refused.value.messages == [str(archive.FILE_NAME_INVALID)]
    assert not ImportBatch.objects.exists()
    event = AuditEvent.objects.get(action="import")
    assert event.object_repr == event.extra["file"] == "ds?.xlsx"
    assert event.extra["refused"] == str(archive.FILE_NAME_INVALID)


def test_an_empty_upload_is_refused_by_the_form(client_for, police):
    response = upload(client_for(police), b"")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_a_workbook_with_an_entity_expansion_is_refused_at_the_check_with_a_message(client_for, police, khom):
    """The archive is sound, so the upload is kept; its check refuses it before a row is read."""
    client = client_for(police)
    response = upload(client, hostile.billion_laughs())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("imports:preview", args=[batch.pk]), follow=True)
    assert response.status_code == 200 and str(reader.XML_FORBIDDEN) in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED and not Person.objects.exists()
    assert AuditEvent.objects.get(action="import").extra["refused"] == str(reader.XML_FORBIDDEN)


def test_a_kept_batch_is_checked_again_when_it_is_previewed(client_for, police, khom, settings):
    """Limits lowered between upload and preview: the preview refuses the file, nothing is written."""
    client = client_for(police)
    upload(client, persons_xlsx([person_row()]))
    batch = ImportBatch.objects.get()
    settings.IMPORT_MAX_ZIP_MEMBERS = 3
    client.post(reverse("imports:preview", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.report["errors"][0]["message"] == str(archive.ARCHIVE_TOO_MANY_MEMBERS % {"count": 9, "limit": 3})
    assert not Person.objects.exists()


def test_a_sound_upload_is_kept_for_the_preview(client_for, police, khom):
    data = persons_xlsx([person_row()])
    response = upload(client_for(police), data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    assert bytes(batch.file_bytes) == data
    assert not AuditEvent.objects.filter(action="import").exists()
