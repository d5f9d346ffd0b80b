"""CSV the app writes, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run by
Excel, LibreOffice and Google Sheets as a formula, so a patient's name or a free-text reason
could run one on the machine of whoever opens the export ("CSV injection"). As OWASP advises,
such a cell gets a single quote in front, which spreadsheets show as text. Numbers the app
computed (a negative ``days_to_target``, say) are written as they are: only text is
neutralised. Every CSV export uses :func:`csv_response` or :func:`csv_lines`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

# OWASP, CSV Injection: the characters with which a spreadsheet starts a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """``value`` made safe for a spreadsheet: text that a spreadsheet would run as a formula
    gets a single quote in front; anything else (numbers, dates, None) is left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Line:
    """A file-like object whose ``write`` hands back the line, for a streaming csv.writer."""

    def write(self, line: str) -> str:
        return line


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence], *, byte_order_mark: bool = False
) -> Iterator[str]:
    """The CSV text of ``header`` and ``rows``, one line at a time, every cell through
    :func:`csv_cell`. With ``byte_order_mark`` the first line starts with one, so Excel reads
    the file as UTF-8 (names with accents stay whole)."""
    writer = csv.writer(_Line())
    first = writer.writerow([csv_cell(name) for name in header])
    yield ("\ufeff" + first) if byte_order_mark else first
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A download of ``rows`` as ``filename``, streamed: memory stays flat however many rows
    (``rows`` may be a queryset's ``.values_list().iterator()``)."""
    response = StreamingHttpResponse(
        csv_lines(header, rows, byte_order_mark=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
