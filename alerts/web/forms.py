"""The email preference form."""

from __future__ import annotations

from django import forms

from alerts.models import EmailMode


class AlertPreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label="How should we email you about new alerts?",
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text="Emails name no patient: they say what needs you and link to Interface.",
        error_messages={"required": "Choose how we should email you."},
    )
