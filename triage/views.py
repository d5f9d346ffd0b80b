"""Triage pages: the queue, referrals, worklists, advice and panels (PRODUCT.md §2).

Views only translate HTTP to selector and service calls: reads go through the selectors that
decide who sees what, writes through the services, and every patient-identifiable page writes
an audit event (PRODUCT.md §1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from interface.errors import ApplicationError, ConflictError
from interface.keyset import keyset_paginate
from interface.models import AuditAction
from interface.services import AuditContext, audit_record
from triage import permissions, rules, selectors
from triage.filters import QueueFilterSet
from triage.forms import (
    AdviceConvertForm,
    AdviceGuidanceForm,
    AdviceReplyForm,
    AssignPanelForm,
    BookForm,
    CancelForm,
    ConfirmForm,
    HarmReviewForm,
    PanelForm,
    ReviewForm,
    StopClockForm,
    apply_service_errors,
    style_filter_form,
)
from triage.models import OPEN_Q, AdviceDirection, AdviceStatus, Category, Outcome, Status
from triage.presenters import queue_row
from triage.queue_table import ROW_VALUES, table_row
from triage.services.advice import (
    advice_convert_to_referral,
    advice_guidance_request,
    advice_reply,
)
from triage.services.harm import harm_review_record
from triage.services.panels import panel_assign_referrals, panel_create, sector_of
from triage.services.referrals import (
    referral_book,
    referral_cancel,
    referral_record_dna,
    referral_stop_clock,
)
from triage.services.reviews import referral_review

PAGE_SIZE = 50
# Advice lists are short (requests awaiting a reply); a cap keeps a runaway list cheap.
ADVICE_LIST_LIMIT = 200
DEFERRED_KEY = [("contact_on", date), ("id", int)]


# Shared helpers


def _require_triage_user(user) -> None:
    if not (user.is_clinician or user.is_manager):
        raise PermissionDenied("Triage is for clinicians and ICB managers.")


def _require_clinician(user) -> None:
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians can open this page.")


def _audit(request, action: str, object_type: str, records) -> None:
    """One audit call per page: every patient whose identifiable record is shown."""
    records = list(records)
    _audit_ids(
        request,
        action,
        object_type,
        patient_ids=[r.patient_id for r in records],
        object_ids=[str(r.uuid) for r in records],
    )


def _audit_ids(request, action: str, object_type: str, *, patient_ids, object_ids) -> None:
    if not patient_ids:
        return
    audit_record(
        actor=request.user,
        context=AuditContext.from_request(request),
        action=action,
        object_type=object_type,
        patient_ids=patient_ids,
        object_ids=object_ids,
    )


def _rows(request, page_rows: list[dict], *, deferred: bool = False) -> list[dict]:
    """Table rows (``triage.queue_table``) of ``ROW_VALUES`` dicts from :func:`_row_page`;
    identifiable rows shown to a clinician are audited, managers get pseudonymised rows and
    no links."""
    pseudonymise = selectors.is_pseudonymised_for(request.user)
    today = timezone.localdate()
    rows = [
        table_row(values, today=today, pseudonymise=pseudonymise, deferred=deferred)
        for values in page_rows
    ]
    if not pseudonymise:
        _audit_ids(
            request,
            AuditAction.LIST,
            "referral",
            patient_ids=[v["patient_id"] for v in page_rows],
            object_ids=[str(v["uuid"]) for v in page_rows],
        )
    return rows


def _row_page(request, queryset, *, fields=selectors.QUEUE_KEY):
    """A keyset page from ``?cursor=`` (never OFFSET) of referral rows as plain ``ROW_VALUES``
    dicts, for :func:`_rows`; an invalid cursor is the caller's 400."""
    return keyset_paginate(
        queryset.values(*ROW_VALUES),
        table="triage_referral",
        fields=fields,
        cursor=request.GET.get("cursor") or None,
        page_size=PAGE_SIZE,
    )


# Queue and deferred list


@login_required
def queue(request):
    user = request.user
    _require_triage_user(user)
    filterset = QueueFilterSet(request.GET or None, queryset=selectors.queue_for_user(user))
    style_filter_form(filterset.form, panel_choices=selectors.panel_choices_for(user))
    context = {"filter_form": filterset.form, "page": None, "rows": [], "cursor_error": None}
    status = 200
    if not filterset.is_bound or filterset.is_valid():
        try:
            page = _row_page(request, filterset.qs)
        except ApplicationError as error:
            context["cursor_error"] = error.message
            status = 400
        else:
            context.update(page=page, rows=_rows(request, page.rows))
    template = "triage/_queue_results.html" if request.htmx else "triage/queue.html"
    return render(request, template, context, status=status)


@login_required
def deferred(request):
    user = request.user
    _require_triage_user(user)
    try:
        page = _row_page(request, selectors.deferred_for_user(user), fields=DEFERRED_KEY)
    except ApplicationError as error:
        return render(request, "triage/deferred.html", {"cursor_error": error.message}, status=400)
    return render(
        request,
        "triage/deferred.html",
        {"page": page, "rows": _rows(request, page.rows, deferred=True)},
    )


# Referral page and its actions


def _referral_for_clinician(request, referral_id):
    """The referral for a clinician with a relationship; 404 for anyone else, managers too
    (they see pseudonymised rows only, never a record)."""
    if selectors.is_pseudonymised_for(request.user):
        raise Http404("No referral.")
    return selectors.referral_get_for_user(user=request.user, referral_uuid=referral_id)


def _can_cancel(user, referral) -> bool:
    return permissions.can_manage_pathway(user, referral) or (
        user.is_clinician and user.organisation_id == referral.referring_practice_id
    )


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
    permitted: Callable  # (user, referral) -> bool: else 403
    offered: Callable  # (referral) -> bool: shown on the page in this state
    actor_argument: str = "actor"

    def form(self, referral, data=None):
        kwargs = {"referral": referral} if self.form_class is AssignPanelForm else {}
        initial = {"version": referral.version} if self.form_class is ReviewForm else None
        return self.form_class(data, initial=initial, prefix=self.slug, **kwargs)

    def perform(self, request, referral, data: dict) -> None:
        self.service(
            referral=referral,
            context=AuditContext.from_request(request),
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
            permissions.can_review,
            lambda r: r.status in rules.REVIEWABLE_STATUSES,
            actor_argument="reviewer",
        ),
        ReferralAction(
            "book",
            BookForm,
            referral_book,
            "Appointment booked.",
            permissions.can_manage_pathway,
            _status_can_become(Status.BOOKED),
        ),
        ReferralAction(
            "dna",
            ConfirmForm,
            referral_record_dna,
            "Did not attend recorded: the referral is back on the list to rebook.",
            permissions.can_manage_pathway,
            lambda r: r.status == Status.BOOKED,
        ),
        ReferralAction(
            "stop-clock",
            StopClockForm,
            referral_stop_clock,
            "RTT clock stopped.",
            permissions.can_manage_pathway,
            _status_can_become(Status.TREATED, Status.DISCHARGED),
        ),
        ReferralAction(
            "cancel",
            CancelForm,
            referral_cancel,
            "Referral cancelled.",
            _can_cancel,
            _status_can_become(Status.CANCELLED),
        ),
        ReferralAction(
            "assign-panel",
            AssignPanelForm,
            _assign_panel,
            "Assigned to the panel.",
            permissions.can_manage_pathway,
            lambda r: r.is_open,
        ),
        ReferralAction(
            "harm-review",
            HarmReviewForm,
            harm_review_record,
            "Harm review recorded.",
            permissions.can_harm_review,
            lambda r: r.is_open,
            actor_argument="reviewer",
        ),
    )
}


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
    _audit(request, AuditAction.VIEW, "referral", [referral])
    context = {
        "referral": referral,
        "row": queue_row(referral, today=today, pseudonymise=False),
        "long_wait_weeks": rules.long_wait_weeks(referral.clock_start, today),
        "history": selectors.referral_history(referral),
        "reviews": selectors.referral_reviews(referral),
        "advice_requests": referral.advice_requests.select_related("asked_by", "answered_by"),
        "harm_reviews": referral.harm_reviews.select_related("reviewer"),
        "forms": forms,
        "error_form": bound[1] if bound is not None else None,
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


@login_required
def referral_detail(request, referral_id):
    referral = _referral_for_clinician(request, referral_id)
    return _render_referral(request, referral)


@login_required
@require_POST
def referral_action(request, referral_id, action):
    referral = _referral_for_clinician(request, referral_id)
    spec = REFERRAL_ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    if not spec.permitted(request.user, referral):
        raise PermissionDenied("You cannot do this to this referral.")
    form = spec.form(referral, request.POST)
    if form.is_valid():
        try:
            spec.perform(request, referral, form.cleaned_data)
        except ConflictError as conflict:
            return _render_conflict(request, referral, conflict)
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, spec.message)
            return redirect("triage:referral-detail", referral_id=referral.uuid)
    return _render_referral(request, referral, bound=(action, form), status=400)


# Worklists


@login_required
def worklists(request):
    _require_clinician(request.user)
    counts = selectors.worklist_counts(request.user)
    items = [(w, counts[w.slug]) for w in selectors.WORKLISTS]
    return render(request, "triage/worklists.html", {"worklists": items})


@login_required
def worklist_detail(request, slug):
    _require_clinician(request.user)
    worklist = next((w for w in selectors.WORKLISTS if w.slug == slug), None)
    if worklist is None:
        raise Http404("No such worklist.")
    queryset = selectors.worklist_queryset(request.user, slug)
    context = {"worklist": worklist, "page": None, "rows": [], "advice_requests": None}
    if slug == "advice":
        advice = list(queryset.order_by("asked_at", "id")[:ADVICE_LIST_LIMIT])
        _audit(request, AuditAction.LIST, "advice_request", advice)
        context["advice_requests"] = advice
    else:
        try:
            page = _row_page(request, queryset)
        except ApplicationError as error:
            context["cursor_error"] = error.message
            return render(request, "triage/worklist_detail.html", context, status=400)
        context.update(page=page, rows=_rows(request, page.rows))
    return render(request, "triage/worklist_detail.html", context)


# Advice


@login_required
def advice_list(request):
    _require_clinician(request.user)
    advice = list(
        selectors.advice_visible_to(request.user).order_by("-asked_at", "-id")[:ADVICE_LIST_LIMIT]
    )
    _audit(request, AuditAction.LIST, "advice_request", advice)
    return render(
        request,
        "triage/advice_list.html",
        {"advice_requests": advice, "can_ask": permissions.can_refer(request.user)},
    )


ADVICE_ACTIONS = {
    "reply": (AdviceReplyForm, advice_reply, "Answer sent."),
    "convert": (AdviceConvertForm, advice_convert_to_referral, "Converted to a referral."),
}


def _render_advice(request, advice, *, bound=None, status=200):
    user = request.user
    may_answer = permissions.can_reply_to_advice(user, advice)
    offered = {
        "reply": may_answer and advice.status == AdviceStatus.AWAITING_REPLY,
        "convert": may_answer
        and advice.direction == AdviceDirection.TO_SPECIALIST
        and advice.status in (AdviceStatus.AWAITING_REPLY, AdviceStatus.ANSWERED),
    }
    forms = {slug: spec[0]() for slug, spec in ADVICE_ACTIONS.items() if offered[slug]}
    if bound is not None:
        forms[bound[0]] = bound[1]
    _audit(request, AuditAction.VIEW, "advice_request", [advice])
    context = {
        "advice": advice,
        "reply_form": forms.get("reply"),
        "convert_form": forms.get("convert"),
        "error_form": bound[1] if bound is not None else None,
    }
    return render(request, "triage/advice_detail.html", context, status=status)


@login_required
def advice_detail(request, advice_id):
    advice = selectors.advice_get_for_user(user=request.user, advice_uuid=advice_id)
    return _render_advice(request, advice)


@login_required
@require_POST
def advice_action(request, advice_id, action):
    """A GP answers a consultant (back to review), or a specialist answers or converts an
    Advice & Guidance request to a referral."""
    advice = selectors.advice_get_for_user(user=request.user, advice_uuid=advice_id)
    if action not in ADVICE_ACTIONS:
        raise Http404("No such action.")
    form_class, service, message = ADVICE_ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = service(
                advice=advice,
                actor=request.user,
                context=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, message)
            if action == "convert":
                return redirect("triage:referral-detail", referral_id=result.uuid)
            return redirect("triage:advice-detail", advice_id=advice.uuid)
    return _render_advice(request, advice, bound=(action, form), status=400)


@login_required
def advice_new(request):
    if not permissions.can_refer(request.user):
        raise PermissionDenied("Only GPs ask for Advice & Guidance.")
    form = AdviceGuidanceForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                advice = advice_guidance_request(
                    actor=request.user,
                    context=AuditContext.from_request(request),
                    patient=data["nhs_number"],
                    provider=data["provider"],
                    treatment_function=data["treatment_function"],
                    question=data["question"],
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Your question has been sent to the specialist.")
                return redirect("triage:advice-detail", advice_id=advice.uuid)
        status = 400
    return render(request, "triage/advice_new.html", {"form": form}, status=status)


# Panels


def _panel_for_user(user, panel_id):
    return get_object_or_404(selectors.panels_visible_to(user), uuid=panel_id)


@login_required
def panels(request):
    _require_triage_user(request.user)
    return render(
        request,
        "triage/panels.html",
        {
            "panels": selectors.panels_visible_to(request.user),
            "can_create": request.user.role in permissions.PROVIDER_ROLES,
        },
    )


@login_required
def panel_new(request):
    user = request.user
    if user.role not in permissions.PROVIDER_ROLES:
        raise PermissionDenied("Only provider clinicians set up review panels.")
    form = PanelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                panel = panel_create(
                    actor=user,
                    name=form.cleaned_data["name"],
                    provider=user.organisation,
                    treatment_function=form.cleaned_data["treatment_function"],
                    members=form.cleaned_data["members"],
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Panel {panel.name} created.")
                return redirect("triage:panel-detail", panel_id=panel.uuid)
        status = 400
    return render(request, "triage/panel_new.html", {"form": form}, status=status)


def _assign_filterset(request, panel, data=None) -> QueueFilterSet:
    """Open referrals of the panel's provider that the user may see, narrowed by the filters."""
    queryset = selectors.referrals_visible_to(request.user).filter(
        OPEN_Q, provider_id=panel.provider_id
    )
    filterset = QueueFilterSet(data, queryset=queryset)
    style_filter_form(filterset.form, panel_choices=selectors.panel_choices_for(request.user))
    return filterset


def _render_panel(request, panel, *, filterset=None, status=200):
    user = request.user
    members = [
        {"user": m.user, "sector": sector_of(m.user)}
        for m in panel.memberships.all()  # prefetched by panels_visible_to
    ]
    context = {"panel": panel, "members": members, "page": None, "rows": []}
    try:
        page = _row_page(request, selectors.queue_for_user(user).filter(panel=panel))
    except ApplicationError as error:
        context["cursor_error"] = error.message
        status = 400
    else:
        context.update(page=page, rows=_rows(request, page.rows))
    if user.is_clinician and user.organisation_id == panel.provider_id:
        context["assign_form"] = (filterset or _assign_filterset(request, panel)).form
    context["error_form"] = filterset.form if filterset is not None else None
    return render(request, "triage/panel_detail.html", context, status=status)


@login_required
def panel_detail(request, panel_id):
    _require_triage_user(request.user)
    return _render_panel(request, _panel_for_user(request.user, panel_id))


@login_required
@require_POST
def panel_assign(request, panel_id):
    panel = _panel_for_user(request.user, panel_id)
    filterset = _assign_filterset(request, panel, request.POST)
    if filterset.is_valid():
        try:
            moved = panel_assign_referrals(
                panel=panel,
                actor=request.user,
                context=AuditContext.from_request(request),
                referrals=filterset.qs,
            )
        except ApplicationError as error:
            apply_service_errors(filterset.form, error)
        else:
            messages.success(
                request, f"{moved} referral{'s' if moved != 1 else ''} assigned to {panel.name}."
            )
            return redirect("triage:panel-detail", panel_id=panel.uuid)
    return _render_panel(request, panel, filterset=filterset, status=400)
