"""A referral's page and its actions: review, book, DNA, stop the clock, cancel, harm review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError, ConflictError
from core.sections import record_sections_for
from directory.web.shared import audit_shown
from triage import permissions, rules, selectors
from triage.models import Category, Outcome, Status
from triage.presenters import queue_row
from triage.services.harm import harm_review_record
from triage.services.panels import panel_assign_referrals
from triage.services.referrals import (
    referral_book,
    referral_cancel,
    referral_record_dna,
    referral_stop_clock,
)
from triage.services.reviews import referral_review
from triage.web.forms import (
    AssignPanelForm,
    BookForm,
    CancelForm,
    ConfirmForm,
    HarmReviewForm,
    ReviewForm,
    StopClockForm,
    apply_service_errors,
)


def _referral_for_clinician(request, referral_id):
    """The referral for a clinician with a relationship; 404 for anyone else, managers too
    (they see pseudonymised rows only, never a record)."""
    if selectors.is_pseudonymised_for(request.user):
        raise Http404("No referral.")
    return selectors.referral_get_for_user(user=request.user, referral_uuid=referral_id)


def _assign_panel(*, referral, actor, context, panel) -> None:
    moved = panel_assign_referrals(
        panel=panel,
        actor=actor,
        context=context,
        referrals=selectors.referrals_visible_to(actor).filter(pk=referral.pk),
    )
    if not moved:
        raise ApplicationError(f"The referral is already with {panel.name} or is closed.")


@dataclass(frozen=True)
class ReferralAction:
    """An action on the referral page: who may post it, when it is offered, and the service it
    calls. The form's field names are the service's keyword arguments, so a service's field
    errors land on the fields they name."""

    slug: str
    form_class: type
    service: Callable
    message: str
    offered: Callable  # (referral) -> bool: shown on the page in this state
    actor_argument: str = "actor"

    def permitted(self, user, referral) -> bool:
        return permissions.may_act_on_referral(user, referral, self.slug)

    def form(self, referral, data=None):
        kwargs = {"referral": referral} if self.form_class is AssignPanelForm else {}
        initial = {"version": referral.version} if self.form_class is ReviewForm else None
        return self.form_class(data, initial=initial, prefix=self.slug, **kwargs)

    def perform(self, request, referral, data: dict):
        return self.service(
            referral=referral,
            context=browser_context(request),
            **{self.actor_argument: request.user},
            **data,
        )


def _status_can_become(*statuses):
    return lambda referral: any(rules.can_transition(referral.status, s) for s in statuses)


REFERRAL_ACTIONS = {
    action.slug: action
    for action in (
        ReferralAction(
            "review",
            ReviewForm,
            referral_review,
            "Review saved.",
            lambda r: r.status in rules.REVIEWABLE_STATUSES,
            actor_argument="reviewer",
        ),
        ReferralAction(
            "book",
            BookForm,
            referral_book,
            "Appointment booked.",
            _status_can_become(Status.BOOKED),
        ),
        ReferralAction(
            "dna",
            ConfirmForm,
            referral_record_dna,
            "Did not attend recorded: the referral is back on the list to rebook.",
            lambda r: r.status == Status.BOOKED,
        ),
        ReferralAction(
            "stop-clock",
            StopClockForm,
            referral_stop_clock,
            "RTT clock stopped.",
            _status_can_become(Status.TREATED, Status.DISCHARGED),
        ),
        ReferralAction(
            "cancel",
            CancelForm,
            referral_cancel,
            "Referral cancelled.",
            _status_can_become(Status.CANCELLED),
        ),
        ReferralAction(
            "assign-panel",
            AssignPanelForm,
            _assign_panel,
            "Assigned to the panel.",
            lambda r: r.is_open,
        ),
        ReferralAction(
            "harm-review",
            HarmReviewForm,
            harm_review_record,
            "Harm review recorded.",
            lambda r: r.is_open,
            actor_argument="reviewer",
        ),
    )
}


def _history(referral) -> list:
    """The referral's events, each status named by its label rather than its code."""
    labels = dict(Status.choices)
    events = list(selectors.referral_history(referral))
    for event in events:
        event.from_status_label = labels.get(event.from_status, event.from_status)
        event.to_status_label = labels.get(event.to_status, event.to_status)
    return events


def _render_referral(request, referral, *, bound=None, status=200):
    """The referral page, with a bound form (and its errors) in place of the empty one."""
    user = request.user
    forms = {
        slug.replace("-", "_"): action.form(referral)
        for slug, action in REFERRAL_ACTIONS.items()
        if action.permitted(user, referral) and action.offered(referral)
    }
    if bound is not None:
        slug, form = bound
        forms[slug.replace("-", "_")] = form
    today = timezone.localdate()
    audit_shown(request, [referral], action=AuditAction.VIEW, object_type="referral")
    # Only clinicians reach this page (_referral_for_clinician): the record is identifiable.
    row = queue_row(referral, today=today, pseudonym_scope=None)
    context = {
        "referral": referral,
        "row": row,
        "category_label": Category(row["displayed_category"]).label,
        "long_wait_weeks": rules.long_wait_weeks(referral.clock_start, today),
        "history": _history(referral),
        "reviews": selectors.referral_reviews(referral),
        "advice_requests": referral.advice_requests.select_related("asked_by", "answered_by"),
        "harm_reviews": referral.harm_reviews.select_related("reviewer"),
        "forms": forms,
        "error_form": bound[1] if bound is not None else None,
        # Other apps' sections (the patient's tests and results), core.sections.
        "sections": record_sections_for("triage.referral", user, referral),
    }
    return render(request, "triage/referral_detail.html", context, status=status)


def _render_conflict(request, referral, conflict: ConflictError):
    """HTTP 409: someone saved first. Show the winning review so the clinician can judge it."""
    current = dict(conflict.current)
    current["category_label"] = dict(Category.choices).get(current.get("category"), "")
    current["outcome_label"] = dict(Outcome.choices).get(current.get("outcome"), "")
    current["status_label"] = dict(Status.choices).get(current.get("status"), "")
    context = {"referral": referral, "message": conflict.message, "current": current}
    return render(request, "triage/conflict.html", context, status=409)


def _render_review_fields(request, referral):
    """The review form's fields for the chosen category and outcome, which htmx swaps into the
    page. Access is checked as for the page; no read is audited, because the block shows only
    the form (choices and labels), nothing from the patient's record."""
    action = REFERRAL_ACTIONS["review"]
    if not (action.permitted(request.user, referral) and action.offered(referral)):
        raise PermissionDenied("You may not review this referral.")
    form = action.form(referral)
    chosen = {}
    for group in ("category", "outcome"):
        value = request.GET.get(form.add_prefix(group), "")
        if value in dict(form.fields[group].choices):
            chosen[group] = value
            form.initial[group] = value
    shown = {
        name: chosen.get(group) in values for name, (group, values) in ReviewForm.SHOWN_FOR.items()
    }
    context = {"form": form, "referral": referral, "review_shown": shown}
    response = render(request, "triage/_review_fields.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def referral_detail(request, referral_id):
    referral = _referral_for_clinician(request, referral_id)
    if request.htmx and "review-fields" in request.GET:
        return _render_review_fields(request, referral)
    return _render_referral(request, referral)


@login_required
@require_POST
def referral_action(request, referral_id, action):
    spec = REFERRAL_ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    if selectors.is_pseudonymised_for(request.user):
        raise Http404("No referral.")
    referral = selectors.referral_for_action(
        user=request.user, referral_uuid=referral_id, action=action
    )
    form = spec.form(referral, request.POST)
    if form.is_valid():
        try:
            result = spec.perform(request, referral, form.cleaned_data)
        except ConflictError as conflict:
            return _render_conflict(request, referral, conflict)
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            # A review sent twice (a double click, a resubmitted page) is saved once and shown
            # as saved, never as a conflict with itself (docs/product.md §2).
            retried = getattr(result, "replayed", False)
            messages.success(request, "Your review was already saved." if retried else spec.message)
            return redirect("triage:referral-detail", referral_id=referral.uuid)
    return _render_referral(request, referral, bound=(action, form), status=400)
