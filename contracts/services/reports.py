"""GP breach reports and their letters (docs/product.md §5)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from contracts import permissions, rules, selectors
from contracts.models import BREACH_DUTIES, BreachReport, Duty
from contracts.services.opening import audit_created
from core.errors import ApplicationError, ConflictError
from directory.models import PROVIDER_KINDS, Organisation, Patient, User

MAX_DESCRIPTION = 4000
MAX_LETTER = 20000
EARLIEST = date(2000, 1, 1)


def _parties(provider: Organisation, actor: User) -> rules.LetterParties:
    icb = provider.icb
    practice = actor.organisation
    return rules.LetterParties(
        provider_name=provider.name,
        provider_ods=provider.ods_code,
        icb_name=icb.name if icb else "",
        icb_ods=icb.ods_code if icb else "",
        practice_name=practice.name,
        practice_ods=practice.ods_code,
        gp_name=actor.display_name,
    )


def _errors(
    *,
    actor: User,
    duty: str,
    provider: Organisation | None,
    patient: Patient,
    occurred_on,
    description: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if duty not in BREACH_DUTIES:
        errors["duty"] = [f"Choose one of: {', '.join(BREACH_DUTIES)}."]
    if provider is None or provider.kind not in PROVIDER_KINDS:
        errors["provider"] = ["Choose a trust or community provider."]
    if not selectors.may_report_for(user=actor, patient=patient):
        errors["nhs_number"] = ["No patient registered at your practice has this NHS number."]
    today = timezone.localdate()
    if occurred_on > today:
        errors["occurred_on"] = ["It is in the future."]
    elif occurred_on < max(EARLIEST, patient.date_of_birth):
        errors["occurred_on"] = ["It is before the patient was born or before 2000."]
    if not description.strip():
        errors["description"] = ["Say what the provider asked the practice to do."]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [f"Keep it to {MAX_DESCRIPTION} characters."]
    return errors


@transaction.atomic
def breach_report_create(
    *,
    actor: User,
    context: AuditContext,
    duty: str,
    provider: Organisation,
    patient: Patient,
    occurred_on: date,
    description: str,
) -> tuple[BreachReport, bool]:
    """A GP reports a duty broken by asking their practice to act, about a patient registered
    there, and gets the letter to the trust and the ICB drafted (``rules.breach_letter``).
    The same report sent again is found, not made twice (the second element is False); a
    different account of the same breach (same provider, patient, duty and day) is 409."""
    if not permissions.can_report_breach(actor):
        raise ApplicationError("Only GPs report breaches of the contract.")
    errors = _errors(
        actor=actor,
        duty=duty,
        provider=provider,
        patient=patient,
        occurred_on=occurred_on,
        description=description,
    )
    if errors:
        raise ApplicationError("The breach was not reported.", field_errors=errors)
    key = {
        "practice": actor.organisation,
        "provider": provider,
        "patient": patient,
        "duty": duty,
        "occurred_on": occurred_on,
    }
    existing = BreachReport.objects.filter(**key).first()
    if existing is None:
        letter = rules.breach_letter(
            duty=duty,
            parties=_parties(provider, actor),
            nhs_number_display=patient.nhs_number_display,
            occurred_on=occurred_on,
            description=description,
            today=timezone.localdate(),
        )
        try:
            with transaction.atomic():
                report = BreachReport.objects.create(
                    **key, reported_by=actor, description=description.strip(), letter=letter
                )
        except IntegrityError:
            existing = BreachReport.objects.filter(**key).first()
            if existing is None:
                raise
        else:
            audit_created(
                actor=actor, context=context, object_type="breach_report", records=[report]
            )
            return report, True
    if existing.description != description.strip():
        raise ConflictError(
            f"This breach ({Duty(duty).label.lower()}, {occurred_on:%d %b %Y}) has already been "
            "reported for this patient: edit that report's letter instead.",
            current={"id": str(existing.uuid)},
        )
    return existing, False


@transaction.atomic
def breach_report_letter_update(
    *, report: BreachReport, actor: User, context: AuditContext, letter: str
) -> BreachReport:
    """The reporting practice's GP edits the drafted letter before printing or sending it."""
    if not permissions.can_edit_report(actor, report):
        raise ApplicationError("Only the reporting practice's GPs edit its letter.")
    if not letter.strip():
        raise ApplicationError(
            "The letter was not saved.", field_errors={"letter": ["The letter cannot be empty."]}
        )
    if len(letter) > MAX_LETTER:
        raise ApplicationError(
            "The letter was not saved.",
            field_errors={"letter": [f"Keep it to {MAX_LETTER} characters."]},
        )
    report.letter = letter.replace("\r\n", "\n")
    report.letter_edited_at = timezone.now()
    report.save(update_fields=["letter", "letter_edited_at"])
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.UPDATE,
        object_type="breach_report",
        patient_ids=[report.patient_id],
        object_ids=[str(report.uuid)],
        detail="letter edited",
    )
    return report
