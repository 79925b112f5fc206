"""The person list's Excel layout, defined once: the export writes it and the import reads it back.

Headers are fixed Vietnamese strings, not translated, so a file exported in
English is still read back by the import.
"""
import datetime as dt
from dataclasses import dataclass, field

from .choices import EducationLevel, Ethnicity, Gender

# Coded values as written in the file, both ways (the import maps labels back to codes): fixed
# Vietnamese words, not the interface's language, so that a file means the same everywhere.
GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
GENDER_CODES = {label: code for code, label in GENDER_LABELS.items()}
ETHNICITY_LABELS = {Ethnicity.KINH: "Kinh", Ethnicity.KHMER: "Khmer", Ethnicity.HOA: "Hoa", Ethnicity.CHAM: "Chăm",
                    Ethnicity.OTHER: "Dân tộc khác"}
EDUCATION_LABELS = {EducationLevel.NONE: "Không biết chữ", EducationLevel.PRIMARY: "Tiểu học",
                    EducationLevel.LOWER_SECONDARY: "Trung học cơ sở",
                    EducationLevel.UPPER_SECONDARY: "Trung học phổ thông",
                    EducationLevel.HIGHER: "Trung cấp, cao đẳng, đại học trở lên"}
# An optional yes/no: None (not recorded) is an empty cell.
YES_NO_LABELS = {True: "Có", False: "Không"}

# Rows above the header: the title (DANH SÁCH ĐỐI TƯỢNG … with the ward and date), then one marking
# line for sensitive personal data. The import finds the header row by its names, wherever it is.
BANNER_ROWS = 2
HEADER_ROW = BANNER_ROWS + 1

# The row number an office reads a register by; written by the export, ignored by the import.
STT_HEADER = "STT"

@dataclass(frozen=True)
class Column:
    """One column of the person layout: the export writes it, the import reads it, the template offers it.

    ``kind`` is how the export writes it: "text" (user text, never a formula), "date" (a real date
    cell), "int". ``parse`` names how the import reads it back into ``attribute`` (a widget of
    apps.subjects.resources); None: written by the export, not typed (derived, or matched on).
    ``example`` is the import template's example value: a column with one is in the template.
    ``labels`` ({stored value: text}) is how a coded value is written; the import reads the text back.
    """

    header: str
    attribute: str
    kind: str = "text"
    width: int = 12
    parse: str | None = None
    example: object = None
    labels: dict | None = field(default=None, hash=False, compare=False)


# The first column is the person's per-ward file number (số hồ sơ), which the import matches on;
# the database id is shown nowhere.
PERSON_COLUMNS = [
    Column("Số hồ sơ", "file_number", "int", 8),
    Column("Họ và tên", "full_name", width=24, parse="name", example="Nguyễn Văn Ví Dụ"),
    Column("Giới tính", "gender_label", width=8, parse="gender", example="Nam", labels=GENDER_LABELS),
    Column("Ngày sinh", "date_of_birth", "date", 11, parse="date", example=dt.date(1990, 1, 15)),
    Column("Số CCCD", "cccd", width=14, parse="cccd", example="089090123456"),
    Column("Mã khóm", "khom.code", width=8, example="K01"),
    Column("Khóm", "khom.name", width=18, example="Khóm Đông Thạnh"),
    Column("Phường", "khom.ward.name", width=12),
    Column("Địa chỉ", "address", width=40, parse="text", example="12 đường Trần Hưng Đạo"),
    Column("Số điện thoại", "phone", width=13, parse="text", example="0901234567"),
    Column("Nghề nghiệp", "occupation", width=18, parse="text", example="Làm thuê"),
    # The QĐ 13/2019/QĐ-TTg breakdowns (issue 16 §5), all optional.
    Column("Dân tộc", "ethnicity", width=10, parse="ethnicity", example="Kinh", labels=ETHNICITY_LABELS),
    Column("Trình độ học vấn", "education", width=18, parse="education", example="Trung học cơ sở",
           labels=EDUCATION_LABELS),
    Column("Nơi cư trú ổn định", "stable_residence", width=10, parse="yesno", example="Có", labels=YES_NO_LABELS),
    Column("Tiền án", "prior_criminal", width=8, parse="yesno", example="Không", labels=YES_NO_LABELS),
    Column("Tiền sự", "prior_administrative", width=8, parse="yesno", example="Không", labels=YES_NO_LABELS),
    Column("Tình trạng hiện tại", "status.name", width=40),
    Column("Hạn xét nghiệm tiếp theo", "next_test_due", "date", 15),
    Column("Ghi chú", "notes", width=34, parse="text", example="Dòng ví dụ — xoá hoặc ghi đè"),
]
PERSON_HEADERS = [column.header for column in PERSON_COLUMNS]
# What the export writes: STT, then the person columns.
EXPORT_HEADERS = [STT_HEADER, *PERSON_HEADERS]
# Column widths of the export (characters), STT first.
EXPORT_WIDTHS = [5, *(column.width for column in PERSON_COLUMNS)]
# The import template: its columns and its example row (a row equal to it is skipped by the import).
TEMPLATE_COLUMNS = [column for column in PERSON_COLUMNS if column.example is not None]
TEMPLATE_HEADERS = [column.header for column in TEMPLATE_COLUMNS]
TEMPLATE_EXAMPLE = {column.header: column.example for column in TEMPLATE_COLUMNS}
# Columns the import reads into the person: {attribute: column}.
IMPORTED = {column.attribute if column.attribute != "gender_label" else "gender": column
            for column in PERSON_COLUMNS if column.parse}
COLUMN_BY_HEADER = {column.header: column for column in PERSON_COLUMNS}


def _lookup(attribute: str) -> str:
    return "gender" if attribute == "gender_label" else attribute.replace(".", "__")


# The same columns as ORM lookups, for values_list(): the export reads tuples, not model instances.
PERSON_LOOKUPS = [_lookup(column.attribute) for column in PERSON_COLUMNS]
_LABELLED = [(index, column.labels) for index, column in enumerate(PERSON_COLUMNS) if column.labels]
_TEXT = [index for index, column in enumerate(PERSON_COLUMNS) if column.kind == "text" and not column.labels]


def person_rows(queryset, chunk_size: int = 2000):
    """The rows of *queryset* as lists of plain values in PERSON_COLUMNS order, from a server-side cursor.

    One query whatever the row count; text columns are str (or None), dates are dates, the number an int.
    """
    for values in queryset.values_list(*PERSON_LOOKUPS).iterator(chunk_size=chunk_size):
        row = list(values)
        for index, labels in _LABELLED:
            value = row[index]
            # A value no label knows (a code retired from the choices) is written as it is stored.
            row[index] = None if value is None or value == "" else labels.get(value, str(value))
        for index in _TEXT:
            value = row[index]
            if value is not None and value.__class__ is not str:
                row[index] = str(value)
        yield row
