"""An uploaded .xlsx is a zip archive: check it before any of it is parsed, then read its parts within bounds.

Every import path (the /imports/ pages, ``manage.py import_xlsx``, the admin's import buttons) goes
through ``check_workbook`` before openpyxl sees a byte, and openpyxl then reads the parts through
``GuardedZipFile``. A 4 MB workbook can hold a sheet that inflates to 4 GiB, a theme that inflates to
2 GiB, thousands of members, parts that overlap or lie about their size: each is refused here, from
the zip's own directory and by inflating every part once with a bounded reader that trusts nothing
the directory says, before anything is kept in memory.
"""
import io
import struct
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

FILE_EMPTY = _("File rỗng (0 byte).")
FILE_TOO_LARGE = _("File lớn hơn giới hạn %(limit)s.")
FILE_NOT_XLSX = _("File không phải là bảng tính Excel .xlsx.")
FILE_OLD_XLS = _("File là định dạng Excel cũ (.xls): hãy mở bằng Excel và lưu lại dưới dạng .xlsx.")
FILE_ENCRYPTED = _("File được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi tải lên lại.")
FILE_CORRUPT = _("File .xlsx bị hỏng, không đọc được.")
FILE_NAME_INVALID = _("Tên file chứa ký tự điều khiển (ví dụ ký tự NUL): hãy đổi tên file rồi tải lên lại.")
ARCHIVE_TOO_MANY_MEMBERS = _("File .xlsx có %(count)s thành phần, vượt giới hạn %(limit)s thành phần: không đọc.")
ARCHIVE_TOO_LARGE = _("File khi giải nén lớn hơn giới hạn %(limit)s: không đọc.")
ARCHIVE_MEMBER_TOO_LARGE = _("Thành phần “%(name)s” của file khi giải nén lớn hơn giới hạn %(limit)s: không đọc.")
ARCHIVE_RATIO = _("Thành phần “%(name)s” của file bị nén hơn %(limit)s lần, điều Excel không làm: "
                  "file có thể là một “bom giải nén”, không đọc.")
ARCHIVE_METHOD = _("Thành phần “%(name)s” của file dùng kiểu nén mà Excel không dùng: không đọc.")
ARCHIVE_OVERLAP = _("Các thành phần của file trùng tên hoặc chồng lên nhau, điều Excel không làm: "
                    "file có thể là một “bom giải nén”, không đọc.")
ARCHIVE_SIZE_MISMATCH = _("Thành phần “%(name)s” của file giải nén ra nhiều hơn kích thước ghi trong file: "
                          "file bị sửa đổi hoặc là một “bom giải nén”, không đọc.")
TEXT_TOO_LARGE = _("Chữ đọc được từ file chiếm hơn giới hạn %(limit)s bộ nhớ: không đọc.")

MB = 1024 * 1024
# An encrypted .xlsx is an OLE2 compound file (like an old .xls) holding an "EncryptionInfo" stream.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Parts that openpyxl streams (worksheets, the shared-strings table) may be as large as the whole
# archive allows; every other part (styles, theme, workbook, relationships, properties, pictures) is
# read whole into memory, often into a full XML tree, and has the much smaller per-member limit.
_STREAMED_PREFIX = "xl/worksheets/"
_STREAMED_NAMES = {"xl/sharedstrings.xml"}
# The compression ratio is judged on parts large enough to matter; a 2 KB part may compress 200×.
_RATIO_FLOOR = MB
# Bytes of zip directory allowed per member (a record is 46 bytes plus its name and extra fields).
_DIRECTORY_BYTES_PER_MEMBER = 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CHUNK = 64 * 1024


def size_label(n: int) -> str:
    """A size as the messages name a limit: "64,0 MB"."""
    return str(filesizeformat(n))


@dataclass(frozen=True)
class Limits:
    """The import limits in force (settings IMPORT_MAX_*, read from the environment)."""

    upload: int
    uncompressed: int
    member: int
    members: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(upload=getattr(settings, "IMPORT_MAX_BYTES", 20 * MB),
                   uncompressed=getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 64 * MB),
                   member=getattr(settings, "IMPORT_MAX_MEMBER_BYTES", 4 * MB),
                   members=getattr(settings, "IMPORT_MAX_ZIP_MEMBERS", 200),
                   ratio=getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 100))

    def for_member(self, name: str) -> int:
        """The largest a member of this name may inflate to."""
        folded = name.lower()
        if folded.startswith(_STREAMED_PREFIX) or folded in _STREAMED_NAMES:
            return self.uncompressed
        return self.member


class ImportFileError(Exception):
    """The whole file is refused; nothing was read into the database."""

    def __init__(self, message, *, row=None, column=""):
        super().__init__(str(message))
        self.message, self.row, self.column = message, row, column


def safe_file_name(name: str) -> str:
    """*name* with control characters (NUL, newlines…) shown as '?', for messages and the audit log."""
    return "".join("?" if unicodedata.category(ch) == "Cc" else ch for ch in name or "")


def check_file_name(name: str) -> None:
    if name and safe_file_name(name) != name:
        raise ImportFileError(FILE_NAME_INVALID)


def check_workbook(data: bytes, *, file_name: str | None = None, limits: Limits | None = None) -> None:
    """Refuse *data* (ImportFileError) unless it is an .xlsx archive within every limit; parse nothing.

    In order: the name, the raw bytes (empty, too large, an old .xls or an encrypted file, not a zip),
    the zip directory (number of members, duplicates, encryption, compression methods), overlapping
    members, declared sizes and ratios, then every member inflated once by ``_inflate``, which stops
    as soon as a member gives more than it declared, so a directory that lies about sizes is caught too.
    """
    limits = limits or Limits.from_settings()
    if file_name is not None:
        check_file_name(file_name)
    if not data:
        raise ImportFileError(FILE_EMPTY)
    if len(data) > limits.upload:
        raise ImportFileError(FILE_TOO_LARGE % {"limit": size_label(limits.upload)})
    if data.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data[:65536] or b"EncryptionInfo" in data:
            raise ImportFileError(FILE_ENCRYPTED)
        raise ImportFileError(FILE_OLD_XLS)
    if not data.startswith(b"PK"):
        raise ImportFileError(FILE_NOT_XLSX)
    members = _members(data, limits)
    regions = _regions(data, members)
    _check_sizes(members, limits)
    for info, (start, end) in zip(members, regions):
        _inflate(data, info, start, end)


def _members(data: bytes, limits: Limits) -> list:
    """The archive's members from its directory, refusing too many of them, duplicates, encryption, other methods."""
    buffer = io.BytesIO(data)
    # The end record gives the number of members and the directory's size: zipfile would build an
    # object for every record of a huge directory before we could count them.
    endrec = zipfile._EndRecData(buffer)
    if not endrec:
        raise ImportFileError(FILE_CORRUPT)
    count, directory, offset = endrec[zipfile._ECD_ENTRIES_TOTAL], endrec[zipfile._ECD_SIZE], endrec[zipfile._ECD_OFFSET]
    if count > limits.members or directory > limits.members * _DIRECTORY_BYTES_PER_MEMBER:
        # The end record may understate the count: say how many records the directory really holds.
        records = max(count, data[offset:offset + directory].count(zipfile.stringCentralDir))
        if records <= limits.members:  # a directory far larger than its records: not written by a zip tool
            raise ImportFileError(FILE_CORRUPT)
        raise ImportFileError(ARCHIVE_TOO_MANY_MEMBERS % {"count": records, "limit": limits.members})
    try:
        archive = zipfile.ZipFile(buffer)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError) as exc:
        raise ImportFileError(FILE_CORRUPT) from exc
    members = archive.infolist()
    if len(members) > limits.members:
        raise ImportFileError(ARCHIVE_TOO_MANY_MEMBERS % {"count": len(members), "limit": limits.members})
    names = {info.filename for info in members}
    if len(names) != len(members):
        raise ImportFileError(ARCHIVE_OVERLAP)
    if "[Content_Types].xml" not in names:  # every Office Open XML package has one
        raise ImportFileError(FILE_NOT_XLSX)
    for info in members:
        if info.flag_bits & 0x1:
            raise ImportFileError(FILE_ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportFileError(ARCHIVE_METHOD % {"name": safe_file_name(info.filename)})
    return _Members(members, archive.start_dir)


def _check_sizes(members, limits: Limits) -> None:
    """Each member's declared size against its limit and its compression ratio; all of them against the total."""
    declared = 0
    for info in members:
        name = safe_file_name(info.filename)
        limit = limits.for_member(info.filename)
        if info.file_size > limit:
            raise ImportFileError(ARCHIVE_MEMBER_TOO_LARGE % {"name": name, "limit": size_label(limit)})
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise ImportFileError(ARCHIVE_RATIO % {"name": name, "limit": limits.ratio})
        declared += info.file_size
        if declared > limits.uncompressed:
            raise ImportFileError(ARCHIVE_TOO_LARGE % {"limit": size_label(limits.uncompressed)})


class _Members(list):
    """The members in directory order, and where the directory starts (no member's data may reach it)."""

    def __init__(self, members, directory_start):
        super().__init__(members)
        self.directory_start = directory_start


def _regions(data: bytes, members: _Members) -> list:
    """(start, end) of each member's compressed data, refusing members that share or overlap bytes.

    Overlapping members are how the densest zip bombs work: thousands of directory entries whose
    data all point into one compressed kernel, each inflating to gigabytes.
    """
    regions = []
    for info in members:
        offset = info.header_offset
        header = data[offset:offset + _LOCAL_HEADER.size]
        if len(header) != _LOCAL_HEADER.size:
            raise ImportFileError(FILE_CORRUPT)
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != zipfile.stringFileHeader:
            raise ImportFileError(FILE_CORRUPT)
        start = offset + _LOCAL_HEADER.size + fields[10] + fields[11]
        regions.append((offset, start, start + info.compress_size))
    ordered = sorted(regions)
    for (_offset, _start, end), (next_offset, _next_start, _next_end) in zip(ordered, ordered[1:]):
        if end > next_offset:
            raise ImportFileError(ARCHIVE_OVERLAP)
    if ordered and (ordered[-1][2] > members.directory_start or ordered[-1][2] > len(data)):
        raise ImportFileError(ARCHIVE_OVERLAP)
    return [(start, end) for _offset, start, end in regions]


def _inflate(data: bytes, info: zipfile.ZipInfo, start: int, end: int) -> None:
    """Inflate one member in 64 KB steps, discarding the output; refuse it as soon as it gives more than declared.

    Independent of zipfile's reader: the output is counted against the declared size (already
    checked against the limits) and the declared CRC, and memory never holds more than one step.
    """
    name = safe_file_name(info.filename)
    source = memoryview(data)[start:end]
    produced, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        if len(source) != info.file_size:
            raise ImportFileError(ARCHIVE_SIZE_MISMATCH % {"name": name} if len(source) > info.file_size
                                  else FILE_CORRUPT)
        for position in range(0, len(source), _CHUNK):
            crc = zlib.crc32(source[position:position + _CHUNK], crc)
        produced = len(source)
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        position, pending = 0, b""
        try:
            while not inflater.eof:
                if not pending:
                    if position >= len(source):
                        break
                    pending = source[position:position + _CHUNK]
                    position += _CHUNK
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(out)
                if produced > info.file_size:
                    raise ImportFileError(ARCHIVE_SIZE_MISMATCH % {"name": name})
                crc = zlib.crc32(out, crc)
        except zlib.error as exc:
            raise ImportFileError(FILE_CORRUPT) from exc
        if not inflater.eof:
            raise ImportFileError(FILE_CORRUPT)
    if produced != info.file_size or crc != info.CRC:
        raise ImportFileError(FILE_CORRUPT)


class TextBudget:
    """What the text read from one file may cost in memory (the shared strings and the kept cell values)."""

    def __init__(self, limit: int):
        self.limit, self.spent = limit, 0

    def spend(self, value) -> None:
        self.spent += sys.getsizeof(value)
        if self.spent > self.limit:
            self.exceeded()

    def exceeded(self):
        raise ImportFileError(TEXT_TOO_LARGE % {"limit": size_label(self.limit)})


class GuardedZipFile(zipfile.ZipFile):
    """The archive as openpyxl reads it, through readers that stop at every limit.

    ``read()`` (a part taken whole: the workbook, styles, relationships) stops at the per-member
    limit; ``open()`` (a part streamed: a worksheet, the shared strings) at the archive's. Both stop
    at the member's declared size and at the archive's total, however many times parts are read.
    """

    def __init__(self, data: bytes, *, limits: Limits | None = None):
        super().__init__(io.BytesIO(data))
        self.limits = limits or Limits.from_settings()
        self.inflated = 0
        self.text = TextBudget(self.limits.uncompressed)

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode != "r":
            raise ValueError("GuardedZipFile is read-only")
        return self._bounded(name, pwd, self.limits.uncompressed)

    def read(self, name, pwd=None):
        with self._bounded(name, pwd, self.limits.member) as member:
            return member.read()

    def _bounded(self, name, pwd, limit):
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        return _BoundedMember(super().open(info, "r", pwd), archive=self, info=info, limit=limit)


class _BoundedMember(io.RawIOBase):
    """One member being read: refused past its declared size, past *limit*, or past the archive's total."""

    def __init__(self, raw, *, archive: GuardedZipFile, info: zipfile.ZipInfo, limit: int):
        super().__init__()
        self._raw, self._archive, self._info, self._limit = raw, archive, info, limit
        self._count = 0

    def readable(self):
        return True

    def read(self, size=-1):
        if size is None or size < 0:
            chunks = []
            while chunk := self.read(_CHUNK):
                chunks.append(chunk)
            return b"".join(chunks)
        data = self._raw.read(size)
        self._spend(len(data))
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def _spend(self, n: int) -> None:
        self._count += n
        self._archive.inflated += n
        name = safe_file_name(self._info.filename)
        if self._count > self._info.file_size:
            raise ImportFileError(ARCHIVE_SIZE_MISMATCH % {"name": name})
        if self._count > self._limit:
            raise ImportFileError(ARCHIVE_MEMBER_TOO_LARGE % {"name": name, "limit": size_label(self._limit)})
        if self._archive.inflated > self._archive.limits.uncompressed:
            raise ImportFileError(ARCHIVE_TOO_LARGE % {"limit": size_label(self._archive.limits.uncompressed)})

    def close(self):
        if not self.closed:
            self._raw.close()
        super().close()
