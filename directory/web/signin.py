"""Sign-in protections around Django's login: the page shown to a locked-out account
(django-axes' ``AXES_LOCKOUT_CALLABLE``) and the idle session timeout (a middleware)."""

from __future__ import annotations

import time

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import render

# The session key holding the time (whole seconds since the epoch) of the last request.
LAST_ACTIVITY = "last_activity"
# Write the time at most this often: a queue page polling every few seconds must not write the
# session on every request. An idle session therefore ends up to a minute late, never early.
ACTIVITY_WRITE_INTERVAL = 60


def locked_out(request, response=None, credentials=None):
    """The sign-in page again, saying the account is locked (HTTP 429).

    The same page for every username, known or not, and whatever the password: it says neither
    whether the account exists nor whether the last password was right.
    """
    cool_off = get_cool_off(request)
    context = {
        "locked_out": True,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


class IdleTimeoutMiddleware:
    """Sign out a session after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    Placed after AuthenticationMiddleware. Only session sign-ins are affected: an API call with
    a token carries no session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request, f"You were signed out after {minutes} minutes without activity."
                )
            elif last is None or now - last >= ACTIVITY_WRITE_INTERVAL:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)
