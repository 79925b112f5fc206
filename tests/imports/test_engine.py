"""The import engine: each bad input refused with its message and nothing written; round trip; create; update."""
import datetime as dt
import gc
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core.models import AuditEvent
from apps.imports import reader, resources, widgets
from apps.subjects import resources as subject_resources
from apps.imports.engine import run_import
from apps.imports.lookups import KHOM_NOT_FOUND, KHOM_OUT_OF_SCOPE, KhomIndex
from apps.subjects.models import CCCD_UNAVAILABLE, DrugTest, Person
from tests.factories.imports import PERSON_TEMPLATE_HEADERS, person_row, persons_xlsx, xlsx
from tests.factories.subjects import PersonFactory


def persons(user, data, dry_run=False, name="danh-sach.xlsx"):
    return run_import(kind="persons", data=data, file_name=name, user=user, dry_run=dry_run)


def messages(outcome):
    return [p.message for p in outcome.errors]


# Whole-file refusals -------------------------------------------------------------------------
def _refused(outcome, message):
    assert not outcome.ok and not outcome.written
    assert str(message).split("%")[0] in " | ".join(messages(outcome))
    assert Person.objects.count() == 0


def test_an_empty_file_is_refused(police, khom):
    _refused(persons(police, b""), reader.FILE_EMPTY)


def test_a_file_that_is_not_xlsx_is_refused(police, khom):
    _refused(persons(police, "Họ và tên,Giới tính\nA,Nam\n".encode()), reader.FILE_NOT_XLSX)


def test_a_corrupt_xlsx_is_refused(police, khom):
    data = persons_xlsx([person_row()])
    _refused(persons(police, data[: len(data) // 2]), reader.FILE_CORRUPT)


def test_a_password_protected_workbook_is_refused(police, khom):
    # Excel stores an encrypted .xlsx as an OLE2 compound file with an EncryptionInfo stream.
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100
    _refused(persons(police, fake), reader.FILE_ENCRYPTED)


def test_an_empty_sheet_is_refused(police, khom):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    _refused(persons(police, buffer.getvalue()), reader.SHEET_EMPTY)


def test_a_sheet_with_headers_but_no_rows_is_refused(police, khom):
    _refused(persons(police, persons_xlsx([])), reader.SHEET_EMPTY)


def test_a_missing_required_column_is_refused(police, khom):
    headers = [h for h in PERSON_TEMPLATE_HEADERS if h != "Ngày sinh"]
    outcome = persons(police, persons_xlsx([person_row()], headers=headers))
    _refused(outcome, reader.COLUMNS_MISSING)
    assert "Ngày sinh" in messages(outcome)[0]


def test_a_renamed_column_is_refused(police, khom):
    headers = ["Tên đầy đủ" if h == "Họ và tên" else h for h in PERSON_TEMPLATE_HEADERS]
    row = person_row()
    row["Tên đầy đủ"] = row.pop("Họ và tên")
    outcome = persons(police, persons_xlsx([row], headers=headers))
    _refused(outcome, reader.COLUMNS_UNKNOWN)
    assert "ten day du" in messages(outcome)[0]


def test_more_rows_than_the_limit_is_refused(police, khom, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [person_row(**{"Họ và tên": f"Người {i}"}) for i in range(5)]
    outcome = persons(police, persons_xlsx(rows))
    _refused(outcome, reader.TOO_MANY_ROWS)
    assert "5" in messages(outcome)[0] and "3" in messages(outcome)[0]


def test_a_formula_in_a_cell_is_refused_with_its_row_and_column(police, khom):
    outcome = persons(police, persons_xlsx([person_row(), person_row(**{"Địa chỉ": "=HYPERLINK(\"x\")"})]))
    _refused(outcome, reader.FORMULA_CELL)
    assert (outcome.errors[0].row, outcome.errors[0].column) == (3, "Địa chỉ")


# Row errors: nothing is written, every bad row is listed ---------------------------------------
def test_an_impossible_date_is_refused_and_nothing_is_written(police, khom):
    outcome = persons(police, persons_xlsx([person_row(), person_row(**{"Họ và tên": "B", "Ngày sinh": "31/02/2025"})]))
    _refused(outcome, "Ngày “31/02/2025” không tồn tại trong lịch.")
    assert (outcome.errors[0].row, outcome.errors[0].column) == (3, "Ngày sinh")


def test_an_invalid_cccd_is_refused(police, khom):
    outcome = persons(police, persons_xlsx([person_row(**{"Số CCCD": "12345"})]))
    _refused(outcome, "Số CCCD phải gồm đúng 12 chữ số.")
    assert outcome.errors[0].column == "Số CCCD"


def test_a_cccd_that_contradicts_the_birth_date_is_refused(police, khom):
    # 089 (An Giang), 0 = male born 1900s, 85 ≠ 92.
    outcome = persons(police, persons_xlsx([person_row(**{"Số CCCD": "089085123456"})]))
    _refused(outcome, "Chữ số thứ 5–6 của CCCD không khớp với năm sinh.")


def test_duplicates_inside_the_file_are_refused(police, khom):
    rows = [person_row(**{"Số CCCD": "089092123456"}), person_row(**{"Họ và tên": "Khác", "Số CCCD": "089092123456"})]
    outcome = persons(police, persons_xlsx(rows))
    _refused(outcome, resources.DUPLICATE_IN_FILE)
    assert outcome.errors[0].row == 3 and "2" in outcome.errors[0].message


def test_the_same_person_twice_by_name_and_birth_date_is_refused(police, khom):
    outcome = persons(police, persons_xlsx([person_row(), person_row()]))
    _refused(outcome, resources.DUPLICATE_IN_FILE)


def test_a_khom_outside_the_users_scope_is_refused(police, khom, other_khom):
    outcome = persons(police, persons_xlsx([person_row(khom_code="B01")]))
    _refused(outcome, KHOM_OUT_OF_SCOPE)
    assert outcome.errors[0].column == "Mã khóm"


def test_a_cccd_already_recorded_for_someone_else_is_refused(police, khom, other_khom):
    PersonFactory(khom=other_khom, full_name="Người ở phường B", cccd="089092123456",
                  date_of_birth=dt.date(1992, 3, 15))
    outcome = persons(police, persons_xlsx([person_row(**{"Số CCCD": "089092123456"})]))
    assert str(CCCD_UNAVAILABLE) in messages(outcome)
    assert Person.objects.count() == 1


def test_an_unknown_choice_label_lists_the_allowed_ones(police, khom):
    outcome = persons(police, persons_xlsx([person_row(**{"Giới tính": "Không rõ"})]))
    assert "Nam, Nữ" in messages(outcome)[0]
    assert not Person.objects.exists()


def test_one_bad_row_among_good_ones_writes_nothing_and_leaves_no_history(police, khom):
    rows = [person_row(**{"Họ và tên": f"Người {i}"}) for i in range(5)] + [person_row(**{"Ngày sinh": "abc"})]
    outcome = persons(police, persons_xlsx(rows))
    assert [p.row for p in outcome.errors] == [7]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(object_type="subjects.person").exists()


# Writes ------------------------------------------------------------------------------------------
def test_new_rows_are_created_with_dates_as_text_or_excel_dates_and_khom_by_name(police, khom):
    rows = [person_row(**{"Họ và tên": "  Lê   Thị Mới ", "Giới tính": "nu", "Ngày sinh": dt.datetime(1990, 1, 2),
                          "Mã khóm": None, "Khóm": "khom a01"}),
            person_row(**{"Số CCCD": "089092123456"})]
    outcome = persons(police, persons_xlsx(rows, banner="TÀI LIỆU MẬT"))
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated, outcome.written) == (2, 0, True)
    new = Person.objects.get(full_name="Lê Thị Mới")
    assert (new.gender, new.date_of_birth, new.khom) == ("female", dt.date(1990, 1, 2), khom)
    assert new.search_text.startswith("le thi moi")
    assert Person.objects.get(cccd="089092123456").created_by == police
    events = AuditEvent.objects.filter(object_type="subjects.person", action="create")
    assert events.count() == 2 and events.first().extra["via"] == "import"
    batch_event = AuditEvent.objects.get(action="import")
    assert batch_event.extra["created"] == 2 and batch_event.extra["file"] == "danh-sach.xlsx"


def test_a_dry_run_checks_everything_and_writes_nothing(police, khom):
    outcome = persons(police, persons_xlsx([person_row()]), dry_run=True)
    assert outcome.ok and outcome.created == 1 and not outcome.written
    assert not Person.objects.exists()


def test_a_row_matched_by_cccd_is_updated_and_its_change_audited(police, khom):
    person = PersonFactory(khom=khom, full_name="Trần Văn Nhập", cccd="089092123456",
                           date_of_birth=dt.date(1992, 3, 15), occupation="Thợ hồ", phone="0901234567",
                           address="12 Lê Lợi")
    outcome = persons(police, persons_xlsx([person_row(**{"Số CCCD": "089092123456", "Nghề nghiệp": "Thợ điện"})]))
    assert (outcome.created, outcome.updated) == (0, 1)
    person.refresh_from_db()
    assert person.occupation == "Thợ điện" and person.version == 2
    event = AuditEvent.objects.get(object_type="subjects.person", action="update")
    assert event.changes == {"occupation": ["Thợ hồ", "Thợ điện"]}
    assert event.object_id == str(person.pk) and event.ward_id == khom.ward_id


def test_a_record_saved_by_someone_else_during_the_import_is_not_overwritten(police, khom):
    from django.db.models import F

    person = PersonFactory(khom=khom, full_name="Trần Văn Nhập", cccd="089092123456",
                           date_of_birth=dt.date(1992, 3, 15), occupation="Thợ hồ")

    def officer_saves_meanwhile(done, total):
        # After the import has read the people, before it writes them (its last progress step).
        if done == total:
            Person.objects.filter(pk=person.pk).update(occupation="Sửa tay", version=F("version") + 1)

    data = persons_xlsx([person_row(**{"Số CCCD": "089092123456", "Nghề nghiệp": "Thợ điện"})])
    outcome = run_import(kind="persons", data=data, file_name="ds.xlsx", user=police, dry_run=False,
                         progress=officer_saves_meanwhile)
    assert not outcome.written
    assert any("1 hồ sơ trong file vừa được người khác sửa trong lúc nhập" in m for m in messages(outcome))
    person.refresh_from_db()
    assert person.occupation == "Sửa tay"        # the officer's save stands; the file's older reading is not written


def test_a_row_matched_by_name_and_birth_date_in_the_ward_is_flagged_as_a_suspected_duplicate(police, khom, khom2):
    person = PersonFactory(khom=khom2, full_name="Trần Văn Nhập", date_of_birth=dt.date(1992, 3, 15))
    outcome = persons(police, persons_xlsx([person_row(**{"Họ và tên": "tran van nhap"})]))
    assert outcome.updated == 1 and outcome.created == 0
    assert f"hồ sơ số {person.file_number} " in outcome.notes[0].message
    person.refresh_from_db()
    assert person.khom == khom


def test_a_row_matched_by_name_and_birth_date_with_an_empty_cccd_cell_keeps_the_recorded_cccd(police, khom):
    person = PersonFactory(khom=khom, full_name="Trần Văn Nhập", cccd="089092123456", date_of_birth=dt.date(1992, 3, 15))
    outcome = persons(police, persons_xlsx([person_row(**{"Số CCCD": None, "Nghề nghiệp": "Thợ điện"})]))
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (0, 1)
    person.refresh_from_db()
    assert (person.cccd, person.occupation) == ("089092123456", "Thợ điện")
    assert person.search_text.endswith("089092123456")
    event = AuditEvent.objects.get(object_type="subjects.person", action="update")
    assert "cccd" not in event.changes


def test_the_subjects_export_imports_back_without_any_change(client_for, police, khom, khom2):
    PersonFactory(khom=khom, full_name="Nguyễn Thị Một", cccd="089192000001", gender="female",
                  date_of_birth=dt.date(1992, 1, 1), notes="=SUM(A1)", phone="0901")
    PersonFactory(khom=khom2, full_name="Lê Văn Hai", address="", occupation="")
    exported = b"".join(client_for(police).get(reverse("subjects:export")).streaming_content)
    AuditEvent.objects.all()  # the export itself is audited; count what the import adds
    before = AuditEvent.objects.exclude(action="import").count()
    outcome = persons(police, exported)
    assert outcome.ok, outcome.errors
    assert (outcome.total, outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 0, 2)
    assert AuditEvent.objects.exclude(action="import").count() == before
    assert set(Person.objects.values_list("version", flat=True)) == {1}


# Other kinds -------------------------------------------------------------------------------------
def test_drug_tests_are_attached_to_people_found_by_cccd_and_update_the_next_test_date(police, khom):
    person = PersonFactory(khom=khom, cccd="089092123456", date_of_birth=dt.date(1992, 3, 15))
    data = xlsx(["Số CCCD", "Ngày xét nghiệm", "Mẫu xét nghiệm", "Kết quả", "Chất phát hiện"],
                [["089092123456", "01/02/2026", "Nước tiểu", "Dương tính", "Methamphetamine"]])
    outcome = run_import(kind="tests", data=data, file_name="xn.xlsx", user=police, dry_run=False)
    assert outcome.ok, outcome.errors
    test = DrugTest.objects.get()
    assert (test.person, test.result, test.tested_on) == (person, "positive", dt.date(2026, 2, 1))
    assert AuditEvent.objects.filter(object_type="subjects.drugtest", action="create").count() == 1


def test_a_drug_test_for_someone_outside_the_scope_is_refused(police, khom, other_khom):
    PersonFactory(khom=other_khom, cccd="089092123456", date_of_birth=dt.date(1992, 3, 15))
    data = xlsx(["Số CCCD", "Ngày xét nghiệm", "Kết quả"], [["089092123456", "01/02/2026", "Âm tính"]])
    outcome = run_import(kind="tests", data=data, file_name="xn.xlsx", user=police, dry_run=False)
    assert str(subject_resources.PERSON_NOT_FOUND) in [p.message for p in outcome.errors]
    assert not DrugTest.objects.exists()


def test_cases_are_created_through_the_case_service_with_a_number(police, khom):
    from apps.cases.models import Case

    data = xlsx(["Ngày phát hiện", "Mã khóm", "Loại vụ việc", "Nơi phát hiện"],
                [["05/01/2026", "A01", "Tàng trữ trái phép chất ma túy", "Bến đò"]])
    outcome = run_import(kind="cases", data=data, file_name="vv.xlsx", user=police, dry_run=False)
    assert outcome.ok, outcome.errors
    case = Case.objects.get()
    assert (case.kind, case.number, case.ward_id) == ("possession", 1, khom.ward_id)
    assert AuditEvent.objects.filter(object_type="cases.case", action="create").exists()


# Command line ----------------------------------------------------------------------------------
def test_the_command_exits_non_zero_lists_bad_rows_and_writes_nothing(police, khom, tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(persons_xlsx([person_row(), person_row(**{"Họ và tên": "B", "Ngày sinh": "31/02/2025"})]))
    with pytest.raises(CommandError):
        call_command("import_xlsx", "persons", str(path), "--user", police.username)
    assert "Dòng 3" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_the_command_imports_a_valid_file_and_a_dry_run_writes_nothing(police, khom, tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(persons_xlsx([person_row()]))
    call_command("import_xlsx", "persons", str(path), "--dry-run", "--user", police.username)
    assert not Person.objects.exists()
    call_command("import_xlsx", "persons", str(path), "--user", police.username)
    assert Person.objects.count() == 1
    out = capsys.readouterr()
    assert "1 new" in out.out and "\r" not in out.err  # not a terminal: no progress line


def test_dates_parse_strictly():
    widget = widgets.VietnameseDateWidget()
    assert widget.clean("5/1/2026") == dt.date(2026, 1, 5)
    assert widget.clean(dt.datetime(2026, 1, 5, 0, 0)) == dt.date(2026, 1, 5)
    with pytest.raises(ValueError):
        widget.clean("2026/13/45")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_line_shows_rows_done_and_rate_on_a_terminal_only():
    from apps.imports.progress import TerminalProgress

    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = TerminalProgress(stream, min_interval=0)
        progress(250, 1000)
        progress(1000, 1000)
    assert "\r250/1000 dòng" in terminal.getvalue() and "dòng/giây" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")
    assert pipe.getvalue() == ""


def test_a_drug_test_row_without_cccd_finds_its_person_by_name_and_birth_date(police, khom):
    person = PersonFactory(khom=khom, full_name="Võ Thị Kiểm", gender="female", date_of_birth=dt.date(1995, 7, 1))
    data = xlsx(["Họ và tên", "Ngày sinh", "Ngày xét nghiệm", "Kết quả"],
                [["vo thi kiem", "01/07/1995", "02/02/2026", "Âm tính"]])
    outcome = run_import(kind="tests", data=data, file_name="xn.xlsx", user=police, dry_run=False)
    assert outcome.ok, outcome.errors
    assert DrugTest.objects.get().person == person


CASE_HEADERS = ["Số vụ việc", "Ngày phát hiện", "Mã khóm", "Loại vụ việc", "Hình thức xử lý", "Nơi phát hiện",
                "Tóm tắt"]


def _case_row(case, **changes):
    row = {"Số vụ việc": case.number, "Ngày phát hiện": case.detected_on.strftime("%d/%m/%Y"),
           "Mã khóm": case.khom.code, "Loại vụ việc": "Sử dụng trái phép chất ma túy",
           "Hình thức xử lý": "Xử phạt vi phạm hành chính", "Nơi phát hiện": case.place, "Tóm tắt": case.summary}
    row.update(changes)
    return row


def test_a_case_row_with_a_known_number_updates_it_and_keeps_its_participants(police, khom):
    from tests.factories.cases import CaseFactory, ParticipantFactory

    case = CaseFactory(khom=khom, number=7)
    ParticipantFactory(case=case)
    same = run_import(kind="cases", data=xlsx(CASE_HEADERS, [_case_row(case)]), file_name="vv.xlsx", user=police,
                      dry_run=False)
    assert (same.ok, same.unchanged, same.updated) == (True, 1, 0), same.errors
    outcome = run_import(kind="cases", data=xlsx(CASE_HEADERS, [_case_row(case, **{"Nơi phát hiện": "Chợ Mỹ Thới"})]),
                         file_name="vv.xlsx", user=police, dry_run=False)
    assert outcome.ok and outcome.updated == 1, outcome.errors
    case.refresh_from_db()
    assert case.place == "Chợ Mỹ Thới" and case.number == 7 and case.participants.count() == 1
    assert AuditEvent.objects.filter(object_type="cases.case", action="update").count() == 1


def test_a_case_in_a_khom_outside_the_scope_is_refused(police, khom, other_khom):
    from apps.cases.models import Case

    data = xlsx(["Ngày phát hiện", "Mã khóm", "Loại vụ việc"], [["05/01/2026", "B01", "Khác"]])
    outcome = run_import(kind="cases", data=data, file_name="vv.xlsx", user=police, dry_run=False)
    assert [p.column for p in outcome.errors] == ["Mã khóm"]
    assert not Case.objects.exists()


# Short cuts of a large import give the same answers as the long way round ------------------------
def test_the_same_person_spelled_differently_is_reported_on_the_later_row_with_the_earlier_rows_number(police, khom):
    rows = [person_row(**{"Họ và tên": "TRẦN VĂN NHẬP"}), person_row(**{"Họ và tên": "Lê Thị Khác"}),
            person_row(**{"Họ và tên": "tran  van nhap"})]
    outcome = persons(police, persons_xlsx(rows))
    assert [(p.row, p.column) for p in outcome.errors] == [(4, "Họ và tên")]
    assert outcome.errors[0].message == str(resources.DUPLICATE_IN_FILE % {"row": 2})
    assert not Person.objects.exists()


def test_each_bad_cell_of_a_repeated_value_is_reported_on_its_own_row(police, khom, other_khom):
    rows = [person_row(**{"Họ và tên": f"Người {i}", "Giới tính": "Khác lạ" if i % 2 else "nam"}, khom_code="B01")
            for i in range(4)]
    outcome = persons(police, persons_xlsx(rows))
    by_row = {}
    for problem in outcome.errors:
        by_row.setdefault(problem.row, set()).add(problem.column)
    assert by_row == {2: {"Mã khóm"}, 3: {"Giới tính", "Mã khóm"}, 4: {"Mã khóm"}, 5: {"Giới tính", "Mã khóm"}}
    assert {p.message for p in outcome.errors if p.column == "Mã khóm"} == {str(KHOM_OUT_OF_SCOPE % {"value": "B01"})}


def test_a_choice_cell_is_remembered_by_its_type_as_well_as_its_value():
    widget = widgets.ChoiceLabelWidget(None, {"1": "Một"})
    assert widget.clean(1) == "1" and widget.clean("một") == "1" and widget.clean(1) == "1"
    for equal_but_different in (True, 1.0):  # == 1 in Python, but "True" and "1.0" in the cell
        with pytest.raises(ValueError):
            widget.clean(equal_but_different)


def test_the_khom_index_answers_a_repeated_cell_from_memory_but_tells_1_from_1_0(police, khom):
    from tests.factories.khom import KhomFactory

    one = KhomFactory(ward=khom.ward, code="1", name="Khóm Một")
    index = KhomIndex(police)
    assert index.resolve(1, None) == (one, None)
    assert index.resolve(1, None) == (one, None)
    assert index.resolve(1.0, None) == (None, str(KHOM_NOT_FOUND % {"value": "1.0"}))
    assert index.resolve("A01", "ignored") == (khom, None)


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(police, khom, count_queries):
    def queries(rows):
        data = persons_xlsx([person_row(**{"Họ và tên": f"Người {i}", "Số CCCD": f"0890921{i:05d}"})
                             for i in range(rows)])
        outcomes = []
        count = count_queries(lambda: outcomes.append(persons(police, data)))
        assert outcomes[0].ok and outcomes[0].created == rows, outcomes[0].errors
        Person.objects.all().delete()
        return count

    queries(1)  # warm the per-process caches (scope, content types) out of the comparison
    assert queries(60) == queries(3)


def test_the_collector_is_paused_during_an_import_and_left_as_it_was(police, khom):
    states = []
    run_import(kind="persons", data=persons_xlsx([person_row()]), file_name="ds.xlsx", user=police, dry_run=True,
               progress=lambda done, total: states.append(gc.isenabled()))
    assert states and not any(states)
    assert gc.isenabled()
    gc.disable()
    try:
        run_import(kind="persons", data=persons_xlsx([person_row()]), file_name="ds.xlsx", user=police, dry_run=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
