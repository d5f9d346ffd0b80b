"""Diagnostics records in the access matrix's scenario (docs/product.md §1, §3).

The scenario's GP requests two tests for the scenario's patient at the scenario's hub; so the
GP (the requester) and the hub's staff hold the diagnostics relationship, the consultant and
the community clinician see the patient through the referral and its panel, and nobody else
gains anything. Records, in ``scenario.extra``:

- ``diagnostics_slot``: a future FBC slot at the hub with room (to book into, to move to);
- ``diagnostics_booking``: a booked FBC whose slot has started (move, cancel, attendance, result);
- ``diagnostics_result``: an abnormal result of an attended ECG, the GP responsible;
- ``diagnostics_offered``: a result of an attended spirometry whose responsibility the GP has
  offered to the consultant (accept-transfer).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from diagnostics.models import BookingStatus
from tests.diagnostics.factories import (
    ECG,
    FBC,
    SPIROMETRY,
    BookingFactory,
    PastSlotFactory,
    ResultFactory,
    SlotFactory,
    test_type,
)


def extend(scenario) -> None:
    hub = scenario.orgs["hub"]
    gp = scenario.users["gp"]
    staff = scenario.users["diagnostics_staff"]
    patient = scenario.patient
    now = timezone.now().replace(microsecond=0)

    def past_slot(code, hours):
        return PastSlotFactory(
            hub=hub,
            test_type=test_type(code),
            starts_at=now - datetime.timedelta(hours=hours),
            capacity=3,
            created_by=staff,
        )

    def booking(slot, **kwargs):
        return BookingFactory(
            patient=patient,
            slot=slot,
            requester=gp,
            requester_organisation=gp.organisation,
            reason="Matrix scenario test.",
            **kwargs,
        )

    free = SlotFactory(
        hub=hub,
        test_type=test_type(FBC),
        starts_at=now + datetime.timedelta(days=3),
        capacity=5,
        created_by=staff,
    )
    booked = booking(past_slot(FBC, 2))

    def result(code, hours, **kwargs):
        slot = past_slot(code, hours)
        attended = booking(slot, status=BookingStatus.ATTENDED, attended_at=slot.starts_at)
        return ResultFactory(
            booking=attended,
            abnormal=True,
            summary="Matrix scenario result.",
            recorded_by=staff,
            responsible=gp,
            **kwargs,
        )

    reported = result(ECG, 3)
    offered = result(
        SPIROMETRY,
        4,
        transfer_to=scenario.users["consultant"],
        transfer_offered_at=now,
    )
    scenario.extra.update(
        diagnostics_slot=free,
        diagnostics_booking=booked,
        diagnostics_result=reported,
        diagnostics_offered=offered,
    )
    scenario.extra_identifiers |= {
        str(booked.uuid),
        str(reported.uuid),
        str(reported.booking.uuid),
        str(offered.uuid),
        str(offered.booking.uuid),
    }
