"""Minimal, dependency-free XLSX and ODS writers (stdlib zipfile + XML escaping only).

Used to write sample mirrors of published spreadsheets in their real formats. Each sheet is
(sheet name, rows); a cell is str, int, float or None (empty). Numbers become numeric cells,
strings inline strings (XLSX `t="inlineStr"`) or `office:value-type="string"` cells (ODS).

Speed: cells carry no `r` reference (optional in SpreadsheetML; calamine, LibreOffice and Excel
track the column), so a cell's XML depends only on its value and is cached per workbook. A row is
then one join over cached fragments, which keeps a 250,000 x 13 sheet to a few seconds.

Determinism: every zip member has the same fixed timestamp and attributes, so the same sheets
give byte-identical files. Files are written to `<name>.part` and renamed into place.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

Cell = str | int | float | None
Rows = Iterable[Sequence[Cell]]
Sheets = Sequence[tuple[str, Rows]]

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # constant member timestamps -> reproducible bytes
# Level 1: the sheets are highly repetitive XML, so higher levels cost a lot of time for ~15% less size.
COMPRESS_LEVEL = 1
_FLUSH_ROWS = 4096  # rows joined per write to the zip stream
_CACHE_LIMIT = 200_000  # distinct cell values cached per workbook (bounds memory on free-text sheets)

# Characters XML 1.0 cannot carry at all: dropped rather than producing an unreadable file.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ODS_SPACES = re.compile(r"  +|^ | $|[\t\n]")

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_MEDIA_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL_XML.sub("", text)


def _escape_attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _number(value: object) -> str:
    """Lexical xsd:double / integer form of a numeric cell value."""
    if isinstance(value, numbers.Integral):  # also bool and numpy integers
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"cannot write non-finite number {value!r} to a spreadsheet cell")
        return repr(number)  # shortest repr that round-trips
    raise TypeError(f"unsupported cell value {value!r} ({type(value).__name__}); use str, int, float or None")


class _CellCache(dict):
    """value -> cell XML, rendering on first use."""

    def __init__(self, render: Callable[[object], str]) -> None:
        super().__init__()
        self._render = render

    def __missing__(self, value: object) -> str:
        xml = self._render(value)
        if len(self) < _CACHE_LIMIT:
            self[value] = xml
        return xml


def _check_sheet_names(sheets: Sheets, *, max_len: int | None) -> None:
    seen: set[str] = set()
    for name, _rows in sheets:
        if not name or _INVALID_SHEET_CHARS.search(name) or (max_len and len(name) > max_len):
            raise ValueError(f"invalid sheet name {name!r}")
        if name.casefold() in seen:
            raise ValueError(f"duplicate sheet name {name!r}")
        seen.add(name.casefold())
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")


def _member(name: str, *, compress: bool = True) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info._compresslevel = COMPRESS_LEVEL if compress else None  # read by ZipFile.open(info, "w")
    info.external_attr = 0o644 << 16
    info.create_system = 3  # fixed, not host-dependent
    return info


def _writestr(zf: zipfile.ZipFile, name: str, text: str, *, compress: bool = True) -> None:
    with zf.open(_member(name, compress=compress), "w") as out:
        out.write(text.encode("utf-8"))


def _atomic_zip(path: Path, fill: Callable[[zipfile.ZipFile], None]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(path.suffix + ".part")
    try:
        with zipfile.ZipFile(part, "w") as zf:
            fill(zf)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _stream_rows(out: IO[bytes], rows: Rows, row_xml: Callable[[int, Sequence[Cell]], str]) -> None:
    buffer: list[str] = []
    for number, row in enumerate(rows, 1):
        buffer.append(row_xml(number, row))
        if len(buffer) >= _FLUSH_ROWS:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
    if buffer:
        out.write("".join(buffer).encode("utf-8"))


# --- XLSX ----------------------------------------------------------------------------------------

_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XLSX_STYLES = (
    f'{_XML_DECL}<styleSheet xmlns="{_NS_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, str):
        text = _escape(value)
        # Leading/trailing whitespace is dropped by readers unless xml:space="preserve".
        if text[:1].isspace() or text[-1:].isspace():
            return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'
    return f"<c><v>{_number(value)}</v></c>"


def _shared_string(text: object) -> str:
    assert isinstance(text, str)
    escaped = _escape(text)
    if escaped[:1].isspace() or escaped[-1:].isspace():
        return f'<si><t xml:space="preserve">{escaped}</t></si>'
    return f"<si><t>{escaped}</t></si>"


def write_xlsx(path: Path, sheets: Sheets, *, shared_strings: bool = False) -> None:
    """Write an Office Open XML workbook; rows may be any iterable (streamed, never held whole).

    Strings are inline by default. `shared_strings=True` writes a shared-string table instead, as Excel
    does: slightly smaller files and about half the parse time in calamine for large sheets.
    """
    _check_sheet_names(sheets, max_len=31)
    n = len(sheets)
    strings: dict[str, int] = {}
    content_types = (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        + (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_strings
            else ""
        )
        + "</Types>"
    )
    package_rels = (
        f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        f'{_XML_DECL}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><bookViews><workbookView/></bookViews><sheets>'
        + "".join(
            f'<sheet name="{_escape_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _rows) in enumerate(sheets, 1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{_NS_REL}/styles" Target="styles.xml"/>'
        + (f'<Relationship Id="rId{n + 2}" Type="{_NS_REL}/sharedStrings" Target="sharedStrings.xml"/>'
           if shared_strings else "")
        + "</Relationships>"
    )

    def shared_cell(value: object) -> str:
        if isinstance(value, str):
            index = strings.setdefault(value, len(strings))
            return f'<c t="s"><v>{index}</v></c>'
        return _xlsx_cell(value)

    cells = _CellCache(shared_cell if shared_strings else _xlsx_cell)
    cell = cells.__getitem__

    def row_xml(number: int, row: Sequence[Cell]) -> str:
        return f'<row r="{number}">{"".join(map(cell, row))}</row>'

    def fill(zf: zipfile.ZipFile) -> None:
        _writestr(zf, "[Content_Types].xml", content_types)
        _writestr(zf, "_rels/.rels", package_rels)
        _writestr(zf, "xl/workbook.xml", workbook)
        _writestr(zf, "xl/_rels/workbook.xml.rels", workbook_rels)
        _writestr(zf, "xl/styles.xml", _XLSX_STYLES)
        for i, (_name, rows) in enumerate(sheets, 1):
            with zf.open(_member(f"xl/worksheets/sheet{i}.xml"), "w") as out:
                out.write(f'{_XML_DECL}<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><sheetData>'.encode())
                _stream_rows(out, rows, row_xml)
                out.write(b"</sheetData></worksheet>")
        if shared_strings:  # complete only once every sheet is written
            with zf.open(_member("xl/sharedStrings.xml"), "w") as out:
                out.write(f'{_XML_DECL}<sst xmlns="{_NS_MAIN}" uniqueCount="{len(strings)}">'.encode())
                _stream_rows(out, ([text] for text in strings), lambda _n, row: _shared_string(row[0]))
                out.write(b"</sst>")

    _atomic_zip(path, fill)


# --- ODS -----------------------------------------------------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MEDIA_TYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODS_NS}>'
    "<office:styles/></office:document-styles>"
)
_ODS_META = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODS_NS}>'
    "<office:meta><meta:generator>extract.workbook_writer</meta:generator></office:meta></office:document-meta>"
)


def _ods_space(match: re.Match[str]) -> str:
    run = match.group()
    if run == "\t":
        return "<text:tab/>"
    if run == "\n":
        return "</text:p><text:p>"
    # ODF collapses space runs and drops leading ones: spell every significant space as text:s.
    return f'<text:s text:c="{len(run)}"/>' if len(run) > 1 else "<text:s/>"


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str):
        text = _ODS_SPACES.sub(_ods_space, _escape(value).replace("\r\n", "\n"))
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    number = _number(value)
    return (
        f'<table:table-cell office:value-type="float" office:value="{number}">'
        f"<text:p>{number}</text:p></table:table-cell>"
    )


def write_ods(path: Path, sheets: Sheets) -> None:
    """Write an OpenDocument spreadsheet (mimetype first and stored, as the ODF package spec requires)."""
    _check_sheet_names(sheets, max_len=None)
    cells = _CellCache(_ods_cell)
    cell = cells.__getitem__

    def row_xml(_number: int, row: Sequence[Cell]) -> str:
        # A table-row must hold at least one cell.
        return f"<table:table-row>{''.join(map(cell, row)) or '<table:table-cell/>'}</table:table-row>"

    def fill(zf: zipfile.ZipFile) -> None:
        _writestr(zf, "mimetype", ODS_MEDIA_TYPE, compress=False)
        _writestr(zf, "META-INF/manifest.xml", _ODS_MANIFEST)
        _writestr(zf, "styles.xml", _ODS_STYLES)
        _writestr(zf, "meta.xml", _ODS_META)
        with zf.open(_member("content.xml"), "w") as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS}>'
                "<office:body><office:spreadsheet>".encode()
            )
            for name, rows in sheets:
                # The column count goes before the rows, so the sheet is materialised here.
                rows = rows if isinstance(rows, Sequence) else list(rows)
                width = max((len(row) for row in rows), default=1) or 1
                out.write(
                    f'<table:table table:name="{_escape_attr(name)}">'
                    f'<table:table-column table:number-columns-repeated="{width}"/>'.encode()
                )
                _stream_rows(out, rows or [[]], row_xml)  # a table needs at least one row
                out.write(b"</table:table>")
            out.write(b"</office:spreadsheet></office:body></office:document-content>")

    _atomic_zip(path, fill)
