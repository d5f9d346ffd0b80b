"""Triage's cards on the home page (``core.home``): what needs each role now.

GP: questions awaiting their reply, referrals returned to their practice, their patients
waiting longest. Consultant and community clinician: referrals to review, harm reviews due,
advice awaiting a reply, for their services and their panels. ICB manager: the headline backlog
figures of their ICB. The counts come from the backlog summary or small indexed counts."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import browser_context
from core.home import HomeCard, HomeLink, counted
from directory.models import Role
from triage import rules
from triage.permissions import PROVIDER_ROLES
from triage.selectors.advice import advice_awaiting_reply
from triage.selectors.backlog import backlog_headline
from triage.selectors.home import practice_longest_waits, referrals_returned_to_practice
from triage.selectors.worklists import worklist_counts
from triage.web.rows import as_of_text, day_text


def triage_home(request) -> list[HomeCard]:
    user = request.user
    if user.role == Role.GP:
        return _gp_cards(request)
    if user.role in PROVIDER_ROLES:
        return _provider_cards(user)
    if user.role == Role.MANAGER:
        return _manager_cards(user)
    return []


def _worklist_url(slug: str) -> str:
    return reverse("triage:worklist-detail", args=[slug])


def _await(count: int) -> str:
    return "awaits" if count == 1 else "await"


def _verbs(count: int) -> dict[str, str]:
    one = count == 1
    return {
        "is": "is" if one else "are",
        "has": "has" if one else "have",
        "awaits": _await(count),
        "its": "its" if one else "their",
    }


def _gp_cards(request) -> list[HomeCard]:
    user = request.user
    today = timezone.localdate()
    questions = advice_awaiting_reply(user).count()
    returned = referrals_returned_to_practice(user)
    returned_count = returned.count()
    latest_returned = list(returned[:5])
    longest = practice_longest_waits(user)
    # Names and NHS numbers on the home page are a read of patient data like any list's.
    audit_records_shown(
        actor=user,
        context=browser_context(request),
        records=[*latest_returned, *longest],
        action=AuditAction.LIST,
        object_type="referral",
    )
    return [
        HomeCard(
            title="Questions awaiting your reply",
            sentence=f"{counted(questions, 'question').capitalize()} from consultants "
            f"{_await(questions)} your reply.",
            url=_worklist_url("advice"),
            link_text="Answer questions from consultants",
            count=questions,
            testid="gp-questions",
        ),
        HomeCard(
            title="Referrals returned to you",
            sentence=f"{counted(returned_count, 'referral').capitalize()} "
            f"{'was' if returned_count == 1 else 'were'} returned to your practice in the last "
            "30 days.",
            count=returned_count,
            links=tuple(
                HomeLink(
                    r.patient.full_name,
                    reverse("triage:referral-detail", args=[r.uuid]),
                    f"{r.treatment_function.name}, {r.provider.name}",
                )
                for r in latest_returned
            ),
            testid="gp-returned",
        ),
        HomeCard(
            title="Your patients waiting longest",
            sentence="Your practice's open referrals that have waited longest."
            if longest
            else "None of your practice's patients is waiting in a queue.",
            url=reverse("triage:queue"),
            link_text="See your patients in the queue",
            links=tuple(
                HomeLink(
                    r.patient.full_name,
                    reverse("triage:referral-detail", args=[r.uuid]),
                    f"{rules.weeks_waited(r.clock_start, today)} weeks waited, since "
                    f"{day_text(r.clock_start)} · {r.treatment_function.name}",
                )
                for r in longest
            ),
            testid="gp-longest",
        ),
    ]


def _provider_cards(user) -> list[HomeCard]:
    counts = worklist_counts(user)
    where = "in your services and on your panels"
    if user.role == Role.COMMUNITY_CLINICIAN:
        where = "on your panels and in your services"
    review, harm, advice = counts["for-review"], counts["harm-reviews"], counts["advice"]
    return [
        HomeCard(
            title="Referrals to review",
            sentence=f"{counted(review, 'referral').capitalize()} {where} {_await(review)} "
            "clinical review.",
            url=_worklist_url("for-review"),
            link_text="Review referrals",
            count=review,
            testid="for-review",
        ),
        HomeCard(
            title="Harm reviews due",
            sentence=f"{counted(harm, 'patient').capitalize()} "
            f"{'has' if harm == 1 else 'have'} waited 52 weeks or more, or past their target, "
            "with no recent harm review.",
            url=_worklist_url("harm-reviews"),
            link_text="Do harm reviews",
            count=harm,
            testid="harm-reviews",
        ),
        HomeCard(
            title="Advice awaiting a reply",
            sentence=f"{counted(advice, 'question').capitalize()} from GPs {_await(advice)} "
            "your organisation's reply.",
            url=_worklist_url("advice"),
            link_text="Answer questions from GPs",
            count=advice,
            testid="advice",
        ),
    ]


def _manager_cards(user) -> list[HomeCard]:
    headline = backlog_headline(user)
    if not headline.services:
        return [
            HomeCard(
                title="Backlog",
                sentence="No backlog figures yet for the providers of your ICB.",
                testid="backlog",
            )
        ]
    totals = headline.totals
    as_of = as_of_text(headline.computed_at, now=timezone.localtime())
    queue = reverse("triage:queue")
    figures = (
        ("open", "Open referrals", totals["open_referrals"], "{is} open at your ICB's providers"),
        ("waits-52", "52+ week waits", totals["waits_52_plus"], "{has} waited 52 weeks or more"),
        ("breached", "Breached", totals["breached"], "{is} past {its} category's target date"),
        ("unreviewed", "Not yet reviewed", totals["unreviewed"], "{awaits} clinical review"),
    )
    return [
        HomeCard(
            title=title,
            sentence=f"{counted(count, 'referral').capitalize()} "
            f"{phrase.format(**_verbs(count))}, as of {as_of}.",
            url=queue,
            link_text="See the queue",
            count=count,
            testid=f"backlog-{slug}",
        )
        for slug, title, count, phrase in figures
    ]
