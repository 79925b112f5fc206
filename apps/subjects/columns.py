"""The person list's Excel layout, defined once: the export writes it and the import reads it back.

Headers are fixed Vietnamese strings, not translated, so a file exported in
English is still read back by the import.
"""
from .choices import Gender

# Rows above the header: the title (DANH SÁCH ĐỐI TƯỢNG … with the ward and date), then one marking
# line for sensitive personal data. The import finds the header row by its names, wherever it is.
BANNER_ROWS = 2
HEADER_ROW = BANNER_ROWS + 1

# The row number an office reads a register by; written by the export, ignored by the import.
STT_HEADER = "STT"

# (header, attribute path on Person, kind). kind: "text" (user text, never a
# formula), "date" (a real date cell), "int". The first one is the person's per-ward file number
# (số hồ sơ), which the import matches on; the database id is shown nowhere.
PERSON_COLUMNS = [
    ("Số hồ sơ", "file_number", "int"),
    ("Họ và tên", "full_name", "text"),
    ("Giới tính", "gender_label", "text"),
    ("Ngày sinh", "date_of_birth", "date"),
    ("Số CCCD", "cccd", "text"),
    ("Mã khóm", "khom.code", "text"),
    ("Khóm", "khom.name", "text"),
    ("Phường", "khom.ward.name", "text"),
    ("Địa chỉ", "address", "text"),
    ("Số điện thoại", "phone", "text"),
    ("Nghề nghiệp", "occupation", "text"),
    ("Tình trạng hiện tại", "status.name", "text"),
    ("Hạn xét nghiệm tiếp theo", "next_test_due", "date"),
    ("Ghi chú", "notes", "text"),
]
PERSON_HEADERS = [header for header, _attr, _kind in PERSON_COLUMNS]
# What the export writes: STT, then the person columns.
EXPORT_HEADERS = [STT_HEADER, *PERSON_HEADERS]
# Column widths of the export (characters), STT first.
EXPORT_WIDTHS = [5, 8, 24, 8, 11, 14, 8, 18, 12, 40, 13, 18, 40, 15, 34]

# Gender as written in the file, both ways (the import maps labels back to codes).
GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
GENDER_CODES = {label: code for code, label in GENDER_LABELS.items()}


def _lookup(attribute: str) -> str:
    return "gender" if attribute == "gender_label" else attribute.replace(".", "__")


# The same columns as ORM lookups, for values_list(): the export reads tuples, not model instances.
PERSON_LOOKUPS = [_lookup(attribute) for _header, attribute, _kind in PERSON_COLUMNS]
_GENDER = PERSON_LOOKUPS.index("gender")
_TEXT = [index for index, (_header, _attr, kind) in enumerate(PERSON_COLUMNS) if kind == "text"]


def person_rows(queryset, chunk_size: int = 2000):
    """The rows of *queryset* as lists of plain values in PERSON_COLUMNS order, from a server-side cursor.

    One query whatever the row count; text columns are str (or None), dates are dates, the number an int.
    """
    for values in queryset.values_list(*PERSON_LOOKUPS).iterator(chunk_size=chunk_size):
        row = list(values)
        row[_GENDER] = GENDER_LABELS.get(row[_GENDER], row[_GENDER])
        for index in _TEXT:
            value = row[index]
            if value is not None and value.__class__ is not str:
                row[index] = str(value)
        yield row
