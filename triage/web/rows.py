"""The rows of the browser's referral tables (queue, deferred list, worklists, panel queues).

A page shows fifty rows of eight cells. Rendered through the template engine, those cells cost
more than the rest of the page together (docs/benchmarks.md), so each row's ``<tr>`` is built
here with ``format_html``, which escapes every value as a template would. The table around the
rows (caption, headings, paging) stays in ``templates/triage/_queue_table.html``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from triage import rules
from triage.models import Category, Status
from triage.presenters import QUEUE_ROW_VALUES, queue_row_values

# What a browser row shows beyond the API's queue row.
ROW_VALUES = (*QUEUE_ROW_VALUES, "treatment_function__name", "contact_on")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

ROW = (
    '<tr class="nhsuk-table__row" data-testid="queue-row" data-referral="{id}">'
    '<td class="nhsuk-table__cell app-numeric">{position}</td>'
    '<td class="nhsuk-table__cell">{patient}{nhs_number}{ubrn}</td>'
    '<td class="nhsuk-table__cell">{provider} · {function} {function_name}</td>'
    '<td class="nhsuk-table__cell"><strong>{category}</strong> {reviewed}</td>'
    '<td class="nhsuk-table__cell">{day}</td>'
    '<td class="nhsuk-table__cell app-numeric">{days}{breached}</td>'
    '<td class="nhsuk-table__cell app-numeric">{weeks}{long_wait}</td>'
    '<td class="nhsuk-table__cell">{status}</td>'
    "</tr>"
)
REVIEWED = mark_safe('<strong class="nhsuk-tag nhsuk-tag--green">reviewed</strong>')
PROVISIONAL = mark_safe('<strong class="nhsuk-tag nhsuk-tag--grey">provisional</strong>')
BREACHED = mark_safe('<br><strong class="nhsuk-tag app-tag-breached">Breached</strong>')


def day_text(value: date | None) -> str:
    """A date as the tables show it ("5 Jan 2026"), whatever the server's locale."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def as_of_text(moment: datetime | None, *, now: datetime) -> str:
    """When a summary was counted, as people say it: "02:00 today", "17:45 yesterday",
    "28 Nov 2026 at 02:00"; ``moment`` and ``now`` in local time."""
    if moment is None:
        return "the last recomputation"
    moment = timezone.localtime(moment)
    clock = f"{moment:%H:%M}"
    days = (now.date() - moment.date()).days
    if days == 0:
        return f"{clock} today"
    if days == 1:
        return f"{clock} yesterday"
    return f"{day_text(moment.date())} at {clock}"


def days_to_target_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f"{-days} day{'' if days == -1 else 's'} over"
    return f"{days} day{'' if days == 1 else 's'} left"


def table_row(
    values: dict, *, today: date, pseudonym_scope: str | None, deferred: bool = False
) -> dict:
    """The queue row of one referral's ``ROW_VALUES`` (``presenters.queue_row_values``) with
    the figures that say why it is where it is, and its ``<tr>`` as ``row["html"]``. A
    pseudonymised row (a manager's) carries no identifier and no link to the record."""
    row = queue_row_values(values, today=today, pseudonym_scope=pseudonym_scope)
    row.update(
        long_wait_weeks=rules.long_wait_weeks(values["clock_start"], today),
        treatment_function_name=values["treatment_function__name"],
        status_label=Status(values["status"]).label,
        contact_on=values["contact_on"],
        url=None
        if pseudonym_scope is not None
        else reverse("triage:referral-detail", args=[values["uuid"]]),
    )
    row["html"] = _row_html(row, deferred=deferred)
    return row


def _row_html(row: dict, *, deferred: bool) -> SafeString:
    if row["url"]:
        patient = format_html(
            '<a href="{}" data-testid="patient-link">{}</a>', row["url"], row["patient_name"]
        )
    else:
        patient = format_html('<span data-testid="patient-link">{}</span>', row["patient_name"])
    long_wait = row["long_wait_weeks"]
    return format_html(
        ROW,
        id=row["id"],
        position=row["position"] or "–",
        patient=patient,
        nhs_number=_small("NHS", row["nhs_number"]),
        ubrn=_small("UBRN", row["ubrn"]),
        provider=row["provider"],
        function=row["treatment_function"],
        function_name=row["treatment_function_name"],
        category=Category(row["displayed_category"]).label,
        reviewed=REVIEWED if row["category"] else PROVISIONAL,
        day=day_text(row["contact_on"] if deferred else row["target_date"]),
        days=days_to_target_text(row["days_to_target"]),
        breached=BREACHED if row["breached"] else "",
        weeks=row["weeks_waited"],
        long_wait=format_html(
            '<br><strong class="nhsuk-tag app-tag-long-wait">{}+ weeks</strong>', long_wait
        )
        if long_wait
        else "",
        status=row["status_label"],
    )


def _small(label: str, value: str | None) -> SafeString | str:
    if not value:
        return ""
    return format_html('<br><span class="nhsuk-u-font-size-16">{} {}</span>', label, value)
