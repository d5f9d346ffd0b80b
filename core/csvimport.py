"""All-or-nothing CSV imports with errors named by row and column (docs/product.md §8).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
An import validates every row before it writes anything; any error rejects the whole file.
"""

from __future__ import annotations

import csv
import io
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


def open_text(path: str | Path) -> io.TextIOBase:
    # utf-8-sig: spreadsheets often save a byte-order mark ahead of the header.
    return open(path, newline="", encoding="utf-8-sig")


def csv_rows(
    handle: io.TextIOBase, required_columns: Iterable[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, {column: stripped value})``; reject a file missing a column."""
    reader = csv.DictReader(handle)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in required_columns if name not in header]
    if missing:
        raise ImportRejected(
            RowError(1, name, "this column is missing from the header") for name in missing
        )
    reader.fieldnames = header
    for offset, record in enumerate(reader):
        yield (
            offset + 2,
            {key: (value or "").strip() for key, value in record.items() if key is not None},
        )
