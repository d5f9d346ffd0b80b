"""How a patient is named to a user: identifiably to a clinician, by a pseudonym to a manager
(docs/product.md §1). The one place pseudonymisation is written; every row and serializer that
names a patient goes through it."""

from __future__ import annotations

from core.pseudonyms import patient_pseudonym
from directory.models import patient_display_name


def patient_identity(
    *, patient_uuid, nhs_number: str, family_name: str, given_name: str, pseudonymise: bool
) -> dict:
    """``nhs_number`` and ``patient_name`` as the user may see them: a manager gets no NHS
    number and a stable pseudonym in place of the name."""
    if pseudonymise:
        return {"nhs_number": None, "patient_name": patient_pseudonym(patient_uuid)}
    return {
        "nhs_number": nhs_number,
        "patient_name": patient_display_name(family_name, given_name),
    }
