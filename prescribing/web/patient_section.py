"""The patient page's "Prescribing" section: the patient's prescriptions and shared care
agreements the user may see, and the links to prescribe or propose shared care."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from directory.patient_sections import PatientSection
from prescribing import permissions, selectors


def prescribing_section(user, patient) -> PatientSection | None:
    if not permissions.can_prescribe(user):
        return None
    query = urlencode({"nhs_number": patient.nhs_number})
    return PatientSection(
        title="Prescribing",
        template="prescribing/_patient_prescribing.html",
        context={
            "prescriptions": list(
                selectors.prescriptions_of_patient(user=user, patient=patient)[:20]
            ),
            "agreements": list(selectors.agreements_of_patient(user=user, patient=patient)[:20]),
            "prescribe_url": f"{reverse('prescribing:prescription-new')}?{query}",
            "propose_url": f"{reverse('prescribing:shared-care-new')}?{query}"
            if permissions.can_propose_shared_care(user)
            else None,
        },
    )
