"""The diagnostics event: a provider that requested a test owes the patient its result
(docs/product.md §3, §5). Subscribed by ``ContractsConfig`` to ``diagnostics.result_recorded``,
which the diagnostics service publishes inside the result's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from audit.models import AuditClient
from audit.services import AuditContext
from contracts import rules
from contracts.models import Duty, Obligation
from contracts.services.opening import audit_created
from directory.models import PROVIDER_KINDS, Organisation, Patient

# The event carries no request: the obligation is written as the result's follow-up work.
EVENT_CONTEXT = AuditContext(client=AuditClient.TASK)


def _when(value) -> datetime:
    return value if isinstance(value, datetime) else parse_datetime(str(value))


def result_recorded(
    *,
    result_uuid,
    patient_id: int,
    requester_organisation_id: int,
    reported_at,
    link: str = "",
    **_other,
) -> Obligation | None:
    """Open ``result_to_patient`` for the requesting organisation when it is a trust or a
    community provider: the duty to tell the patient is the provider's, due
    ``CONTRACTS_RESULT_TO_PATIENT_DAYS`` after the result was reported. A GP practice's own
    request opens nothing (the GP contract, not this one). Runs in the publisher's transaction;
    the same event delivered twice opens one obligation."""
    requester = Organisation.objects.filter(pk=requester_organisation_id).first()
    if requester is None or requester.kind not in PROVIDER_KINDS:
        return None
    reported = _when(reported_at)
    result = uuid.UUID(str(result_uuid))
    existing = Obligation.objects.filter(result_uuid=result, duty=Duty.RESULT_TO_PATIENT).first()
    if existing is not None:
        return existing
    patient = Patient.objects.get(pk=patient_id)
    try:
        # A savepoint: a second delivery racing this one loses on the unique constraint
        # without undoing the publisher's transaction.
        with transaction.atomic():
            obligation = Obligation.objects.create(
                duty=Duty.RESULT_TO_PATIENT,
                provider=requester,
                patient=patient,
                result_uuid=result,
                source_link=str(link or "")[:500],
                event_at=reported,
                due_at=rules.due_at(Duty.RESULT_TO_PATIENT, reported),
            )
    except IntegrityError:
        return Obligation.objects.get(result_uuid=result, duty=Duty.RESULT_TO_PATIENT)
    audit_created(
        actor=None,
        context=EVENT_CONTEXT,
        object_type="obligation",
        records=[obligation],
        detail="opened by diagnostics.result_recorded",
    )
    return obligation
