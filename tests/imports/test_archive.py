"""Hostile workbooks: each refused before it is parsed (or read in bounded memory), quickly, nothing written, audited.

Memory is measured as the growth of this process's peak RSS: VmHWM is reset to the current RSS
through /proc/self/clear_refs, the import runs, VmHWM is read again. Before the archive check a
4 MB workbook took a worker from 122 MB to 4.3 GB.
"""
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.core.excel import StreamingWorkbook
from apps.core.models import AuditEvent
from apps.imports import archive, reader
from apps.imports.archive import GuardedZipFile, ImportFileError, Limits, check_workbook, size_label
from apps.imports.engine import run_import
from apps.subjects.models import Person
from tests.factories import hostile_xlsx as hostile
from tests.factories.imports import PERSON_TEMPLATE_HEADERS, person_row, persons_xlsx

MB = 1024 * 1024
# What one hostile file may add to the process's peak memory.
GROWTH_LIMIT = 100 * MB
SHEET = "xl/worksheets/sheet1.xml"


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"{field} not in /proc/self/status")


def measure(run):
    """(result, peak memory growth in bytes) of run(). Time is measured by scripts/hostile_imports.py,
    not asserted here: a test does not assert timings (docs/security.md has the figures)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # VmHWM := VmRSS
    before = _status("VmRSS")
    result = run()
    return result, _status("VmHWM") - before


def _limits():
    return Limits.from_settings()


# name → the reason given. Messages are built as the check builds them.
REFUSED = {
    "sheet_bomb": (lambda: archive.ARCHIVE_MEMBER_TOO_LARGE % {"name": SHEET, "limit": size_label(_limits().uncompressed)}),
    "theme_bomb": (lambda: archive.ARCHIVE_MEMBER_TOO_LARGE % {"name": "xl/theme/theme1.xml",
                                                               "limit": size_label(_limits().member)}),
    "styles_bloat": (lambda: archive.ARCHIVE_MEMBER_TOO_LARGE % {"name": "xl/styles.xml",
                                                                 "limit": size_label(_limits().member)}),
    "ratio_bomb": (lambda: archive.ARCHIVE_RATIO % {"name": SHEET, "limit": _limits().ratio}),
    "many_members": (lambda: archive.ARCHIVE_TOO_MANY_MEMBERS % {"count": 5009, "limit": _limits().members}),
    "many_members_under_a_small_count": (lambda: archive.ARCHIVE_TOO_MANY_MEMBERS % {
        "count": 50009, "limit": _limits().members}),
    "lying_size": (lambda: archive.ARCHIVE_SIZE_MISMATCH % {"name": SHEET}),
    "overlapping": (lambda: archive.ARCHIVE_OVERLAP),
    "duplicate_names": (lambda: archive.ARCHIVE_OVERLAP),
    "bzip2_member": (lambda: archive.ARCHIVE_METHOD % {"name": "xl/styles.xml"}),
    "not_a_zip": (lambda: archive.FILE_NOT_XLSX),
    "plain_zip": (lambda: archive.FILE_NOT_XLSX),
    "truncated": (lambda: archive.FILE_CORRUPT),
    "billion_laughs": (lambda: reader.XML_FORBIDDEN),
    "external_entity": (lambda: reader.XML_FORBIDDEN),
    "wide_row": (lambda: reader.ROW_TOO_WIDE % {"row": 2, "limit": "16.384"}),
    "endless_rows": (lambda: reader.SHEET_TOO_LONG % {"limit": "1.048.576"}),
    "shared_string_amplifier": (lambda: archive.TEXT_TOO_LARGE % {"limit": size_label(_limits().uncompressed)}),
    "shared_strings_flood": (lambda: archive.TEXT_TOO_LARGE % {"limit": size_label(_limits().uncompressed)}),
    "deep_nesting": (lambda: archive.FILE_CORRUPT),
}


def _build(name):
    return b"" if name == "empty" else getattr(hostile, name)()


def _import(user, data, name="bom.xlsx"):
    return run_import(kind="persons", data=data, file_name=name, user=user, dry_run=False)


def _only_the_import_event_was_written():
    assert not Person.objects.exists()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["import"]
    return AuditEvent.objects.get()


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_workbook_is_refused_in_bounded_memory_writing_nothing_but_its_audit(police, khom, name):
    expected = REFUSED[name]
    data = _build(name)
    outcome, growth = measure(lambda: _import(police, data))
    assert [p.message for p in outcome.errors] == [str(expected())]
    assert not outcome.written
    assert growth < GROWTH_LIMIT, f"{name}: peak memory grew {growth / MB:.1f} MB"
    event = _only_the_import_event_was_written()
    assert event.extra["refused"] == str(expected()) and event.extra["written"] is False
    assert event.user == police


def test_an_empty_file_is_refused(police, khom):
    outcome = _import(police, b"")
    assert [p.message for p in outcome.errors] == [str(archive.FILE_EMPTY)]
    _only_the_import_event_was_written()


@pytest.mark.parametrize("name", ["merged_cells_bloat", "nested_zip_bomb", "styles_at_the_limit"])
def test_a_valid_workbook_carrying_bloat_is_read_in_bounded_memory(police, khom, name):
    """600,000 merged ranges after the rows, a zip bomb as an embedded object, 25,000 cell formats: one person imported."""
    data = _build(name)
    outcome, growth = measure(lambda: _import(police, data))
    assert outcome.written and outcome.created == 1, outcome.errors
    assert growth < GROWTH_LIMIT, f"{name}: peak memory grew {growth / MB:.1f} MB"
    assert Person.objects.count() == 1


def test_a_file_name_with_a_control_character_is_refused():
    with pytest.raises(ImportFileError) as refused:
        check_workbook(persons_xlsx([person_row()]), file_name="ds\x00.xlsx")
    assert refused.value.message == archive.FILE_NAME_INVALID
    assert archive.safe_file_name("ds\x00\n.xlsx") == "ds??.xlsx"


def _wide_workbook(rows: int) -> bytes:
    book = StreamingWorkbook()
    sheet = book.sheet("Dữ liệu", headers=PERSON_TEMPLATE_HEADERS)
    sheet.append_rows([f"Nguyễn Văn Số {i}", "Nam", "15/03/1992", None, "A01", None, f"{i} Lê Lợi", f"09{i:08d}",
                       "Thợ hồ", f"Ghi chú {i}"] for i in range(rows))
    return book.getvalue()


def test_a_workbook_of_the_largest_allowed_number_of_rows_passes_every_check(settings):
    data = _wide_workbook(settings.IMPORT_MAX_ROWS)
    check_workbook(data)
    sheet = reader.read_sheet(data, known=PERSON_TEMPLATE_HEADERS, required=["Họ và tên"])
    assert len(sheet.rows) == settings.IMPORT_MAX_ROWS and sheet.row_numbers[-1] == settings.IMPORT_MAX_ROWS + 1


@pytest.mark.parametrize("setting,value,message", [
    ("IMPORT_MAX_BYTES", 4096, lambda: archive.FILE_TOO_LARGE % {"limit": size_label(4096)}),
    ("IMPORT_MAX_UNCOMPRESSED_BYTES", MB, lambda: archive.ARCHIVE_MEMBER_TOO_LARGE % {
        "name": SHEET, "limit": size_label(MB)}),
    ("IMPORT_MAX_MEMBER_BYTES", 1000, lambda: archive.ARCHIVE_MEMBER_TOO_LARGE % {
        "name": "[Content_Types].xml", "limit": size_label(1000)}),
    ("IMPORT_MAX_ZIP_MEMBERS", 5, lambda: archive.ARCHIVE_TOO_MANY_MEMBERS % {"count": 9, "limit": 5}),
    ("IMPORT_MAX_COMPRESSION_RATIO", 5, lambda: archive.ARCHIVE_RATIO % {"name": SHEET, "limit": 5}),
])
def test_each_limit_is_read_from_its_setting_and_named_in_the_refusal(settings, setting, value, message):
    data = _wide_workbook(3000)  # its sheet inflates to 1.6 MB, 11 times its compressed size
    check_workbook(data)
    setattr(settings, setting, value)
    with pytest.raises(ImportFileError) as refused:
        check_workbook(data)
    assert str(refused.value.message) == str(message())


def test_the_limits_have_safe_defaults():
    from myhoi import settings as production

    assert production.IMPORT_MAX_UNCOMPRESSED_BYTES == 64 * MB and production.IMPORT_MAX_MEMBER_BYTES == 4 * MB
    assert production.IMPORT_MAX_ZIP_MEMBERS == 200 and production.IMPORT_MAX_COMPRESSION_RATIO == 100


def test_the_bounded_reader_stops_a_member_that_gives_more_than_its_directory_declared():
    """zipfile stops at the declared size itself today; the bounded reader does not rely on it."""
    workbook = GuardedZipFile(persons_xlsx([person_row()]))
    info = workbook.getinfo(SHEET)
    member = archive._BoundedMember(io.BytesIO(b"x" * (info.file_size + 1)), archive=workbook, info=info,
                                    limit=MB)
    with pytest.raises(ImportFileError) as refused:
        member.read()
    assert refused.value.message == archive.ARCHIVE_SIZE_MISMATCH % {"name": SHEET}


def test_the_bounded_reader_refuses_a_whole_part_over_the_member_limit_and_any_reading_over_the_total(settings):
    data = persons_xlsx([person_row()])
    settings.IMPORT_MAX_MEMBER_BYTES = 500
    workbook = GuardedZipFile(data)
    with pytest.raises(ImportFileError) as refused:
        workbook.read("xl/styles.xml")  # read whole: the member limit
    assert refused.value.message == archive.ARCHIVE_MEMBER_TOO_LARGE % {"name": "xl/styles.xml",
                                                                        "limit": size_label(500)}
    with workbook.open("xl/styles.xml") as stream:  # streamed: only the total applies
        assert stream.read(100) and stream.read()
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size + 10
    workbook = GuardedZipFile(data)
    with workbook.open(SHEET) as stream:
        stream.read()
    with pytest.raises(ImportFileError) as refused:
        with workbook.open(SHEET) as stream:  # the same part again: the total counts every byte inflated
            stream.read()
    assert refused.value.message == archive.ARCHIVE_TOO_LARGE % {"limit": size_label(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)}


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_the_command_refuses_a_hostile_file_with_its_reason_and_writes_nothing(police, khom, tmp_path, capsys):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(hostile.sheet_bomb())
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_xlsx", "persons", str(path), "--user", police.username)
    expected = archive.ARCHIVE_MEMBER_TOO_LARGE % {"name": SHEET, "limit": size_label(_limits().uncompressed)}
    assert str(expected) in capsys.readouterr().err
    assert _only_the_import_event_was_written().extra["refused"] == str(expected)


def test_the_command_reads_no_more_than_the_upload_limit_of_a_huge_file(police, khom, tmp_path, capsys, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK" + b"\0" * 50_000_000)
    _result, growth = measure(lambda: pytest.raises(
        CommandError, call_command, "import_xlsx", "persons", str(path), "--user", police.username))
    assert str(archive.FILE_TOO_LARGE % {"limit": size_label(10_000)}) in capsys.readouterr().err
    assert growth < 20 * MB
