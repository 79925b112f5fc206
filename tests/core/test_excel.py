import datetime as dt

from openpyxl import load_workbook

from apps.core.excel import StreamingWorkbook, text_cell, value_cell


def test_streaming_workbook_keeps_text_as_text_and_freezes_the_header_below_the_banner(tmp_path):
    book = StreamingWorkbook()
    ws = book.sheet("Danh sách", headers=["Họ tên", "Ngày sinh", "Số"], widths=[30, 12, 8],
                    banner=["Dữ liệu cá nhân nhạy cảm"])
    ws.append([text_cell(ws, "=HYPERLINK(\"http://x\")"), value_cell(ws, dt.date(1990, 5, 2)), value_cell(ws, 7)])
    ws.append([text_cell(ws, "@SUM(A1)"), value_cell(ws, None), value_cell(ws, "+84 912")])
    path = tmp_path / "out.xlsx"
    book.workbook.save(path)

    sheet = load_workbook(path)["Danh sách"]
    assert sheet.freeze_panes == "A3"
    assert sheet["A3"].value == "=HYPERLINK(\"http://x\")" and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == dt.datetime(1990, 5, 2) and sheet["B3"].number_format == "DD/MM/YYYY"
    assert sheet["C3"].value == 7
    assert sheet["A4"].data_type == "s" and sheet["C4"].value == "+84 912"
    assert sheet.column_dimensions["A"].width == 30
