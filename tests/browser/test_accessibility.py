"""axe-core on every page, as every demo role, including pages with form errors.

The site is walked as each role of the demo (seed_demo, small): from the home page, every
same-site link is followed, one page per URL name (and action), so every page of the URL conf
a role can reach is checked once. The Django admin is walked separately, as the administrator. The forms that show errors (patient search, advice request,
review, panel set-up) are also submitted empty and the error page checked.

axe-core comes from npm (node_modules/axe-core, a devDependency), never from the repository.
"""

from __future__ import annotations

import io
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from directory.models import User
from directory.services import api_token_issue
from triage.models import AdviceRequest, AdviceStatus, Referral, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ROLES = ("gp", "consultant", "community", "diagnostics", "manager", "admin")
# Not pages: signing out, the JSON API and its schema, files. The Django admin is walked on its
# own (test_admin_pages_have_no_axe_violations): its changelists link to every row.
SKIP_PREFIXES = ("/logout/", "/api/", "/static/", "/admin/")
MAX_PAGES_PER_ROLE = 60


def _key(path: str) -> tuple[str, str] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, str(match.kwargs.get("action", "") or match.kwargs.get("slug", ""))


def _axe(page) -> dict:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )


def _problems(results: dict) -> list[str]:
    found = [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results["violations"]
    ]
    found += [
        f"needs review {i['id']}: {', '.join(str(n['target']) for n in i['nodes'][:3])}"
        for i in results["incomplete"]
        if i["id"] == "aria-valid-attr-value"
    ]
    return found


def _error_forms(role: str) -> list[tuple[str, str]]:
    """(page, form) pairs submitted empty as ``role``: the pages with form errors."""
    search = (reverse("patient-search"), "main form")
    panel_new = (reverse("triage:panel-new"), "main form")
    if role == "gp":
        advice = AdviceRequest.objects.filter(
            practice__users__username="gp", status=AdviceStatus.AWAITING_REPLY
        ).first()
        forms = [
            search,
            (reverse("triage:advice-new"), "main form"),
            (reverse("contracts:breach-report-new"), "main form"),
        ]
        if advice is not None:
            forms.append((f"/triage/advice/{advice.uuid}/", "form[action$='/reply/']"))
        return forms
    if role == "consultant":
        referral = Referral.objects.filter(
            provider__users__username="consultant", status=Status.AWAITING_REVIEW
        ).first()
        return [
            search,
            panel_new,
            (reverse("triage:referral-detail", args=[referral.uuid]), "form[action$='/review/']"),
            (reverse("contracts:discharge-new"), "main form"),
            (reverse("contracts:attendance-new"), "main form"),
        ]
    if role == "community":
        return [search, panel_new]
    return []


def _diagnostics_error_forms(role: str) -> list[tuple[str, str]]:
    """The diagnostics forms with errors: the booking search and acknowledging a result (the
    GP); the week's template and recording a result (the hub)."""
    from diagnostics.models import Booking, BookingStatus, Result

    if role == "gp":
        forms = [(reverse("diagnostics:book"), "form[data-testid=slot-search]")]
        result = Result.objects.filter(
            responsible__username="gp", acknowledged_at__isnull=True
        ).first()
        if result is not None:
            forms.append((f"/diagnostics/results/{result.uuid}/", "form[action$='/acknowledge/']"))
        return forms
    if role == "diagnostics":
        forms = [(reverse("diagnostics:capacity"), "form[data-testid=template-form]")]
        booking = Booking.objects.filter(
            slot__hub__users__username="diagnostics",
            status=BookingStatus.ATTENDED,
            result__isnull=True,
        ).first()
        if booking is not None:
            forms.append((f"/diagnostics/bookings/{booking.uuid}/", "form[action$='/result/']"))
        return forms
    return []


def _prescribing_error_forms(role: str) -> list[tuple[str, str]]:
    """The prescribing forms with errors: issuing a prescription (the GP, the consultant),
    declining shared care (the GP), proposing it (the consultant), a budget (the manager)."""
    from prescribing.models import SharedCareAgreement

    if role == "gp":
        forms = [(reverse("prescribing:prescription-new"), "main form")]
        proposal = SharedCareAgreement.objects.filter(gp__username="gp", status="proposed").first()
        if proposal is not None:
            forms.append(
                (f"/prescribing/shared-care/{proposal.uuid}/", "form[action$='/decline/']")
            )
        return forms
    if role == "consultant":
        return [
            (reverse("prescribing:prescription-new"), "main form"),
            (reverse("prescribing:shared-care-new"), "main form"),
        ]
    if role == "manager":
        return [(reverse("prescribing:budget-new"), "main form")]
    return []


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", referrals=150, no_progress=True, stdout=io.StringIO())


def test_every_page_for_every_role_has_no_axe_violations(chromium, live_server, demo):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run npm install")
    problems: dict[str, list[str]] = {}
    checked = 0
    pages_by_role: dict[str, list[str]] = {}
    for role in ROLES:
        # bypass_csp only so Playwright can inject axe's script into our pages; the CSP itself
        # is tested elsewhere, and every page's own assets are served by the app as usual.
        context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill(role)
        page.get_by_label("Password").fill(settings.INTERFACE_DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        seen: set[tuple[str, str]] = set()
        queue = deque(["/"])
        while queue and len(seen) < MAX_PAGES_PER_ROLE:
            path = queue.popleft()
            key = _key(urlsplit(path).path)
            if key is None or key in seen:
                continue
            seen.add(key)
            page.goto(path)
            checked += 1
            if found := _problems(_axe(page)):
                problems[f"{role} {path}"] = found
            # A download link (a breach letter) is a file, not a page.
            for href in page.eval_on_selector_all(
                "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
            ):
                if href.startswith("/") and not href.startswith(SKIP_PREFIXES):
                    queue.append(href)
        for path, form in [
            *_error_forms(role),
            *_diagnostics_error_forms(role),
            *_prescribing_error_forms(role),
        ]:
            page.goto(path)
            _submit_empty(page, form)
            checked += 1
            seen.add((f"{path} submitted empty", ""))
            if found := _problems(_axe(page)):
                problems[f"{role} {path} (submitted empty)"] = found
        context.close()
        pages_by_role[role] = sorted(f"{name} {variant}".strip() for name, variant in seen)
    print(f"\naxe-core: {checked} page checks across {len(ROLES)} roles")
    for role, pages in pages_by_role.items():
        print(f"  {role:<12} {len(pages):>3} pages: {', '.join(pages)}")
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


def _submit_empty(page, selector: str) -> None:
    form = page.locator(selector).first
    form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()
    page.wait_for_load_state("networkidle")
    # With or without JavaScript the page now says what is wrong: check that it does.
    assert page.locator(".nhsuk-error-summary, .nhsuk-error-message").count(), page.url


# Every page an administrator uses in the Django admin: the index, each registered model's
# changelist (read from the admin site, so a new model is checked too), the audit search, and
# a change page of each of these models (its first record).
CHANGE_PAGES = (
    "directory/user",
    "directory/organisation",
    "directory/patient",
    "directory/apitoken",
    "audit/auditevent",
    "triage/referral",
)


def test_admin_pages_have_no_axe_violations(chromium, live_server, demo):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run npm install")
    registered = {f"{m._meta.app_label}/{m._meta.model_name}" for m in site._registry}
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(settings.INTERFACE_DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    # The demo issues no API token: one for the consultant, so its change page is checked too.
    api_token_issue(user=User.objects.get(username="consultant"))
    paths = ["/admin/", reverse("audit-events")]
    paths += [f"/admin/{model}/" for model in sorted(registered)]
    problems: dict[str, list[str]] = {}
    for path in paths:
        _check_admin_page(page, path, problems)
    # Change pages come after the changelists, whose reads made the audit events to open.
    for model in CHANGE_PAGES:
        path = reverse(f"admin:{model.replace('/', '_')}_change", args=[_first_pk(model)])
        paths.append(path)
        _check_admin_page(page, path, problems)
    context.close()
    print(f"\naxe-core: {len(paths)} admin pages: {', '.join(paths)}")
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


def _first_pk(model: str) -> int:
    return apps.get_model(*model.split("/")).objects.order_by("pk").values_list("pk", flat=True)[0]


def _check_admin_page(page, path: str, problems: dict[str, list[str]]) -> None:
    page.goto(path)
    assert urlsplit(page.url).path == path, page.url
    if found := _problems(_axe(page)):
        problems[path] = found
