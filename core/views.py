"""Pages that belong to no app: the home page, and nhsuk-frontend's icon paths."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.views.generic import RedirectView

from core.home import home_cards, with_article

# A role whose label is not a countable noun ("Diagnostics staff") says who the user is here.
ROLE_PHRASES = {"diagnostics_staff": "a member of the diagnostics staff"}


@login_required
def home(request):
    """What needs the user now: the cards every app registered (``core.home``)."""
    user = request.user
    label = user.get_role_display() if user.role else ""
    role = ROLE_PHRASES.get(user.role) or (with_article(label) if label else "")
    return render(request, "core/home.html", {"cards": home_cards(request), "role_phrase": role})


class NhsukAssetRedirect(RedirectView):
    """nhsuk-frontend's stylesheet refers to its icons at /assets/…; send those to static."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static(f"nhsuk/assets/{kwargs['asset']}")
