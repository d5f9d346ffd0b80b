"""Reads of results: visible to every clinician with a legitimate relationship with the
patient, whichever setting asked for the test (docs/product.md §3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from diagnostics import permissions
from diagnostics.models import Result
from diagnostics.selectors.access import patient_visible_q
from diagnostics.selectors.ids import as_uuid
from directory.models import Patient, User

# What a result's row shows (the API's and the worklist's); a detail page loads the rest. Every
# join costs planning time on each request, so only these.
RESULT_RELATED = (
    "booking",
    "booking__patient",
    "booking__test_type",
    "booking__slot",
    "booking__slot__hub",
    "responsible",
)
# Usually empty on a list (an offer pending, an acknowledgement made): fetched by their ids in
# one query each, when any row has one, rather than joined into every row's plan.
RESULT_PREFETCHED = ("transfer_to", "acknowledged_by")


def results_owned_by(user: User) -> QuerySet[Result]:
    """The results ``user`` is responsible for. Responsibility is itself a relationship with the
    patient (``booking_patient_rule``), so no wider check is needed: the list a clinician pulls
    most often ("mine, unacknowledged") is an index walk on ``responsible``."""
    if not user.is_authenticated or not user.is_clinician:
        return Result.objects.none()
    return (
        Result.objects.filter(responsible_id=user.pk)
        .select_related(*RESULT_RELATED)
        .prefetch_related(*RESULT_PREFETCHED)
    )


def results_visible_to(user: User) -> QuerySet[Result]:
    """Results of the patients the user may see, whoever requested the test (managers and
    administrators: none). Checked row by row like ``bookings_visible_to``."""
    if not user.is_authenticated or not user.is_clinician:
        return Result.objects.none()
    # The responsible clinician sees the patient by that alone (``booking_patient_rule``), so
    # their own rows skip the wider check, which the planner costs on every request.
    return (
        Result.objects.filter(
            Q(responsible_id=user.pk) | patient_visible_q(user, "booking__patient_id")
        )
        .select_related(*RESULT_RELATED)
        .prefetch_related(*RESULT_PREFETCHED)
    )


def result_get_for_user(user: User, result_uuid) -> Result:
    """The result, or 404: no existence leak to those without a relationship."""
    key = as_uuid(result_uuid)
    result = results_visible_to(user).filter(uuid=key).first() if key else None
    if result is None:
        raise Http404("No such result.")
    return result


def result_for_action(user: User, result_uuid, action: str = "view") -> Result:
    """The result ``action`` is to be done to: 404 if the user may not see it, 403 if they may
    see it but not do this (``diagnostics.permissions.RESULT_ACTIONS``)."""
    result = result_get_for_user(user, result_uuid)
    if action not in permissions.RESULT_ACTIONS:
        raise Http404("No such action.")
    if not permissions.may_act_on_result(user, result, action):
        raise PermissionDenied("You cannot do this to this result.")
    return result


def results_worklist(user: User) -> QuerySet[Result]:
    """Results the user must act on: those they are responsible for and have not acknowledged,
    and those whose responsibility they have been offered; abnormal first, oldest first.

    Starts from the user's own rows (indexed on ``responsible`` and ``transfer_to``), so it stays
    fast however many results exist."""
    if not user.is_authenticated or not user.is_clinician:
        return Result.objects.none()
    # Responsibility is itself a relationship (``booking_patient_rule``); an offer is shown only
    # while its clinician may still see the patient.
    mine = Q(responsible_id=user.pk) | (
        Q(transfer_to_id=user.pk) & patient_visible_q(user, "booking__patient_id")
    )
    return (
        Result.objects.filter(mine, acknowledged_at__isnull=True)
        .select_related(*RESULT_RELATED)
        .prefetch_related(*RESULT_PREFETCHED)
        .order_by("-abnormal", "reported_at", "id")
    )


def results_worklist_count(user: User) -> int:
    return results_worklist(user).count()


def results_for_patient(user: User, patient: Patient) -> QuerySet[Result]:
    return results_visible_to(user).filter(booking__patient_id=patient.pk)


def results_for_referral(user: User, referral_id: int) -> QuerySet[Result]:
    """Results of the tests booked for a referral (by its integer id)."""
    return results_visible_to(user).filter(booking__referral_id=referral_id)
