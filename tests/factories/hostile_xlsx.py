"""Hostile .xlsx files, built in memory by a small zip writer that can lie (tests and scripts/hostile_imports.py).

Each builder returns the bytes of a file that an attacker could upload as ``something.xlsx``; the
bombs really inflate to what they claim (over 1 GiB from a few MB) unless they are built to lie.
"""
import base64
import functools
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .imports import person_row, persons_xlsx

GiB = 1024 ** 3
MiB = 1024 ** 2
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8 = 0x800


@dataclass
class Member:
    """One zip member as written: its stored bytes and what the directory says about them."""

    name: str
    stored: bytes
    size: int
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def deflated(name: str, content: bytes) -> Member:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Member(name, packer.compress(content) + packer.flush(), len(content), zlib.crc32(content))


def stored(name: str, content: bytes) -> Member:
    return Member(name, content, len(content), zlib.crc32(content), method=zipfile.ZIP_STORED)


def repeated(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> Member:
    """head + chunk × times + tail, deflated without ever holding the whole in memory.

    After a full flush deflate starts afresh, so every copy of *chunk* compresses to the same bytes:
    compressed once, written *times* times.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, start + block * times + end, len(head) + len(chunk) * times + len(tail), crc)


def write_zip(members, *, directory=None, entries=None) -> bytes:
    """A zip of *members*; *directory* lists (member index, name) entries instead of one per member.

    With *directory*, several entries may point at the same local header (overlapping members);
    *entries* overrides the member count the end record declares.
    """
    out, offsets = bytearray(), []
    for member in members:
        name = member.name.encode()
        offsets.append(len(out))
        out += _LOCAL.pack(b"PK\x03\x04", 20, 0, member.flags | _UTF8, member.method, 0, 0x21, member.crc,
                           len(member.stored), member.size, len(name), 0)
        out += name + member.stored
    start = len(out)
    listing = directory if directory is not None else [(i, m.name) for i, m in enumerate(members)]
    for index, name in listing:
        member, raw = members[index], name.encode()
        out += _CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, member.flags | _UTF8, member.method, 0, 0x21, member.crc,
                             len(member.stored), member.size, len(raw), 0, 0, 0, 0, 0, offsets[index])
        out += raw
    count = len(listing) if entries is None else entries
    out += _END.pack(b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), len(out) - start, start, 0)
    return bytes(out)


@functools.lru_cache(maxsize=1)
def _workbook_parts() -> tuple:
    """(name, content) of every part of a valid one-person workbook (openpyxl's own layout)."""
    source = zipfile.ZipFile(io.BytesIO(persons_xlsx([person_row()])))
    return tuple((name, source.read(name)) for name in source.namelist())


def workbook(replace=None, add=()) -> bytes:
    """The valid one-person workbook with some parts replaced by *replace* {name: Member} and *add* appended."""
    replace = replace or {}
    members = [replace.get(name) or deflated(name, content) for name, content in _workbook_parts()]
    return write_zip(members + list(add))


def _with_shared_strings(sheet: bytes, strings: bytes) -> bytes:
    parts = dict(_workbook_parts())
    types = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Target="sharedStrings.xml" Type="http://schemas.'
                             b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    return workbook(replace={"[Content_Types].xml": deflated("[Content_Types].xml", types),
                             "xl/_rels/workbook.xml.rels": deflated("xl/_rels/workbook.xml.rels", rels),
                             SHEET: deflated(SHEET, sheet)},
                    add=[deflated(STRINGS, strings)])


_HEAD = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
_TAIL = b"</sheetData></worksheet>"
_HEADER_ROW = "<row r=\"1\">{}</row>".format("".join(
    f'<c t="inlineStr"><is><t>{header}</t></is></c>' for header in ("Họ và tên", "Giới tính", "Ngày sinh", "Mã khóm")
)).encode()
_PERSON = ("<c t=\"inlineStr\"><is><t>Trần Văn Bom</t></is></c><c t=\"inlineStr\"><is><t>Nam</t></is></c>"
           "<c t=\"inlineStr\"><is><t>15/03/1992</t></is></c><c t=\"inlineStr\"><is><t>A01</t></is></c>").encode()
_ROW = b"<row>" + _PERSON + b"</row>"


def _chunk(unit: bytes, size=MiB) -> bytes:
    return unit * (size // len(unit))


@functools.lru_cache(maxsize=1)
def sheet_bomb() -> bytes:
    """A sheet that really inflates to 1.1 GiB of rows, from about 4 MB."""
    return workbook(replace={SHEET: repeated(SHEET, _HEAD + _HEADER_ROW, _chunk(_ROW), 1100, _TAIL)})


@functools.lru_cache(maxsize=1)
def theme_bomb() -> bytes:
    """A theme part that really inflates to 1 GiB (openpyxl reads the theme whole)."""
    name = "xl/theme/theme1.xml"
    head = b'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Bom"><a:themeElements>'
    return workbook(replace={name: repeated(name, head, _chunk(b"<a:extLst/>"), 1024, b"</a:themeElements></a:theme>")})


def styles_bloat() -> bytes:
    """A stylesheet of 40 MB of cell formats (openpyxl builds an object for each), compressing 150 times."""
    name = "xl/styles.xml"
    head = f'<styleSheet xmlns="{MAIN}"><cellXfs count="1">'.encode()
    xf = b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
    return workbook(replace={name: repeated(name, head, _chunk(xf), 40, b"</cellXfs></styleSheet>")})


def ratio_bomb() -> bytes:
    """A sheet of 40 MB (inside every size limit) that compresses about 300 times."""
    return workbook(replace={SHEET: repeated(SHEET, _HEAD + _HEADER_ROW, _chunk(_ROW), 40, _TAIL)})


def many_members(count=5000) -> bytes:
    """Thousands of tiny members."""
    return workbook(add=[stored(f"xl/media/m{i}.bin", b"x") for i in range(count)])


def many_members_under_a_small_count(count=50000) -> bytes:
    """50,000 members whose end record claims there are 9 (zipfile reads the directory by its size)."""
    members = [deflated(name, content) for name, content in _workbook_parts()]
    members += [stored(f"m{i}", b"") for i in range(count)]
    return write_zip(members, entries=9)


@functools.lru_cache(maxsize=1)
def lying_size() -> bytes:
    """A sheet whose directory says 10 KB (with the CRC of those 10 KB) but which inflates to 1.1 GiB."""
    bomb = repeated(SHEET, _HEAD + _HEADER_ROW, _chunk(_ROW), 1100, _TAIL)
    head = (_HEAD + _HEADER_ROW + _chunk(_ROW))[:10_000]
    bomb.size, bomb.crc = len(head), zlib.crc32(head)
    return workbook(replace={SHEET: bomb})


def overlapping(copies=50) -> bytes:
    """One compressed kernel of 10 MB of rows behind many directory entries (the "better zip bomb" layout)."""
    kernel = repeated(SHEET, _HEAD + _HEADER_ROW, _chunk(_ROW), 10, _TAIL)
    members = [deflated(name, content) for name, content in _workbook_parts() if name != SHEET] + [kernel]
    directory = [(i, m.name) for i, m in enumerate(members)]
    directory += [(len(members) - 1, f"xl/worksheets/sheet{n}.xml") for n in range(2, copies + 2)]
    return write_zip(members, directory=directory)


def duplicate_names() -> bytes:
    """The sheet twice under the same name: which one is read depends on the reader."""
    parts = dict(_workbook_parts())
    return workbook(add=[deflated(SHEET, parts[SHEET])])


def bzip2_member() -> bytes:
    """A member compressed with bzip2, which zipfile inflates without any bound on one read."""
    import bz2

    content = dict(_workbook_parts())["xl/styles.xml"]
    member = Member("xl/styles.xml", bz2.compress(content), len(content), zlib.crc32(content), method=zipfile.ZIP_BZIP2)
    return workbook(replace={"xl/styles.xml": member})


def nested_zip_bomb() -> bytes:
    """A valid workbook carrying a zip bomb as an embedded object (never opened by an import)."""
    inner = write_zip([repeated("bomb.txt", b"", _chunk(b"0"), 1024, b"")])
    return workbook(add=[stored("xl/embeddings/oleObject1.bin", inner)])


def plain_zip() -> bytes:
    """An ordinary zip (not an Office document) renamed .xlsx."""
    return write_zip([deflated("ds.csv", not_a_zip())])


def not_a_zip() -> bytes:
    return "Họ và tên,Giới tính\nTrần Văn A,Nam\n".encode() * 10


def billion_laughs() -> bytes:
    """Entity expansion in the shared strings: ten levels of ten, a billion 'lol's."""
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    strings = (f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
               f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>').encode()
    sheet = _HEAD + _HEADER_ROW + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + _TAIL
    return _with_shared_strings(sheet, strings)


def external_entity() -> bytes:
    """An external entity in the sheet that would read a file of the server into a cell."""
    sheet = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
             f'<worksheet xmlns="{MAIN}"><sheetData>').encode() + _HEADER_ROW + \
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>' + _TAIL
    return workbook(replace={SHEET: deflated(SHEET, sheet)})


def wide_row(cells=20_000) -> bytes:
    """One row of 20,000 cells (Excel stops at 16,384)."""
    row = b'<row r="2">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * cells + b"</row>"
    return workbook(replace={SHEET: deflated(SHEET, _HEAD + _HEADER_ROW + row + _TAIL)})


def endless_rows(rows=1_100_000) -> bytes:
    """1.1 million numbered empty rows (Excel stops at 1,048,576), compressing under the ratio limit."""
    body = b"".join(b'<row r="%d" ht="15" customHeight="1"/>' % n for n in range(2, rows + 2))
    return workbook(replace={SHEET: deflated(SHEET, _HEAD + _HEADER_ROW + body + _TAIL)})


def merged_cells_bloat(count=600_000) -> bytes:
    """A valid one-row sheet followed by 600,000 merged ranges (openpyxl builds an object for each)."""
    merges = b"".join(b'<mergeCell ref="C%d:D%d"/>' % (n, n) for n in range(3, count + 3))
    sheet = _HEAD + _HEADER_ROW + _ROW + b"</sheetData><mergeCells>" + merges + b"</mergeCells></worksheet>"
    return workbook(replace={SHEET: deflated(SHEET, sheet)})


def shared_string_amplifier(rows=2000) -> bytes:
    """One 1 MB shared string padded with spaces, in a cell of each of 2,000 rows: each stripped copy is new memory.

    The string is random text, so that no part compresses more than Excel's would: 2 GB of copies
    from a 1 MB file.
    """
    text = b" " + base64.b64encode(random.Random(14).randbytes(MiB * 3 // 4)) + b" "
    strings = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t xml:space="preserve">'.encode() + text + \
        b"</t></si></sst>"
    body = (b'<row><c t="s"><v>0</v></c>' + _PERSON.split(b"</c>", 1)[1] + b"</row>") * rows
    return _with_shared_strings(_HEAD + _HEADER_ROW + body + _TAIL, strings)


def shared_strings_flood(count=2_000_000) -> bytes:
    """Two million distinct short shared strings (55 MB of XML, 16 MB compressed): each costs its object in memory."""
    rnd = random.Random(14)
    items = b"".join(b"<si><t>%s</t></si>" % base64.b32encode(rnd.randbytes(5)) for _ in range(count))
    strings = f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode() + items + b"</sst>"
    return _with_shared_strings(_HEAD + _HEADER_ROW + _ROW + _TAIL, strings)


def styles_at_the_limit(size=4_000_000) -> bytes:
    """A stylesheet just under the 4 MB limit: 25,000 distinct cell formats, each an object in openpyxl."""
    rnd = random.Random(14)
    xfs, total = [], 0
    while total < size - 600:
        xf = (f'<xf numFmtId="{rnd.randint(0, 200)}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1">'
              f'<alignment horizontal="left" indent="{rnd.randint(0, 9)}"/></xf>')
        xfs.append(xf)
        total += len(xf)
    body = (f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">' + "".join(xfs) + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" '
            'xfId="0" builtinId="0"/></cellStyles></styleSheet>').encode()
    return workbook(replace={"xl/styles.xml": deflated("xl/styles.xml", body)})


def deep_nesting(depth=100_000) -> bytes:
    """100,000 nested elements before the rows (expat keeps every open one)."""
    sheet = f'<worksheet xmlns="{MAIN}">'.encode() + b"<x>" * depth + b"</x>" * depth + \
        b"<sheetData>" + _HEADER_ROW + _ROW + _TAIL
    return workbook(replace={SHEET: deflated(SHEET, sheet)})


def truncated() -> bytes:
    data = persons_xlsx([person_row()])
    return data[: len(data) // 2]
