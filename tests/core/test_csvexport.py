"""CSV the app writes: cells a spreadsheet would run as formulas are neutralised (OWASP)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from core.csvexport import csv_cell, csv_lines, csv_response


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+44 20 7946 0000", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"],
)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_quote_in_front(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Smith", "O'Brien", "a=b", "", " =padded"])
def test_ordinary_text_is_written_unchanged(text):
    assert csv_cell(text) == text


@pytest.mark.parametrize("value", [-12, -1.5, Decimal("-1234.50"), date(2026, 1, 5), None, 0])
def test_numbers_dates_and_none_are_written_unchanged(value):
    assert csv_cell(value) is value


def read(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


def test_csv_lines_neutralise_every_cell_and_keep_numbers():
    rows = [["=cmd|' /C calc'!A0", -3, "Knee, left"], ["Ada", 12, 'said "no"']]
    assert read(csv_lines(["name", "days_to_target", "reason"], rows)) == [
        ["name", "days_to_target", "reason"],
        ["'=cmd|' /C calc'!A0", "-3", "Knee, left"],
        ["Ada", "12", 'said "no"'],
    ]


def test_csv_lines_are_produced_one_row_at_a_time():
    def rows():
        yield ["first"]
        raise AssertionError("read ahead of the consumer")

    lines = csv_lines(["h"], rows())
    assert next(lines) == "h\r\n"
    assert next(lines) == "first\r\n"


def test_csv_response_streams_a_utf8_download_excel_reads():
    response = csv_response("queue.csv", ["name"], [["@evil"], ["Zoë"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="queue.csv"'
    assert body == "\ufeffname\r\n'@evil\r\nZoë\r\n"
