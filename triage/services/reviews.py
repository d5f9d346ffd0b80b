"""Clinical review of a referral: category, outcome, rationale (docs/product.md §2)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError, ConflictError
from directory.models import Organisation, User
from triage import permissions, rules
from triage.models import (
    DEFERRED_CATEGORIES,
    REVIEWED_CATEGORIES,
    AdviceDirection,
    AdviceRequest,
    Category,
    EventKind,
    Outcome,
    Referral,
    Review,
    Status,
    TreatmentFunction,
)
from triage.services.history import referral_audit_update, referral_event_record
from triage.services.referrals import (
    referral_lock,
    referral_redirect,
    referral_transition,
)

OUTCOME_STATUS = {
    Outcome.ACCEPT: Status.ACCEPTED,
    Outcome.RETURN_TO_REFERRER: Status.RETURNED_TO_REFERRER,
    Outcome.REQUEST_ADVICE: Status.ADVICE_REQUESTED,
}


def review_summary(review: Review) -> dict:
    """What a losing reviewer is shown of the winning review."""
    return {
        "id": str(review.uuid),
        "reviewer": review.reviewer.display_name,
        "category": review.category,
        "outcome": review.outcome,
        "rationale": review.rationale,
        "created_at": review.created_at.isoformat(),
    }


def _conflict(referral: Referral, reviewer: User | None = None) -> ConflictError:
    winner = referral.reviews.select_related("reviewer").first()
    message = (
        "You already saved a different review of this version of the referral."
        if winner is not None and winner.reviewer_id == getattr(reviewer, "pk", None)
        else "Another reviewer saved a review of this referral first."
    )
    return ConflictError(
        message, current=review_summary(winner) if winner else {"status": referral.status}
    )


def _retried_or_conflict(referral: Referral, *, cause: Exception | None, **review) -> Review:
    """Someone saved a review of this version first: the reviewer's own identical review sent
    again gets that review back; anything else is the 409 with the winning review."""
    earlier = _retried(referral, **review)
    if earlier is not None:
        return earlier
    raise _conflict(Referral.objects.get(pk=referral.pk), review["reviewer"]) from cause


def _retried(
    referral: Referral,
    *,
    reviewer: User,
    context: AuditContext,
    version: int,
    category: str,
    outcome: str,
    rationale: str,
) -> Review | None:
    """The review this request repeats, if any: the same reviewer saving the same review of the
    same version again, because the first answer never reached them (a dropped connection, a
    timeout, a second click). It gets its own review back, not a conflict with itself
    (docs/product.md §2: only *another* reviewer's save is a conflict)."""
    review = (
        Review.objects.select_related("reviewer", "panel", "referral")
        .filter(referral_id=referral.pk, referral_version=version, reviewer=reviewer)
        .first()
    )
    if review is None or (review.category, review.outcome, review.rationale) != (
        category,
        outcome,
        rationale,
    ):
        return None
    # Nothing changes, but the review is shown again: a read of the patient's record.
    audit_record(
        actor=reviewer,
        context=context,
        action=AuditAction.VIEW,
        object_type="referral",
        patient_ids=[referral.patient_id],
        object_ids=[str(referral.uuid)],
        detail="review retried: the review already saved was returned",
    )
    review.replayed = True
    return review


def referral_review(
    *,
    referral: Referral,
    reviewer: User,
    context: AuditContext,
    category: str,
    outcome: str,
    rationale: str,
    version: int,
    contact_on: date | None = None,
    question: str = "",
    redirect_provider: Organisation | None = None,
    redirect_treatment_function: TreatmentFunction | None = None,
    confirm_urgent_return: bool = False,
) -> Review:
    """Record a review. Of two reviewers saving against the same version, exactly one wins;
    the other gets :class:`ConflictError` (HTTP 409) carrying the winning review.

    A retry (the same reviewer, version, category, outcome and rationale) saves nothing and
    returns the review already saved, with ``replayed`` set; a new review has it False."""
    try:
        with transaction.atomic():
            return _referral_review(
                referral=referral,
                reviewer=reviewer,
                context=context,
                category=category,
                outcome=outcome,
                rationale=rationale,
                version=version,
                contact_on=contact_on,
                question=question,
                redirect_provider=redirect_provider,
                redirect_treatment_function=redirect_treatment_function,
                confirm_urgent_return=confirm_urgent_return,
            )
    except IntegrityError as exc:
        # The unique (referral, referral_version) constraint caught a race the lock did not.
        if "review_one_per_version" in str(exc) or "UNIQUE" in str(exc).upper():
            return _retried_or_conflict(
                referral,
                reviewer=reviewer,
                context=context,
                version=version,
                category=category,
                outcome=outcome,
                rationale=rationale,
                cause=exc,
            )
        raise


# The outcomes that use each optional field. A field filled in for another outcome is refused,
# never dropped: a question typed for the GP must not vanish because "Return to referrer" was
# chosen (issue 10).
IGNORED_FIELD_MESSAGES = {
    "question": ("the question for the GP", Outcome.REQUEST_ADVICE),
    "redirect_provider": ("the provider to redirect to", Outcome.REDIRECT),
    "redirect_treatment_function": ("the service to redirect to", Outcome.REDIRECT),
}
# Categories urgent enough that returning the referral to the GP needs a second look.
URGENT_CATEGORIES = (Category.P1A, Category.P1B)


def _choices_text(values, labels: dict) -> str:
    # Semicolons: the category labels have commas of their own.
    return "; ".join(str(labels[v]) for v in values)


def _ignored_field_errors(*, category, outcome, contact_on, filled) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, (what, used_by) in IGNORED_FIELD_MESSAGES.items():
        if filled[name] and outcome in Outcome.values and outcome != used_by:
            errors[name] = [f"Remove {what}, or choose ‘{used_by.label}’."]
    deferring = category in DEFERRED_CATEGORIES
    if contact_on is not None and category in REVIEWED_CATEGORIES and not deferring:
        errors["contact_on"] = [
            "Remove the date to contact the patient again, or choose P5 or P6 "
            "(the patient chose to wait)."
        ]
    return errors


def _validate(
    *,
    category,
    outcome,
    rationale,
    contact_on,
    question,
    redirect_provider,
    redirect_treatment_function,
    confirm_urgent_return=False,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    labels = dict(Category.choices)
    if category not in REVIEWED_CATEGORIES:
        errors["category"] = [f"Choose one of: {_choices_text(REVIEWED_CATEGORIES, labels)}."]
    if outcome not in Outcome.values:
        errors["outcome"] = [
            f"Choose one of: {_choices_text(Outcome.values, dict(Outcome.choices))}."
        ]
    if not (rationale or "").strip():
        errors["rationale"] = ["Give the clinical rationale for this review."]
    if category in DEFERRED_CATEGORIES:
        if outcome != Outcome.ACCEPT:
            errors["outcome"] = [
                "A patient who chose to wait (P5 or P6) stays on the list: "
                f"choose ‘{Outcome.ACCEPT.label}’."
            ]
        if contact_on is None:
            errors["contact_on"] = ["Give the date to contact the patient again."]
        elif contact_on <= timezone.localdate():
            errors["contact_on"] = ["The contact date must be in the future."]
    if outcome == Outcome.REQUEST_ADVICE and not (question or "").strip():
        errors["question"] = ["Write the question for the referring GP."]
    if outcome == Outcome.REDIRECT:
        if redirect_provider is None:
            errors["redirect_provider"] = ["Choose the provider to refer on to."]
        if redirect_treatment_function is None:
            errors["redirect_treatment_function"] = ["Choose the service to refer on to."]
    ignored = _ignored_field_errors(
        category=category,
        outcome=outcome,
        contact_on=contact_on,
        filled={
            "question": bool((question or "").strip()),
            "redirect_provider": redirect_provider is not None,
            "redirect_treatment_function": redirect_treatment_function is not None,
        },
    )
    for name, messages in ignored.items():
        errors.setdefault(name, messages)
    if (
        category in URGENT_CATEGORIES
        and outcome == Outcome.RETURN_TO_REFERRER
        and not confirm_urgent_return
    ):
        errors["confirm_urgent_return"] = [
            f"This referral is categorised {labels[category]}. Confirm that you want to "
            "return it to the referrer."
        ]
    return errors


def _referral_review(
    *,
    referral,
    reviewer,
    context,
    category,
    outcome,
    rationale,
    version,
    contact_on,
    question,
    redirect_provider,
    redirect_treatment_function,
    confirm_urgent_return,
) -> Review:
    if not permissions.can_review(reviewer, referral):
        raise ApplicationError(
            "Only a clinician of the provider or a member of the referral's panel can review it."
        )
    errors = _validate(
        category=category,
        outcome=outcome,
        rationale=rationale,
        contact_on=contact_on,
        question=question,
        redirect_provider=redirect_provider,
        redirect_treatment_function=redirect_treatment_function,
        confirm_urgent_return=confirm_urgent_return,
    )
    if errors:
        raise ApplicationError("The review was not saved.", field_errors=errors)
    try:
        referral = referral_lock(referral, version=version)
    except ConflictError:
        return _retried_or_conflict(
            referral,
            reviewer=reviewer,
            context=context,
            version=version,
            category=category,
            outcome=outcome,
            rationale=rationale,
            cause=None,
        )
    if referral.status not in rules.REVIEWABLE_STATUSES:
        raise (
            _conflict(referral, reviewer)
            if referral.reviews.exists()
            else ApplicationError(
                f"A referral that is {referral.get_status_display().lower()} cannot be reviewed.",
                field_errors={"status": [referral.get_status_display()]},
            )
        )
    review = Review.objects.create(
        referral=referral,
        reviewer=reviewer,
        panel=referral.panel if permissions.is_panel_member(reviewer, referral.panel_id) else None,
        category=category,
        outcome=outcome,
        rationale=rationale,
        referral_version=version,
    )
    review.replayed = False
    before = referral.category
    deferred = category in DEFERRED_CATEGORIES
    changes = {
        "category": category,
        "deferred": deferred,
        "contact_on": contact_on if deferred else None,
    }
    changes.update(
        rules.queue_fields(
            category=category, priority=referral.priority, clock_start=referral.clock_start
        )
    )
    note = f"Reviewed: {Category(category).label}; {Outcome(outcome).label.lower()}"
    if outcome == Outcome.REDIRECT:
        for name, value in changes.items():
            setattr(referral, name, value)
        referral_redirect(
            referral=referral,
            actor=reviewer,
            context=context,
            provider=redirect_provider,
            treatment_function=redirect_treatment_function,
            note=rationale,
        )
    else:
        clock = (
            {"clock_stopped_on": timezone.localdate()}
            if outcome == Outcome.RETURN_TO_REFERRER
            else {}
        )
        referral = referral_transition(
            referral=referral,
            actor=reviewer,
            to_status=OUTCOME_STATUS[outcome],
            note=note,
            **changes,
            **clock,
        )
        if outcome == Outcome.REQUEST_ADVICE:
            AdviceRequest.objects.create(
                direction=AdviceDirection.TO_GP,
                patient_id=referral.patient_id,
                referral=referral,
                practice_id=referral.referring_practice_id,
                provider_id=referral.provider_id,
                treatment_function_id=referral.treatment_function_id,
                question=question,
                asked_by=reviewer,
            )
    if before != category:
        referral_event_record(
            referral,
            reviewer,
            EventKind.CATEGORY,
            note=f"{Category(before).label if before else 'Provisional'} → {Category(category).label}",
        )
    referral_audit_update(reviewer, context, referral, f"review {outcome}")
    return review
