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


def column_value(person, attribute: str):
    """The value of *attribute* (dotted path) on *person*; None when a link on the way is empty."""
    if attribute == "gender_label":
        return GENDER_LABELS.get(person.gender, person.gender)
    value = person
    for part in attribute.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value
