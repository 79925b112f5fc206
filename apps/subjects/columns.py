"""The person list's Excel layout, defined once: the export writes it and the import reads it back.

Headers are fixed Vietnamese strings, not translated, so a file exported in
English is still read back by the import.
"""
from .choices import Gender

# Rows above the header: one marking line for sensitive personal data.
BANNER_ROWS = 1
HEADER_ROW = BANNER_ROWS + 1

# (header, attribute path on Person, kind). kind: "text" (user text, never a
# formula), "date" (a real date cell), "int".
PERSON_COLUMNS = [
    ("Mã hồ sơ", "pk", "int"),
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

    One query whatever the row count; text columns are str (or None), dates are dates, the code an int.
    """
    for values in queryset.values_list(*PERSON_LOOKUPS).iterator(chunk_size=chunk_size):
        row = list(values)
        row[_GENDER] = GENDER_LABELS.get(row[_GENDER], row[_GENDER])
        for index in _TEXT:
            value = row[index]
            if value is not None and value.__class__ is not str:
                row[index] = str(value)
        yield row
