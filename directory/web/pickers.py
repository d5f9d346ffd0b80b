"""Pickers: a text input that suggests organisations (by name or ODS code) or clinicians (by
name) as the user types, from the server.

The input is a plain ``<input list=…>``: without JavaScript it takes an ODS code or a username
as typed, and the form checks it. With htmx, typing fetches ``<option>``s for its
``<datalist>`` from :func:`organisation_options` or :func:`clinician_options`, whose values are
the codes and usernames the form expects.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from directory import selectors


class PickerInput(forms.TextInput):
    """A text input with server-side suggestions. ``source`` is the URL name of the options
    view; ``kind`` narrows organisations (an ``OrganisationKind`` or ``"provider"``)."""

    def __init__(self, *, source: str, kind: str = "", attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.source = source
        self.kind = kind

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        options_id = f"{final_attrs.get('id') or 'id_' + name}-options"
        query = {"field": name, **({"kind": self.kind} if self.kind else {})}
        final_attrs.update(
            {
                "list": options_id,
                "hx-get": f"{reverse(self.source)}?{urlencode(query)}",
                # Its own request only: never the enclosing form's target, swap or URL.
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
                "hx-sync": "this:replace",
            }
        )
        text = super().render(name, value, final_attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', text, options_id)


def organisation_picker(*, kind: str = "", width: int = 10) -> PickerInput:
    return PickerInput(
        source="picker-organisations",
        kind=kind,
        attrs={"class": f"nhsuk-input nhsuk-input--width-{width}"},
    )


def clinician_picker() -> PickerInput:
    return PickerInput(
        source="picker-clinicians", attrs={"class": "nhsuk-input nhsuk-input--width-20"}
    )


def _search_text(request) -> str:
    # htmx sends the input's value under the field's own name.
    field = request.GET.get("field", "")
    return request.GET.get("search") or (request.GET.get(field, "") if field else "")


@login_required
def organisation_options(request):
    kind = request.GET.get("kind", "")
    if not selectors.organisation_kind_valid(kind):
        kind = ""
    organisations = selectors.organisations_search(search=_search_text(request), kind=kind)
    options = [(o.ods_code, f"{o.name} ({o.ods_code})") for o in organisations]
    return render(request, "directory/_picker_options.html", {"options": options})


@login_required
def clinician_options(request):
    if not request.user.is_clinician:
        raise PermissionDenied("Only clinicians may search for clinicians.")
    clinicians = selectors.clinicians_search(search=_search_text(request))
    options = [
        (
            c.username,
            f"{c.display_name}, {c.get_role_display()}"
            + (f", {c.organisation.name}" if c.organisation else ""),
        )
        for c in clinicians
    ]
    return render(request, "directory/_picker_options.html", {"options": options})
