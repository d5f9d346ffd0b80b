"""Shared care agreements (docs/product.md §4): the consultant proposes, the GP the agreement
names accepts or declines (with a reason), the first prescription under an accepted agreement
makes it active, and either party ends it. Each change locks the agreement's row, so two
answers at once cannot both stand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts.services import AlertDraft, alerts_raise
from audit.models import AuditAction
from audit.services import AuditContext
from core.errors import ApplicationError, ConflictError
from directory.models import Patient, User
from directory.selectors import patients_visible_to
from prescribing import permissions, rules
from prescribing.models import AgreementStatus, MonitoringTest, SharedCareAgreement
from prescribing.selectors.reference import monitoring_test_types
from prescribing.services.recording import audit_change
from prescribing.validators import DMD_CODE_VALIDATOR

MAX_MONITORING_TESTS = 20
MAX_INTERVAL_DAYS = 3660


def _audit(actor, context, agreement: SharedCareAgreement, action: str, detail: str) -> None:
    audit_change(
        actor=actor,
        context=context,
        action=action,
        object_type="shared_care_agreement",
        record=agreement,
        patient_id=agreement.patient_id,
        detail=detail,
    )


def _link(agreement: SharedCareAgreement) -> str:
    return reverse("prescribing:shared-care-detail", args=[agreement.uuid])


def monitoring_parse(monitoring: Iterable[Mapping]) -> list[tuple[str, str, int]]:
    """``(code, name, interval_days)`` of each test, or an ``ApplicationError`` naming
    ``monitoring``: tests are SNOMED CT codes of the diagnostics test types, each once."""
    known = monitoring_test_types()
    tests, problems, seen = [], [], set()
    entries = list(monitoring)
    if len(entries) > MAX_MONITORING_TESTS:
        problems.append(f"A protocol names at most {MAX_MONITORING_TESTS} monitoring tests.")
        entries = []
    for n, entry in enumerate(entries, start=1):
        code = str(entry.get("test_type") or "").strip()
        interval = entry.get("interval_days")
        if code not in known:
            problems.append(
                f"Test {n}: {code or 'no code'} is not a test type (SNOMED CT) diagnostics offers."
            )
        elif code in seen:
            problems.append(f"Test {n}: {known[code]} is named twice.")
        if (
            isinstance(interval, bool)
            or not isinstance(interval, int)
            or not 1 <= interval <= MAX_INTERVAL_DAYS
        ):
            problems.append(f"Test {n}: enter the interval in days, from 1 to {MAX_INTERVAL_DAYS}.")
        if code in known and code not in seen:
            seen.add(code)
            tests.append((code, known[code], interval))
    if problems:
        raise ApplicationError(
            "The monitoring is not valid.", field_errors={"monitoring": problems}
        )
    return tests


@transaction.atomic
def agreement_propose(
    *,
    actor: User,
    context: AuditContext,
    patient: Patient,
    gp: User,
    medicine: str,
    monitoring: Iterable[Mapping],
    dmd_code: str = "",
) -> SharedCareAgreement:
    """The initiating consultant proposes shared care of a medicine, with its monitoring, to a
    GP of the patient's registered practice, who is alerted."""
    if not permissions.can_propose_shared_care(actor):
        raise ApplicationError("Only a consultant proposes shared care.")
    medicine, dmd_code = (medicine or "").strip(), (dmd_code or "").strip()
    errors: dict[str, list[str]] = {}
    if not patients_visible_to(actor).filter(pk=patient.pk).exists():
        errors["nhs_number"] = ["No patient you may see has this NHS number."]
    elif not permissions.is_gp_of(gp, patient):
        errors["gp"] = [
            f"{gp.username} is not a GP of the patient's registered practice "
            f"({patient.registered_practice.name})."
        ]
    if not medicine:
        errors["medicine"] = ["Enter the medicine."]
    elif len(medicine) > 200:
        errors["medicine"] = ["Use at most 200 characters."]
    if dmd_code:
        try:
            DMD_CODE_VALIDATOR(dmd_code)
        except ValidationError as exc:
            errors["dmd_code"] = exc.messages
    try:
        tests = monitoring_parse(monitoring)
    except ApplicationError as error:
        errors.update(error.field_errors)
        tests = []
    if errors:
        raise ApplicationError("Shared care was not proposed.", field_errors=errors)
    agreement = SharedCareAgreement.objects.create(
        patient=patient, consultant=actor, gp=gp, medicine=medicine, dmd_code=dmd_code
    )
    MonitoringTest.objects.bulk_create(
        MonitoringTest(agreement=agreement, test_type=code, name=name, interval_days=interval)
        for code, name, interval in tests
    )
    _audit(actor, context, agreement, AuditAction.CREATE, f"proposed shared care of {medicine}")
    alerts_raise(
        [
            AlertDraft(
                kind="prescribing.shared_care_proposed",
                key=f"prescribing.shared_care:{agreement.uuid}:proposed",
                subject=f"{actor.display_name} proposes shared care of {medicine}",
                link=_link(agreement),
                recipient_id=gp.pk,
                patient_id=patient.pk,
            )
        ]
    )
    return agreement


_VERBS = {
    AgreementStatus.ACCEPTED: "accepted",
    AgreementStatus.DECLINED: "declined",
    AgreementStatus.ENDED: "ended",
}


def _lock_for(agreement: SharedCareAgreement, to_status: str) -> SharedCareAgreement:
    locked = SharedCareAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not rules.agreement_can_become(locked.status, to_status):
        raise ConflictError(
            f"This agreement is {locked.get_status_display().lower()}: it cannot be "
            f"{_VERBS[to_status]} now.",
            current={"status": locked.status},
        )
    return locked


def _tell_consultant(agreement: SharedCareAgreement, answer: str) -> None:
    alerts_raise(
        [
            AlertDraft(
                kind=f"prescribing.shared_care_{answer}",
                key=f"prescribing.shared_care:{agreement.uuid}:{answer}",
                subject=f"{agreement.gp.display_name} {answer} shared care of {agreement.medicine}",
                link=_link(agreement),
                recipient_id=agreement.consultant_id,
                patient_id=agreement.patient_id,
            )
        ]
    )


@transaction.atomic
def agreement_accept(
    *, agreement: SharedCareAgreement, actor: User, context: AuditContext
) -> SharedCareAgreement:
    """The GP accepts: from now on the consultant and the GP may prescribe under it."""
    if not permissions.can_answer_agreement(actor, agreement):
        raise ApplicationError("Only the GP the agreement names can accept it.")
    locked = _lock_for(agreement, AgreementStatus.ACCEPTED)
    locked.status = AgreementStatus.ACCEPTED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    _audit(actor, context, locked, AuditAction.UPDATE, "accepted")
    _tell_consultant(locked, "accepted")
    return locked


@transaction.atomic
def agreement_decline(
    *, agreement: SharedCareAgreement, actor: User, context: AuditContext, reason: str
) -> SharedCareAgreement:
    """The GP declines, saying why: prescribing stays with the specialist."""
    if not permissions.can_answer_agreement(actor, agreement):
        raise ApplicationError("Only the GP the agreement names can decline it.")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Say why you decline.", field_errors={"reason": ["Say why you decline."]}
        )
    locked = _lock_for(agreement, AgreementStatus.DECLINED)
    locked.status = AgreementStatus.DECLINED
    locked.responded_at = timezone.now()
    locked.decline_reason = reason
    locked.save(update_fields=["status", "responded_at", "decline_reason"])
    _audit(actor, context, locked, AuditAction.UPDATE, "declined")
    _tell_consultant(locked, "declined")
    return locked


@transaction.atomic
def agreement_end(
    *, agreement: SharedCareAgreement, actor: User, context: AuditContext, reason: str
) -> SharedCareAgreement:
    """Either party ends an accepted or active agreement, saying why; nothing more may be
    prescribed under it."""
    if not permissions.can_end_agreement(actor, agreement):
        raise ApplicationError("Only the consultant or the GP of the agreement can end it.")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Say why the agreement ends.", field_errors={"reason": ["Say why it ends."]}
        )
    locked = _lock_for(agreement, AgreementStatus.ENDED)
    locked.status = AgreementStatus.ENDED
    locked.ended_at = timezone.now()
    locked.ended_by = actor
    locked.end_reason = reason
    locked.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    _audit(actor, context, locked, AuditAction.UPDATE, "ended")
    return locked
