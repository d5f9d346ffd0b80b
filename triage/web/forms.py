"""Browser forms for triage. They parse HTTP input into typed values; the services hold the
rules, so most fields are optional here and a service's field errors land on the same names."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from core.errors import ApplicationError
from directory.models import CLINICAL_ROLES, PROVIDER_KINDS, User
from directory.selectors import organisation_get, patients_referrable_by
from directory.validators import normalise_nhs_number, validate_nhs_number
from directory.web.pickers import clinician_picker, organisation_picker
from triage.filters import QUEUE_CATEGORY_CHOICES
from triage.models import (
    DEFERRED_CATEGORIES,
    QUEUE_CATEGORIES_FOR_HARM,
    REVIEWED_CATEGORIES,
    Category,
    HarmOutcome,
    Outcome,
    Priority,
    ReviewPanel,
    Status,
    TreatmentFunction,
)
from triage.web.widgets import NHSDateField

INPUT = "nhsuk-input"
SELECT = "nhsuk-select"
TEXTAREA = "nhsuk-textarea"


class PlainSelect(forms.Select):
    """A ``<select>`` with the markup of Django's, built in Python rather than from a
    sub-template per option: the queue filters render on every queue page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"class": TEXTAREA, "rows": rows})


def _treatment_function_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=TreatmentFunction.objects.all(),
        label=kwargs.pop("label", "Treatment function"),
        empty_label="Choose a treatment function",
        widget=forms.Select(attrs={"class": SELECT}),
        **kwargs,
    )


def _provider_from_ods(value: str):
    """The trust or community provider with this ODS code, or a form error."""
    if not value:
        return None
    provider = organisation_get(ods_code=value)
    if provider is None:
        raise ValidationError(unknown_ods_code_message(value))
    if provider.kind not in PROVIDER_KINDS:
        raise ValidationError(f"{provider.ods_code} is not a trust or community provider.")
    return provider


def unknown_ods_code_message(value: str) -> str:
    return f"No organisation with ODS code {value.strip().upper()}: search by name or code."


def _known_ods_code(value: str) -> None:
    # An unknown code would otherwise filter the queue down to "No referrals match".
    if value and organisation_get(ods_code=value) is None:
        raise ValidationError(unknown_ods_code_message(value))


def apply_service_errors(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's field errors on the matching form fields; the rest above the form."""
    for field, messages in error.field_errors.items():
        form.add_error(field if field in form.fields else None, list(messages))
    if not error.field_errors:
        form.add_error(None, error.message)


def style_filter_form(form: forms.Form, *, panel_choices) -> None:
    """Give django-filter's generated queue filter form the NHS.UK look and useful pickers.
    ``panel_choices`` are ``(uuid, name)`` pairs (``selectors.panel_choices_for``)."""
    functions = TreatmentFunction.objects.order_by("code").values_list("code", "name")
    form.fields["treatment_function"].widget = PlainSelect(
        choices=[("", "Any")] + [(code, f"{code} {name}") for code, name in functions],
        attrs={"class": SELECT},
    )
    form.fields["panel"].widget = PlainSelect(
        choices=[("", "Any")] + [(str(uuid), name) for uuid, name in panel_choices],
        attrs={"class": SELECT},
    )
    yes_no_any = [("", "Any"), ("true", "Yes"), ("false", "No")]
    for name in ("breached", "reviewed"):
        form.fields[name].widget = PlainSelect(choices=yes_no_any, attrs={"class": SELECT})
    form.fields["category"].widget = PlainSelect(
        choices=[("", "Any"), *QUEUE_CATEGORY_CHOICES], attrs={"class": SELECT}
    )
    form.fields["provider"].widget = organisation_picker(kind="provider")
    form.fields["provider"].label = "Provider"
    form.fields["provider"].validators.append(_known_ods_code)
    for field in form.fields.values():
        field.help_text = ""
    form.fields["provider"].help_text = "Name or ODS code"


class ReviewForm(forms.Form):
    """The review. Some fields belong to one outcome (or to P5/P6); the page shows them only for
    that choice with htmx (the referral page renders the fields for the chosen outcome on request),
    and without JavaScript every field shows
    with a hint naming the choice it belongs to. A field filled in for another choice is
    refused by the service, never dropped."""

    # Which choice each conditional field belongs to: (the radio group, its values).
    SHOWN_FOR = {
        "contact_on": ("category", DEFERRED_CATEGORIES),
        "question": ("outcome", (Outcome.REQUEST_ADVICE,)),
        "redirect_provider": ("outcome", (Outcome.REDIRECT,)),
        "redirect_treatment_function": ("outcome", (Outcome.REDIRECT,)),
    }

    category = forms.ChoiceField(
        label="Clinical category",
        required=False,
        choices=[(c, Category(c).label) for c in REVIEWED_CATEGORIES],
        widget=forms.RadioSelect,
    )
    contact_on = NHSDateField(
        label="Date to contact the patient again",
        required=False,
        help_text="Only for P5 or P6, when the patient chose to wait. For example, 15 3 2027",
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=Outcome.choices, widget=forms.RadioSelect
    )
    question = forms.CharField(
        label="Question for the referring GP",
        required=False,
        help_text=f"Only when the outcome is ‘{Outcome.REQUEST_ADVICE.label}’.",
        widget=_textarea(3),
    )
    redirect_provider = forms.CharField(
        label="Redirect to provider",
        required=False,
        help_text=f"Only when the outcome is ‘{Outcome.REDIRECT.label}’: name or ODS code. The "
        "provider makes the onward referral itself.",
        widget=organisation_picker(kind="provider"),
    )
    redirect_treatment_function = _treatment_function_field(
        label="Redirect to treatment function",
        required=False,
        help_text=f"Only when the outcome is ‘{Outcome.REDIRECT.label}’.",
    )
    rationale = forms.CharField(
        label="Clinical rationale", required=False, widget=_textarea(), strip=True
    )
    # Shown only once the service has asked for it: an urgent referral returned to the GP.
    confirm_urgent_return = forms.BooleanField(
        label="Yes, return it to the referrer",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_redirect_provider(self):
        return _provider_from_ods(self.cleaned_data["redirect_provider"])

    def confirmation_asked(self) -> bool:
        """Whether the page shows the urgent-return warning and its checkbox."""
        return bool(self.errors.get("confirm_urgent_return")) or (
            self.is_bound and bool(self.data.get(self.add_prefix("confirm_urgent_return")))
        )


class BookForm(forms.Form):
    appointment_on = NHSDateField(
        label="Appointment date",
        error_messages={"required": "Enter the appointment date."},
    )


class ConfirmForm(forms.Form):
    """An action with nothing to fill in (record a DNA)."""


class StopClockForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[(s.value, s.label) for s in (Status.TREATED, Status.DISCHARGED)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", required=False, widget=_textarea(2))


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason for cancelling", required=False, widget=_textarea(2))


class AssignPanelForm(forms.Form):
    panel = forms.ModelChoiceField(
        queryset=ReviewPanel.objects.none(),
        label="Panel",
        empty_label="Choose a panel",
        to_field_name="uuid",
        widget=forms.Select(attrs={"class": SELECT}),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = ReviewPanel.objects.filter(
            provider_id=referral.provider_id, treatment_function_id=referral.treatment_function_id
        )


class HarmReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Harm review outcome",
        required=False,
        choices=HarmOutcome.choices,
        widget=forms.RadioSelect,
    )
    new_category = forms.ChoiceField(
        label="New category",
        required=False,
        help_text="When the patient's condition has worsened and you re-prioritise.",
        choices=[("", "No change")] + [(c, Category(c).label) for c in QUEUE_CATEGORIES_FOR_HARM],
        widget=forms.Select(attrs={"class": SELECT}),
    )
    patient_agreed = forms.BooleanField(
        label="The patient agrees to be removed from the list",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    notes = forms.CharField(label="Clinical findings", required=False, widget=_textarea())


class AdviceReplyForm(forms.Form):
    answer = forms.CharField(label="Your answer", required=False, widget=_textarea(5))


class AdviceConvertForm(forms.Form):
    priority = forms.ChoiceField(
        label="Referral priority",
        required=False,
        choices=Priority.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note for the referral", required=False, widget=_textarea(3))


class AdviceGuidanceForm(forms.Form):
    """A GP asks a specialist service before referring. The patient is picked by NHS number
    among the patients registered at the GP's practice: sight through a panel or a referral
    is never enough to send a patient somewhere new (docs/product.md §1)."""

    nhs_number = forms.CharField(
        label="Patient's NHS number",
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(
            attrs={"class": f"{INPUT} nhsuk-input--width-10", "inputmode": "numeric"}
        ),
    )
    provider = forms.CharField(
        label="Provider",
        help_text="The trust or community provider to ask: name or ODS code, for example R1H",
        widget=organisation_picker(kind="provider"),
    )
    treatment_function = _treatment_function_field()
    question = forms.CharField(label="Your question", required=False, widget=_textarea(5))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"]
        try:
            validate_nhs_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc
        patient = (
            patients_referrable_by(self.user).filter(nhs_number=normalise_nhs_number(value)).first()
        )
        if patient is None:
            raise ValidationError("No patient registered at your practice has this NHS number.")
        return patient

    def clean_provider(self):
        return _provider_from_ods(self.cleaned_data["provider"])


class PanelForm(forms.Form):
    name = forms.CharField(
        label="Panel name",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"class": INPUT}),
    )
    treatment_function = _treatment_function_field()
    members = forms.CharField(
        label="Members (usernames)",
        required=False,
        help_text="Clinicians from primary, community and secondary care, separated by commas "
        "or new lines.",
        widget=_textarea(3),
    )
    add_member = forms.CharField(
        label="Add a member",
        required=False,
        help_text="Search by name; the username you choose joins the members.",
        widget=clinician_picker(),
    )

    def clean(self):
        cleaned = super().clean()
        # The picker's choice joins the typed usernames, so the form works without JavaScript.
        names = [
            n
            for n in re.split(
                r"[\s,]+", f"{self.data.get('members', '')} {cleaned.get('add_member', '')}"
            )
            if n
        ]
        if not names:
            self.add_error("members", "Enter at least one member.")
            return cleaned
        try:
            cleaned["members"] = self._clinicians(names)
        except ValidationError as error:
            self.add_error(
                "add_member" if not self.data.get("members", "").strip() else "members", error
            )
        return cleaned

    def _clinicians(self, names: list[str]) -> list[User]:
        found = {
            u.username: u
            for u in User.objects.filter(
                username__in=names, role__in=CLINICAL_ROLES, is_active=True
            ).select_related("organisation")
        }
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValidationError(
                f"No clinician with username {', '.join(unknown)}: search by name."
            )
        return list(dict.fromkeys(found[n] for n in names))
