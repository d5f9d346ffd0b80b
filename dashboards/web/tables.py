"""The dashboards' tables: what each column is called and how its cells read on the page, and
the same table as a CSV download (``?format=csv&table=<name>``). Each chart's table shows the
chart's figures with the chart's drill-down links, for readers who cannot see the chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from core.csvexport import csv_response


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False


@dataclass
class Table:
    name: str
    caption: str
    columns: list[Column]
    rows: list[dict]
    # The drill-down: a row's link (to the list behind the figure), shown in the first column.
    link: Callable[[dict], str | None] | None = None
    empty: str = "No figures yet."
    notes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[list[dict]]:
        lines = []
        for row in self.rows:
            url = self.link(row) if self.link else None
            lines.append(
                [
                    {
                        "text": cell_text(row.get(column.key)),
                        "numeric": column.numeric,
                        "url": url if index == 0 else None,
                    }
                    for index, column in enumerate(self.columns)
                ]
            )
        return lines

    def csv(self):
        today = timezone.localdate().isoformat()
        return csv_response(
            f"dashboard-{self.name}-{today}.csv",
            [column.key for column in self.columns],
            ([csv_cell(row.get(column.key)) for column in self.columns] for row in self.rows),
        )


def cell_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return str(value)


def csv_cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def change_text(value: int | None) -> str:
    """ "up 12", "down 5", "no change", or "–" with nothing to compare with."""
    if value is None:
        return "–"
    if value > 0:
        return f"up {value:,}"
    if value < 0:
        return f"down {-value:,}"
    return "no change"


def csv_of(request, tables: list[Table]):
    """The table ``?table=`` names, as CSV; 404 for a name the page does not have."""
    name = request.GET.get("table", "")
    for table in tables:
        if table.name == name:
            return table.csv()
    raise Http404("No such table on this page.")


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"
