"""Who may do what in diagnostics: one predicate per action, the only place each rule is written.

The web views and the API reach a record through ``diagnostics.selectors.booking_for_action``
and ``result_for_action``, which apply these predicates; the services apply the same ones, so a
command or a task is held to the rule exactly as a request is (docs/product.md §3)."""

from __future__ import annotations

from diagnostics.models import Booking, Result
from directory.models import Organisation, OrganisationKind, Role, User

# docs/product.md §3: any clinician in any setting may request and book a test.
REQUESTING_ROLES = frozenset({Role.GP, Role.CONSULTANT, Role.COMMUNITY_CLINICIAN})


def is_hub_staff(user: User, hub_id: int | None) -> bool:
    """Diagnostics staff of this hub."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.DIAGNOSTICS_STAFF
        and hub_id is not None
        and user.organisation_id == hub_id
    )


def can_book(user: User) -> bool:
    """Requesting and booking a test (for a patient the user may see: the selector checks)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role in REQUESTING_ROLES
        and user.organisation_id is not None
    )


def can_manage_slots(user: User, hub: Organisation) -> bool:
    """Creating a hub's capacity: its own diagnostics staff."""
    return hub.kind == OrganisationKind.DIAGNOSTIC_HUB and is_hub_staff(user, hub.pk)


def can_change_booking(user: User, booking: Booking) -> bool:
    """Moving or cancelling a booking: the requester, or the staff of the booked hub."""
    return (user.is_authenticated and user.pk == booking.requester_id) or is_hub_staff(
        user, booking.slot.hub_id
    )


def can_record_attendance(user: User, booking: Booking) -> bool:
    return is_hub_staff(user, booking.slot.hub_id)


def can_record_result(user: User, booking: Booking) -> bool:
    """Results are recorded by the staff of the hub the test was booked at."""
    return is_hub_staff(user, booking.slot.hub_id)


def can_acknowledge(user: User, result: Result) -> bool:
    """The responsible clinician only (the requester, until a transfer is accepted)."""
    return user.is_authenticated and user.pk == result.responsible_id


def can_offer_transfer(user: User, result: Result) -> bool:
    return can_acknowledge(user, result)


def can_accept_transfer(user: User, result: Result) -> bool:
    """The clinician named in the transfer offer only."""
    return (
        user.is_authenticated
        and result.transfer_to_id is not None
        and user.pk == result.transfer_to_id
    )


def can_take_responsibility(user: User) -> bool:
    """Who may be offered responsibility for a result: a requesting clinician."""
    return user.is_active and user.role in REQUESTING_ROLES and user.organisation_id is not None


# The actions on a booking and on a result, by the slug the web and API routes use.
BOOKING_ACTIONS = {
    "view": lambda user, booking: True,
    "move": can_change_booking,
    "cancel": can_change_booking,
    "attendance": can_record_attendance,
    "result": can_record_result,
}
RESULT_ACTIONS = {
    "view": lambda user, result: True,
    "acknowledge": can_acknowledge,
    "transfer": can_offer_transfer,
    "accept-transfer": can_accept_transfer,
}


def may_act_on_booking(user: User, booking: Booking, action: str) -> bool:
    return BOOKING_ACTIONS[action](user, booking)


def may_act_on_result(user: User, result: Result, action: str) -> bool:
    return RESULT_ACTIONS[action](user, result)
