"""What a manager must never be shown (docs/product.md §1): shared by the API and page tests."""

from __future__ import annotations

import datetime

from tests.factories import PatientFactory
from tests.triage.factories import ReferralFactory

DATE_OF_BIRTH = datetime.date(1951, 3, 17)


def identifiable_referral(**kwargs):
    """A referral whose patient and identifiers are all distinctive strings to look for."""
    patient = PatientFactory(
        family_name="Zyxwvutson", given_name="Quillonia", date_of_birth=DATE_OF_BIRTH
    )
    return ReferralFactory(
        patient=patient,
        ubrn="555666777888",
        external_id="PAS-77881234",
        reason="Haemarthrosis after a fall on the Quillfield estate.",
        **kwargs,
    )


def identifiers_of(referral) -> list[str]:
    patient = referral.patient
    return [
        patient.nhs_number,
        patient.nhs_number_display,
        patient.family_name,
        patient.family_name.upper(),
        patient.given_name,
        DATE_OF_BIRTH.isoformat(),
        "17 Mar 1951",
        "17/03/1951",
        "March 17, 1951",
        referral.ubrn,
        referral.external_id,
        referral.reason,
        "Quillfield",
    ]


def leaked(body: str, referral) -> list[str]:
    """The identifiers of ``referral`` that appear in ``body`` (should be none)."""
    return [value for value in identifiers_of(referral) if value in body]
