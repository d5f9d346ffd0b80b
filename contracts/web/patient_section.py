"""The "Contract obligations" section of the patient page: the patient's obligations the user
may see. The patient page's own view is audited; the section adds no read of another patient."""

from __future__ import annotations

from django.utils import timezone

from contracts import presenters, selectors
from contracts.models import Duty, ObligationStatus
from directory.patient_sections import PatientSection

SHOWN = 50


def obligations_section(user, patient) -> PatientSection | None:
    if selectors.is_pseudonymised_for(user):
        return None
    obligations = list(selectors.obligations_of_patient(user=user, patient=patient)[:SHOWN])
    if not obligations:
        return None
    now = timezone.now()
    rows = []
    for obligation in obligations:
        row = presenters.obligation_row(obligation, now=now, pseudonym_scope=None)
        row["duty_label"] = Duty(row["duty"]).label
        row["status_label"] = ObligationStatus(row["status"]).label
        row["provider_name"] = obligation.provider.name
        rows.append(row)
    return PatientSection(
        title="Contract obligations",
        template="contracts/_patient_obligations.html",
        context={"rows": rows},
    )
