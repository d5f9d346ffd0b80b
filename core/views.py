"""Pages that belong to no app: the home page, and nhsuk-frontend's icon paths."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.views.generic import RedirectView


@login_required
def home(request):
    return render(request, "core/home.html")


class NhsukAssetRedirect(RedirectView):
    """nhsuk-frontend's stylesheet refers to its icons at /assets/…; send those to static."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static(f"nhsuk/assets/{kwargs['asset']}")
