"""Diagnostics' cards on the home page (``core.home``): what needs each role now.

GP, consultant and community clinician: the results they must act on (abnormal ones counted
apart) and transfers of responsibility offered to them. Hub staff: today's patients still to
attend, and tests attended whose result is still to record. The counts are small indexed
queries over the user's own rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core.home import HomeCard, counted
from diagnostics import permissions, selectors
from diagnostics.models import BookingStatus


def diagnostics_home(request) -> list[HomeCard]:
    user = request.user
    if permissions.can_book(user):
        return _clinician_cards(user)
    if permissions.is_hub_staff(user, user.organisation_id):
        return _hub_cards(user)
    return []


def _clinician_cards(user) -> list[HomeCard]:
    worklist = selectors.results_worklist(user)
    mine = worklist.filter(responsible_id=user.pk)
    to_act = mine.count()
    abnormal = mine.filter(abnormal=True).count()
    offered = worklist.filter(transfer_to_id=user.pk).exclude(responsible_id=user.pk).count()
    sentence = (
        f"{counted(to_act, 'test result').capitalize()} you are responsible for "
        f"{'awaits' if to_act == 1 else 'await'} your acknowledgement"
    )
    sentence += f", {abnormal} of them abnormal." if to_act and abnormal else "."
    if offered:
        sentence += (
            f" {counted(offered, 'transfer').capitalize()} of responsibility "
            f"{'is' if offered == 1 else 'are'} offered to you."
        )
    return [
        HomeCard(
            title="Test results to act on",
            sentence=sentence,
            url=reverse("diagnostics:results"),
            link_text="See your results worklist",
            count=to_act + offered,
            testid="diagnostics-results",
        )
    ]


def _hub_cards(user) -> list[HomeCard]:
    today = selectors.hub_bookings(user, day=timezone.localdate())
    to_attend = today.filter(status=BookingStatus.BOOKED).count()
    to_result = today.filter(status=BookingStatus.ATTENDED, result__isnull=True).count()
    url = reverse("diagnostics:home")
    return [
        HomeCard(
            title="Patients to see today",
            sentence=f"{counted(to_attend, 'patient').capitalize()} booked at your hub today "
            f"{'is' if to_attend == 1 else 'are'} still to attend.",
            url=url,
            link_text="See today's bookings",
            count=to_attend,
            testid="diagnostics-to-attend",
        ),
        HomeCard(
            title="Results to record",
            sentence=f"{counted(to_result, 'test').capitalize()} attended today "
            f"{'has' if to_result == 1 else 'have'} no result recorded yet.",
            url=url,
            link_text="Record results",
            count=to_result,
            testid="diagnostics-to-result",
        ),
        HomeCard(
            title="Capacity",
            sentence="Set up next week's slots from a template, and see each slot's bookings.",
            url=reverse("diagnostics:capacity"),
            link_text="Manage capacity",
            testid="diagnostics-capacity",
        ),
    ]
