"""Hub capacity: slots one at a time (the API) or a week from a template (the capacity page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError
from diagnostics import permissions, rules
from diagnostics.models import Slot, TestType
from diagnostics.rules import SlotTemplateRow
from diagnostics.services.audit import SLOT, audit_change
from directory.models import Organisation, User

MAX_TEMPLATE_SLOTS = 2000
DEFAULT_INTERVAL_MINUTES = 15


def _check_hub(actor: User, hub: Organisation) -> None:
    if not permissions.can_manage_slots(actor, hub):
        raise PermissionDenied("Only the hub's diagnostics staff can manage its slots.")


@transaction.atomic
def slot_create(
    *,
    actor: User,
    context: AuditContext,
    hub: Organisation,
    test_type: TestType,
    starts_at,
    capacity: int,
) -> Slot:
    """One slot at a hub. A slot in the past, of no capacity, or the same as an existing one
    (hub, test type, start) is refused, naming the field."""
    _check_hub(actor, hub)
    errors = rules.slot_errors(starts_at=starts_at, capacity=capacity, now=timezone.now())
    if errors:
        raise ApplicationError("The slot was not created.", field_errors=errors)
    if Slot.objects.filter(hub_id=hub.pk, test_type_id=test_type.pk, starts_at=starts_at).exists():
        raise ApplicationError(
            "The slot was not created.",
            field_errors={"starts_at": ["This hub already has a slot for this test at this time."]},
        )
    try:
        with transaction.atomic():
            slot = Slot.objects.create(
                hub=hub,
                test_type=test_type,
                starts_at=starts_at,
                capacity=capacity,
                created_by=actor,
            )
    except IntegrityError as error:  # a concurrent identical slot
        raise ApplicationError(
            "The slot was not created.",
            field_errors={"starts_at": ["This hub already has a slot for this test at this time."]},
        ) from error
    audit_change(
        actor=actor,
        context=context,
        object_type=SLOT,
        record=slot,
        patient_id=None,
        detail=f"slot {test_type.code} x{capacity}",
        created=True,
    )
    return slot


@dataclass(frozen=True)
class TemplateOutcome:
    """What a week's template did: the slots created, and those that already existed."""

    created: list[Slot]
    existing: list[Slot]


def slots_create_from_template(
    *,
    actor: User,
    context: AuditContext,
    hub: Organisation,
    week_start: date,
    rows: list[SlotTemplateRow],
) -> list[Slot]:
    """Create a week of slots from a template; returns the slots created. See
    ``slots_template_apply`` for the slots that already existed as well."""
    return slots_template_apply(
        actor=actor, context=context, hub=hub, week_start=week_start, rows=rows
    ).created


@transaction.atomic
def slots_template_apply(
    *,
    actor: User,
    context: AuditContext,
    hub: Organisation,
    week_start: date,
    rows: list[SlotTemplateRow],
) -> TemplateOutcome:
    """All or nothing: any bad row refuses the whole template, naming the row (``rows.N.field``).
    A slot identical to an existing one (hub, test type, start) is reported, not duplicated."""
    _check_hub(actor, hub)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    wanted: dict[tuple, tuple] = {}
    if not rows:
        errors["rows"] = ["Add at least one line to the template."]
    for index, row in enumerate(rows):
        where = f"rows.{index}"
        interval = row.interval_minutes or getattr(row.test_type, "sample_minutes", None)
        interval = interval or DEFAULT_INTERVAL_MINUTES
        row_errors = _template_row_errors(row, interval)
        for field, messages in row_errors.items():
            errors[f"{where}.{field}"] = messages
        if row_errors:
            continue
        for naive in rules.template_start_times(
            week_start=week_start,
            weekday=row.weekday,
            start=row.start,
            count=row.count,
            interval_minutes=interval,
        ):
            starts_at = timezone.make_aware(naive)
            if starts_at <= now:
                errors.setdefault(f"{where}.start", ["Slots must start in the future."])
                break
            wanted.setdefault((row.test_type.pk, starts_at), (row.test_type, row.capacity))
    if len(wanted) > MAX_TEMPLATE_SLOTS:
        errors["rows"] = [f"A template creates at most {MAX_TEMPLATE_SLOTS} slots a week."]
    if errors:
        raise ApplicationError("No slots were created.", field_errors=errors)
    starts = [key[1] for key in wanted]
    existing = list(
        Slot.objects.select_related("test_type").filter(
            hub_id=hub.pk, starts_at__gte=min(starts), starts_at__lte=max(starts)
        )
    )
    taken = {(slot.test_type_id, slot.starts_at) for slot in existing}
    existing = [slot for slot in existing if (slot.test_type_id, slot.starts_at) in wanted]
    new = [
        Slot(hub=hub, test_type=test_type, starts_at=starts_at, capacity=capacity, created_by=actor)
        for (test_type_id, starts_at), (test_type, capacity) in sorted(
            wanted.items(), key=lambda item: (item[0][1], item[0][0])
        )
        if (test_type_id, starts_at) not in taken
    ]
    try:
        with transaction.atomic():
            Slot.objects.bulk_create(new)
    except IntegrityError as error:  # someone created one of them meanwhile: try again
        raise ApplicationError(
            "Some of these slots were created meanwhile; nothing was created. Try again."
        ) from error
    created = list(
        Slot.objects.select_related("hub", "test_type")
        .filter(hub_id=hub.pk, uuid__in=[slot.uuid for slot in new])
        .order_by("starts_at", "id")
    )
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.CREATE,
        object_type=SLOT,
        patient_ids=[None] * len(created),
        object_ids=[str(slot.uuid) for slot in created],
        detail=f"slots from a template for the week of {week_start:%Y-%m-%d}",
    )
    return TemplateOutcome(created=created, existing=existing)


def _template_row_errors(row: SlotTemplateRow, interval: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(row.weekday, int) or not 0 <= row.weekday <= 6:
        errors["weekday"] = ["Choose a day from Monday to Sunday."]
    if not isinstance(row.test_type, TestType):
        errors["test_type"] = ["Choose a test type."]
    if not isinstance(row.capacity, int) or row.capacity < 1:
        errors["capacity"] = ["A slot has room for at least one patient."]
    if not isinstance(row.count, int) or not 1 <= row.count <= 200:
        errors["count"] = ["Enter from 1 to 200 slots."]
    if not isinstance(interval, int) or not 1 <= interval <= 24 * 60:
        errors["interval_minutes"] = ["Enter an interval from 1 to 1440 minutes."]
    if not errors and row.count > 1:
        start_minutes = row.start.hour * 60 + row.start.minute
        if start_minutes + interval * (row.count - 1) >= 24 * 60:
            errors["count"] = ["These slots would run past midnight."]
    return errors
