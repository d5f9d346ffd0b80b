"""Shared care agreements a user may see, the GP's proposals to answer, and each agreement's
monitoring with the date each test is next due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlencode

from diagnostics.selectors import bookings_visible_to
from directory.models import Patient, User
from prescribing import permissions, rules
from prescribing.models import AgreementStatus, MonitoringTest, SharedCareAgreement
from prescribing.selectors.access import agreement_access_q

AGREEMENT_RELATED = ("patient", "consultant__organisation", "gp__organisation", "ended_by")
# The diagnostics booking page takes the patient and the test (docs/prescribing.md).
DIAGNOSTICS_BOOKING_PATH = "/diagnostics/book/"


def agreements_visible_to(user: User) -> QuerySet[SharedCareAgreement]:
    return (
        SharedCareAgreement.objects.filter(agreement_access_q(user))
        .select_related(*AGREEMENT_RELATED)
        .prefetch_related("monitoring")
    )


def agreement_get_for_user(*, user: User, agreement_uuid) -> SharedCareAgreement:
    """The agreement, or 404 if the user is not its consultant or its GP."""
    return get_object_or_404(agreements_visible_to(user), uuid=agreement_uuid)


def agreement_for_action(*, user: User, agreement_uuid, action: str) -> SharedCareAgreement:
    """The agreement for ``action`` (``accept``, ``decline``, ``end``): 404 unseen, 403 when
    the user may see it but not do this."""
    agreement = agreement_get_for_user(user=user, agreement_uuid=agreement_uuid)
    if not permissions.AGREEMENT_ACTIONS[action](user, agreement):
        if action in ("accept", "decline"):
            raise PermissionDenied("Only the GP the agreement names can accept or decline it.")
        raise PermissionDenied("Only the consultant or the GP of the agreement can end it.")
    return agreement


def agreements_awaiting_gp(user: User) -> QuerySet[SharedCareAgreement]:
    """Proposals awaiting this GP's decision, oldest first (the GP's worklist)."""
    return (
        SharedCareAgreement.objects.filter(gp_id=user.pk, status=AgreementStatus.PROPOSED)
        .select_related(*AGREEMENT_RELATED)
        .order_by("proposed_at", "id")
    )


def agreements_prescribable_by(
    *, user: User, patient: Patient | None = None
) -> QuerySet[SharedCareAgreement]:
    """Accepted or active agreements the user is a party to: those they may prescribe under."""
    agreements = agreements_visible_to(user).filter(
        status__in=rules.PRESCRIBABLE_AGREEMENT_STATUSES
    )
    if patient is not None:
        agreements = agreements.filter(patient=patient)
    return agreements


def agreements_of_patient(*, user: User, patient: Patient) -> QuerySet[SharedCareAgreement]:
    return agreements_visible_to(user).filter(patient=patient).order_by("-proposed_at", "-id")


@dataclass(frozen=True)
class MonitoringRow:
    test_type: str
    name: str
    interval_days: int
    last_booked_on: datetime.date | None
    due_on: datetime.date | None
    due: bool
    booking_url: str | None


def booking_url(*, nhs_number: str, test_type: str) -> str:
    """The diagnostics booking page for this patient and test, in one click."""
    query = urlencode({"nhs_number": nhs_number, "test_type": test_type})
    return f"{DIAGNOSTICS_BOOKING_PATH}?{query}"


# A booking that stands or was attended counts as the test done or to be done; one cancelled,
# or not attended, leaves the test due (diagnostics' booking statuses).
BOOKING_STATUSES_COUNTED = ("booked", "attended")


def last_bookings(
    *, user: User, agreements: list[SharedCareAgreement]
) -> dict[tuple[int, str], datetime.date]:
    """``{(patient id, SNOMED CT code): date}`` of each patient's latest booking of each test
    the agreements monitor (accepted or active ones; nothing is due before), from the
    diagnostics app's bookings the user may see: one grouped query for a whole page."""
    accepted = [a for a in agreements if a.status in rules.PRESCRIBABLE_AGREEMENT_STATUSES]
    codes = {t.test_type for a in accepted for t in a.monitoring.all()}
    if not codes:
        return {}
    rows = (
        bookings_visible_to(user)
        .filter(
            patient_id__in={a.patient_id for a in accepted},
            test_type__code__in=codes,
            status__in=BOOKING_STATUSES_COUNTED,
        )
        .order_by()
        .values("patient_id", "test_type__code")
        .annotate(last=Max("slot__starts_at"))
    )
    return {
        (row["patient_id"], row["test_type__code"]): timezone.localdate(row["last"]) for row in rows
    }


def monitoring_rows(
    agreement: SharedCareAgreement,
    *,
    user: User,
    today: datetime.date | None = None,
    booked: dict[tuple[int, str], datetime.date] | None = None,
) -> list[MonitoringRow]:
    """The protocol's tests with when each is next due: the patient's last booking of the test
    plus its interval or, before any, the GP's acceptance plus it. Tests can be booked (a link
    to the diagnostics booking page) while the agreement is active. ``booked`` is
    :func:`last_bookings` of a page of agreements, read once for them all."""
    today = today or timezone.localdate()
    accepted = agreement.status in rules.PRESCRIBABLE_AGREEMENT_STATUSES
    accepted_on = timezone.localdate(agreement.responded_at) if accepted else None
    tests: list[MonitoringTest] = list(agreement.monitoring.all())
    if booked is None:
        booked = last_bookings(user=user, agreements=[agreement])
    bookable = agreement.status == AgreementStatus.ACTIVE
    rows = []
    for test in tests:
        due_on = rules.monitoring_due_on(
            accepted_on=accepted_on,
            last_booked_on=booked.get((agreement.patient_id, test.test_type)),
            interval_days=test.interval_days,
        )
        rows.append(
            MonitoringRow(
                test_type=test.test_type,
                name=test.name,
                interval_days=test.interval_days,
                last_booked_on=booked.get((agreement.patient_id, test.test_type)),
                due_on=due_on,
                due=due_on is not None and due_on <= today,
                booking_url=booking_url(
                    nhs_number=agreement.patient.nhs_number, test_type=test.test_type
                )
                if bookable
                else None,
            )
        )
    return rows
