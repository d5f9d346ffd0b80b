"""Who may see which patient: the legitimate-relationship rule of docs/product.md §1, in one place.

The directory contributes the first relationship (clinicians of the registered practice). Each app
registers the relationships it creates (a referral to a provider, a panel assignment, a diagnostic
request, a shared care agreement) from its ``AppConfig.ready``. Every view and endpoint that
shows a patient's record goes through :func:`patient_access_filter` via the selectors, so the
browser, the API and exports answer the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from directory.models import User

PatientRule = Callable[[User], Q]
_rules: list[PatientRule] = []

NOTHING = Q(pk__in=[])


def register_patient_rule(rule: PatientRule) -> PatientRule:
    """Add a relationship that lets a clinician see a patient. Usable as a decorator."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def patient_access_filter(user: User) -> Q:
    """A filter on ``Patient`` matching exactly the patients ``user`` may see identifiably.

    Managers, administrators and users without an organisation match nothing: they see
    aggregates and pseudonymised rows only.
    """
    if not user.is_authenticated or not user.is_active or not user.is_clinician:
        return NOTHING
    if user.organisation_id is None:
        return NOTHING
    condition = NOTHING
    for rule in _rules:
        condition |= rule(user)
    return condition


def registered_practice_rule(user: User) -> Q:
    """Clinicians of the patient's registered practice."""
    return Q(registered_practice_id=user.organisation_id)
