"""The NHS.UK time input (core.widgets): hour and minute on the 24-hour clock, with errors that
name the wrong part. (The date input is tested with the review form, tests/triage/web.)"""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.widgets import NHSTimeField, time_from_parts


class TimeForm(forms.Form):
    at = NHSTimeField(label="Time reported", required=False)


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        ("9", "05", datetime.time(9, 5)),
        ("00", "00", datetime.time(0, 0)),
        ("23", "59", datetime.time(23, 59)),
    ],
)
def test_a_time_is_read_from_its_hour_and_minute(hour, minute, expected):
    assert time_from_parts(hour, minute) == expected


def test_both_boxes_empty_is_no_time():
    assert time_from_parts(" ", "") is None


@pytest.mark.parametrize(
    ("hour", "minute", "message"),
    [
        ("24", "00", "The hour must be a number from 0 to 23"),
        ("9", "60", "The minute must be a number from 0 to 59"),
        ("9", "", "The time must include a minute"),
        ("nine", "00", "The hour must be a number"),
    ],
)
def test_a_wrong_time_names_the_part_that_is_wrong(hour, minute, message):
    with pytest.raises(ValidationError, match=message):
        time_from_parts(hour, minute)


def test_the_form_keeps_the_boxes_as_typed_when_the_time_is_wrong():
    form = TimeForm({"at_0": "25", "at_1": "30"})
    assert not form.is_valid()
    html = str(form["at"])
    assert 'value="25"' in html
    assert 'value="30"' in html
    assert 'name="at_0"' in html
