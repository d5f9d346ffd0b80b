"""Browser forms for diagnostics. They parse HTTP input into typed values; the services hold the
rules (docs/product.md §3), and a service's field errors land on the fields of the same names."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.errors import ApplicationError
from core.widgets import NHSDateField, NHSTimeField
from diagnostics.models import TestType
from directory.models import Organisation, OrganisationKind
from directory.selectors import patients_visible_to, user_get
from directory.validators import normalise_nhs_number, validate_nhs_number
from directory.web.pickers import clinician_picker
from triage.selectors import referrals_visible_to

INPUT = "nhsuk-input"
SELECT = "nhsuk-select"
TEXTAREA = "nhsuk-textarea"
WEEKDAYS = [
    (str(n), name)
    for n, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
]
# The most slots one template row makes: a day of 5-minute blood tests is 12 hours' worth.
MAX_SLOTS_IN_A_ROW = 144


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"class": TEXTAREA, "rows": rows})


def _number(width: int = 3, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.TextInput(
            attrs={"class": f"{INPUT} nhsuk-input--width-{width}", "inputmode": "numeric"}
        ),
        **kwargs,
    )


def apply_service_errors(form: forms.Form, error: ApplicationError, renamed=None) -> None:
    """Put a service's field errors on the matching form fields (``renamed`` maps a service's
    field to the form's), and the rest above the form."""
    renamed = renamed or {}
    for field, messages in error.field_errors.items():
        name = renamed.get(field, field)
        form.add_error(name if name in form.fields else None, list(messages))
    if not error.field_errors:
        form.add_error(None, error.message)


class TestTypeChoiceField(forms.ModelChoiceField):
    """A test type, chosen by name and posted as its SNOMED CT code."""

    def label_from_instance(self, obj) -> str:
        return obj.name


def test_type_field(**kwargs) -> forms.ModelChoiceField:
    return TestTypeChoiceField(
        queryset=TestType.objects.order_by("name"),
        to_field_name="code",
        label=kwargs.pop("label", "Test"),
        empty_label=kwargs.pop("empty_label", "Choose a test"),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": "Choose a test from the list."},
        **kwargs,
    )


def local_datetime(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """A date and a wall-clock time in England (Europe/London), as an aware datetime."""
    return datetime.datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


# Capacity: a week of slots from a template (hub staff).


class WeekForm(forms.Form):
    week_start = NHSDateField(
        label="Week",
        help_text="Any day of the week: slots are made for the week starting on its Monday. "
        "For example, 7 12 2026",
        error_messages={"required": "Enter a day of the week to fill."},
    )

    def clean_week_start(self):
        day = self.cleaned_data["week_start"]
        return day - datetime.timedelta(days=day.weekday()) if day else day


class SlotTemplateRowForm(forms.Form):
    """One line of the week's template: on ``weekday``, ``count`` slots of ``test_type`` from
    ``start``, ``interval_minutes`` apart, each taking ``capacity`` patients."""

    weekday = forms.ChoiceField(
        label="Day",
        choices=[("", "Choose a day"), *WEEKDAYS],
        widget=forms.Select(attrs={"class": SELECT}),
    )
    start = NHSTimeField(label="First start time", help_text="For example, 09 00")
    test_type = test_type_field()
    capacity = _number(label="Patients per slot", min_value=1, max_value=100, initial=1)
    count = _number(label="Slots in a row", min_value=1, max_value=MAX_SLOTS_IN_A_ROW, initial=1)
    interval_minutes = _number(
        label="Minutes apart",
        min_value=5,
        max_value=24 * 60,
        required=False,
        help_text="Blank: the test's usual length",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A missing start time reads better with the field's name than "This field is required".
        self.fields["start"].error_messages["required"] = "Enter the first start time."

    def clean(self):
        cleaned = super().clean()
        test_type = cleaned.get("test_type")
        if test_type is not None and cleaned.get("interval_minutes") is None:
            cleaned["interval_minutes"] = test_type.sample_minutes or 15
        return cleaned


class BaseTemplateRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError("Fill in at least one line of the template.")


SlotTemplateFormSet = forms.formset_factory(
    SlotTemplateRowForm, formset=BaseTemplateRowFormSet, extra=4, max_num=20, absolute_max=20
)


# Booking: find free slots for a patient and a test, then book one (clinicians).


class BookingSearchForm(forms.Form):
    """The patient, the test and where and when: read from the query string, so other pages
    link here prefilled (``?nhs_number=…&test_type=…&referral=…``). The referral rides along
    hidden until the booking form offers the patient's referrals to choose from."""

    nhs_number = forms.CharField(
        label="Patient's NHS number",
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(
            attrs={"class": f"{INPUT} nhsuk-input--width-10", "inputmode": "numeric"}
        ),
        error_messages={"required": "Enter the patient's NHS number."},
    )
    test_type = test_type_field()
    hub = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.DIAGNOSTIC_HUB).order_by("name"),
        to_field_name="ods_code",
        label="Diagnostic hub",
        required=False,
        empty_label="Any hub",
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": "Choose a hub from the list."},
    )
    date_from = NHSDateField(label="From", required=False, help_text="For example, 7 12 2026")
    date_to = NHSDateField(label="To", required=False, help_text="For example, 18 12 2026")
    referral = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        number = self.data.get(self.add_prefix("nhs_number")) or self.initial.get("nhs_number")
        self.patient = self._patient(number) if number else None
        self.referrals = (
            list(
                referrals_visible_to(user)
                .filter(patient=self.patient)
                .order_by("-clock_start", "-id")[:50]
            )
            if self.patient is not None
            else []
        )

    def _patient(self, number: str):
        try:
            validate_nhs_number(number)
        except ValidationError:
            return None
        return (
            patients_visible_to(self.user).filter(nhs_number=normalise_nhs_number(number)).first()
        )

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"]
        try:
            validate_nhs_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc
        if self.patient is None:
            raise ValidationError("No patient you may see has this NHS number.")
        return value

    def clean_referral(self):
        """The referral's id if it is one of this patient's the user may see; a link naming
        another is dropped here, and the booking form shows "No referral" chosen."""
        value = self.cleaned_data["referral"]
        return value if any(str(r.uuid) == value for r in self.referrals) else ""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def carried(self) -> list[tuple[str, str]]:
        """The search's fields as typed (the date boxes too), for the booking form to post
        again as hidden inputs."""
        names = ["nhs_number", "test_type", "hub"]
        names += [f"{name}_{n}" for name in ("date_from", "date_to") for n in range(3)]
        return [(name, str(self.data.get(name, ""))) for name in names if self.data.get(name)]


class BookingForm(BookingSearchForm):
    """The search, posted again with the slot chosen, the referral and the reason: on a lost
    race the page is shown again with everything typed kept."""

    referral = forms.ChoiceField(
        label="Referral this test is for (optional)",
        required=False,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": "Choose one of this patient's referrals, or none."},
    )
    slot = forms.UUIDField(
        label="Appointment",
        widget=forms.HiddenInput,
        error_messages={"required": "Choose an appointment.", "invalid": "Choose an appointment."},
    )
    reason = forms.CharField(
        label="Reason for the test",
        help_text="The clinical question, for the hub and for whoever acts on the result.",
        widget=_textarea(3),
        error_messages={"required": "Enter the reason for the test."},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the search form above it on the page has fields of the same names.
        kwargs.setdefault("auto_id", "id_book_%s")
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [("", "No referral")] + [
            (
                str(r.uuid),
                f"{r.treatment_function.name}, {r.provider.name}, "
                f"referred {r.clock_start.day} {r.clock_start:%B %Y}",
            )
            for r in self.referrals
        ]

    def clean_referral(self):
        value = self.cleaned_data["referral"]
        return next((r for r in self.referrals if str(r.uuid) == value), None)


# A booking's actions (the booking page).


class ConfirmForm(forms.Form):
    """An action with nothing to fill in (cancel a booking)."""


class MoveForm(forms.Form):
    slot = forms.UUIDField(
        label="New appointment",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a new appointment.",
            "invalid": "Choose a new appointment.",
        },
    )


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label="Did the patient attend?",
        choices=[("true", "Attended"), ("false", "Did not attend")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the patient attended."},
    )


class ResultForm(forms.Form):
    abnormal = forms.TypedChoiceField(
        label="Is the result abnormal?",
        choices=[("false", "Normal"), ("true", "Abnormal")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the result is normal or abnormal."},
    )
    value = forms.CharField(
        label="Value (optional)",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": f"{INPUT} nhsuk-input--width-10"}),
    )
    unit = forms.CharField(
        label="Unit (optional)",
        required=False,
        max_length=30,
        help_text="For example, mmol/mol",
        widget=forms.TextInput(attrs={"class": f"{INPUT} nhsuk-input--width-10"}),
    )
    summary = forms.CharField(
        label="Report",
        help_text="The report, or its summary and any advice for the requester.",
        widget=_textarea(4),
        error_messages={"required": "Enter the report."},
    )
    reported_on = NHSDateField(
        label="Date reported",
        required=False,
        help_text="Blank for now. Never in the future. For example, 7 12 2026",
    )
    reported_time = NHSTimeField(
        label="Time reported", required=False, help_text="24-hour clock, for example 14 30"
    )

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("reported_on"), cleaned.get("reported_time")
        if day is None and at is None:
            cleaned["reported_at"] = None
        elif day is None:
            self.add_error("reported_on", "Enter the date as well as the time.")
        elif at is None:
            self.add_error("reported_time", "Enter the time as well as the date.")
        else:
            # Never in the future, and not before the appointment: the service's rule, whose
            # errors the page puts on the date.
            cleaned["reported_at"] = local_datetime(day, at)
        return cleaned


# A result's actions (the result page).


class AcknowledgeForm(forms.Form):
    action = forms.CharField(
        label="Action taken",
        help_text="What you did or will do: for example, repeat test in 3 months, or patient "
        "called in.",
        widget=_textarea(3),
        error_messages={"required": "Enter the action taken."},
    )


class TransferForm(forms.Form):
    to = forms.CharField(
        label="Clinician to take responsibility",
        help_text="Search by name; they must accept before the result is theirs.",
        widget=clinician_picker(),
        error_messages={"required": "Choose the clinician to transfer to."},
    )

    def clean_to(self):
        username = self.cleaned_data["to"].strip()
        user = user_get(username=username)
        if user is None or not user.is_clinician or not user.is_active:
            raise ValidationError(f"No clinician with username {username}: search by name.")
        return user
