"""All-or-nothing CSV imports with errors named by row and column (docs/product.md §8).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
An import validates every row before it writes anything; any error rejects the whole file.
"""

from __future__ import annotations

import csv
import io
import itertools
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


def _record_text(handle: io.TextIOBase, first_line: int, last_line: int) -> str:
    """Lines ``first_line`` to ``last_line`` (0-based, the end excluded) of the file, read
    again from the start: the text of a record the CSV reader could not parse. Empty where the
    handle cannot go back."""
    try:
        handle.seek(0)
        return "".join(itertools.islice(handle, first_line, last_line))
    except (OSError, ValueError):
        return ""


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


def _parse_error(row: int, record: str, header: list[str], exc: csv.Error) -> ImportRejected:
    column = _column_at_error(record, header)
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
    # The C reader straight over the file: a record's raw text is only needed when it cannot
    # be parsed, and is then read again from the file (a wrapper keeping every line cost more
    # than the parsing).
    reader = csv.reader(handle)
    try:
        fieldnames = next(reader, [])
    except csv.Error as exc:
        raise _parse_error(1, _record_text(handle, 0, reader.line_num), [], exc) from exc
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
    width = len(header)
    errors: list[RowError] = []
    unlisted = 0
    row = 1
    while True:
        first_line = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            record = _record_text(handle, first_line, reader.line_num)
            raise _parse_error(row + 1, record, header, exc) from exc
        if not cells:
            continue  # a blank line is no record
        row += 1
        # A short row reads as empty cells; cells past the header are ignored.
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        values = {key: value.strip() for key, value in zip(header, cells, strict=False)}
        if _UNREADABLE.search("\n".join(cells)):
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
