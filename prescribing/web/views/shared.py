"""What the prescribing pages share: access checks, list limits, a service's refusal shown on
the form, and the actions on one record's page."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from audit.web import browser_context
from core.errors import ApplicationError
from prescribing import permissions
from prescribing.web.forms import apply_service_errors

# Lists show the most recent records; the filters (and the API's cursor pages) reach the rest.
LIST_LIMIT = 100


def require_prescriber(user) -> None:
    if not permissions.can_prescribe(user):
        raise PermissionDenied("Prescribing is for GPs, consultants and community clinicians.")


@contextmanager
def service_errors_on(form, *, rows: str = ""):
    """Inside ``with``, a service's refusal goes on the form (its errors about the formset's
    ``rows`` above it too) rather than raising, so the page shows it beside what was typed."""
    try:
        yield
    except ApplicationError as error:
        apply_service_errors(form, error)
        if rows in error.field_errors:
            form.add_error(None, list(error.field_errors[rows]))


@dataclass(frozen=True)
class RecordAction:
    """An action a record's page offers while the record's status is in ``offered_in``."""

    slug: str
    form_class: type
    service: Callable
    message: str
    title: str
    button: str
    offered_in: frozenset
    collapsed: bool = False  # behind a "details" summary, opened with its errors
    quiet: bool = False  # a secondary button


class RecordActions:
    """The actions a record's page offers, by slug: one table per kind of record, so that every
    record page offers its actions and answers their POSTs in the same way."""

    def __init__(self, record_name: str, detail: str, permitted: dict, *actions: RecordAction):
        self.record_name = record_name  # the services' keyword for the record
        self.detail = detail  # the URL name of the record's page
        self.permitted = permitted  # the app's permission for each action, by slug
        self.by_slug = {action.slug: action for action in actions}

    def forms(self, user, record, bound=None) -> dict:
        """The page's actions: a blank form for each the user may take on the record now, or
        ``bound``, the (slug, form) just posted, with its errors."""
        forms = {
            slug: action.form_class(prefix=slug)
            for slug, action in self.by_slug.items()
            if record.status in action.offered_in and self.permitted[slug](user, record)
        }
        if bound is not None:
            forms[bound[0]] = bound[1]
        return {
            "actions": [
                {"action": self.by_slug[slug], "form": form} for slug, form in forms.items()
            ],
            "error_form": bound[1] if bound is not None else None,
        }

    def post(self, request, action: str, *, record_for, show):
        """POST an action on the record: ``record_for`` (the app's selector, given the action)
        answers 404 or 403; done, back to the record's page; refused, the page again (``show``)
        with the form's errors: 400, or 409 if someone changed the record first."""
        if action not in self.by_slug:
            raise Http404("No such action.")
        record = record_for(action=action)
        spec = self.by_slug[action]
        form = spec.form_class(request.POST, prefix=action)
        status = 400
        if form.is_valid():
            try:
                spec.service(
                    **{self.record_name: record},
                    actor=request.user,
                    context=browser_context(request),
                    **form.cleaned_data,
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
                status = error.status
            else:
                messages.success(request, spec.message)
                return redirect(self.detail, record.uuid)
        return show(bound=(action, form), status=status)
