"""How a patient is named to a user: identifiably to a clinician, by a pseudonym to a manager
(docs/product.md §1). The one place pseudonymisation is written; every row and serializer that
names a patient goes through it."""

from __future__ import annotations

from core.pseudonyms import patient_pseudonym
from directory.models import patient_display_name


def patient_identity(
    *,
    patient_uuid,
    nhs_number: str,
    family_name: str,
    given_name: str,
    pseudonym_scope: str | None,
) -> dict:
    """``nhs_number`` and ``patient_name`` as the user may see them. ``pseudonym_scope`` is
    ``directory.selectors.pseudonym_scope_for(user)``: ``None`` names the patient; a scope (a
    manager's ICB) gives no NHS number and that scope's stable pseudonym in place of the name."""
    if pseudonym_scope is not None:
        return {
            "nhs_number": None,
            "patient_name": patient_pseudonym(patient_uuid, pseudonym_scope),
        }
    return {
        "nhs_number": nhs_number,
        "patient_name": patient_display_name(family_name, given_name),
    }
