"""All-or-nothing CSV imports with errors named by row and column (docs/product.md §8).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
An import validates every row before it writes anything; any error rejects the whole file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import ApplicationError


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportRejected(ApplicationError):
    """The file had bad rows; nothing was imported."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = list(errors)
        lines = "\n".join(f"  {error}" for error in self.errors[:200])
        more = len(self.errors) - 200
        if more > 0:
            lines += f"\n  … and {more} more"
        super().__init__(
            f"Nothing imported: {len(self.errors)} problem(s) found.\n{lines}",
            field_errors={"rows": [str(error) for error in self.errors]},
        )


# Errors listed in full; beyond this an import counts them without keeping each one.
MAX_LISTED_ERRORS = 1_000
# A byte that is not UTF-8 (open_text's surrogateescape makes it U+DC80 to U+DCFF), or a control
# character other than tab, line feed and carriage return: PostgreSQL refuses NUL in text, and
# no clinical field holds the others.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\udc80-\udcff]")


def open_text(path: str | Path) -> io.TextIOBase:
    # utf-8-sig: spreadsheets often save a byte-order mark ahead of the header.
    # surrogateescape: a byte that is not UTF-8 (a latin-1 or Windows-1252 export) is read as a
    # lone surrogate, so csv_rows names its row and column instead of raising a traceback.
    return open(path, newline="", encoding="utf-8-sig", errors="surrogateescape")


def cell_problem(value: str) -> str | None:
    """Why a cell cannot be imported as text, or None."""
    found = _UNREADABLE.search(value)
    if found is None:
        return None
    code = ord(found.group())
    if code >= 0xDC80:
        return (
            f"byte 0x{code - 0xDC00:02X} is not UTF-8 text: save the file as "
            '"CSV UTF-8" and import it again'
        )
    return f"contains a control character (U+{code:04X})"


class _Lines:
    """The file's lines as the CSV reader takes them, keeping those of the current record so
    that a parse error can be traced to its column."""

    def __init__(self, handle: io.TextIOBase):
        self.handle = handle
        self.record: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.record.append(line)
        return line


def _column_at_error(text: str, header: list[str]) -> str:
    """The column a CSV parse error stopped in: the first value longer than the reader's
    limit, else the value being read where the text ends (quotes respected)."""
    limit = csv.field_size_limit()
    index, length, quoted = 0, 0, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            index, length = index + 1, 0
        else:
            length += 1
            if length > limit:
                break
    return header[index] if index < len(header) else f"column {index + 1}"


def _parse_error(row: int, lines: _Lines, header: list[str], exc: csv.Error) -> ImportRejected:
    column = _column_at_error("".join(lines.record), header)
    if "field larger than field limit" in str(exc):
        message = f"a value longer than {csv.field_size_limit():,} characters"
    else:
        message = f"cannot be read as CSV ({exc})"
    return ImportRejected([RowError(row, column, message)])


def csv_rows(
    handle: io.TextIOBase, required_columns: Iterable[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, {column: stripped value})``; reject a file missing a column.

    A cell that is not UTF-8 text or holds a control character is not yielded: once the
    whole file has been read, every such cell is rejected by row and column. A row the CSV
    reader cannot parse (a value over its 131,072-character limit, say) rejects the file there.
    """
    lines = _Lines(handle)
    reader = csv.DictReader(lines)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise _parse_error(1, lines, [], exc) from exc
    header = [name.strip() for name in fieldnames]
    problems = [
        RowError(1, repr(name)[1:-1], problem) for name in header if (problem := cell_problem(name))
    ]
    if problems:
        raise ImportRejected(problems)
    missing = [name for name in required_columns if name not in header]
    if missing:
        raise ImportRejected(
            RowError(1, name, "this column is missing from the header") for name in missing
        )
    reader.fieldnames = header
    errors: list[RowError] = []
    unlisted = 0
    row = 1
    while True:
        lines.record.clear()
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _parse_error(row + 1, lines, header, exc) from exc
        row += 1
        values = {key: (value or "").strip() for key, value in record.items() if key is not None}
        if _UNREADABLE.search("".join(lines.record)):
            found = [
                RowError(row, key, problem)
                for key, value in values.items()
                if (problem := cell_problem(value))
            ]
            unlisted += max(0, len(errors) + len(found) - MAX_LISTED_ERRORS)
            errors += found[: max(0, MAX_LISTED_ERRORS - len(errors))]
            if found:
                continue
        if not errors:
            yield row, values
    if errors:
        if unlisted:
            errors.append(RowError(row + 1, "*", f"and {unlisted} more problem(s) not listed"))
        raise ImportRejected(errors)
