"""The access matrix as a test (docs/product.md §1 and §7): every page and API operation, as
every role, for the record's holder, a stranger in another ICB and an unrelated colleague.

Each cell checks the status; that nothing of the other scenario (and, for managers and
administrators, no patient identifier at all) is in the answer; that a refused or rejected
write changed nothing; and that a refusal (404 or 403) wrote exactly one "refused" audit
event and nothing else. The first tests fail when a named URL has no entry in ``tests/access/matrix/``.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from audit.models import AuditAction, AuditEvent
from tests.access.matrix import ENTRIES, EXCLUDED, EXCLUDED_NAMESPACES
from tests.access.spec import ANONYMOUS, RELATIONSHIPS, ROLES, Entry

# Tables a refused request must leave exactly as they were: every clinical and directory app.
# The audit trail is left out: a refusal is meant to add to it.
GUARDED_APPS = (
    "directory",
    "triage",
    "alerts",
    "diagnostics",
    "prescribing",
    "contracts",
    "dashboards",
)


def url_names(patterns=None, namespace: str = ""):
    """``(name, pattern)`` of every named route, namespaced as ``reverse`` takes it."""
    for item in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(item, URLResolver):
            if item.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from url_names(item.url_patterns, inner)
        elif isinstance(item, URLPattern) and item.name:
            yield f"{namespace}{item.name}", item


def test_every_named_url_has_an_entry_in_the_matrix():
    routes = {name for name, _ in url_names()} - EXCLUDED
    missing = routes - {entry.name for entry in ENTRIES}
    assert not missing, f"no access-matrix entry (tests/access/matrix/) for {sorted(missing)}"


def test_every_entry_names_a_url_that_exists():
    routes = {name for name, _ in url_names()}
    stale = {entry.name for entry in ENTRIES} - routes
    assert not stale, f"matrix entries for URL names that no longer exist: {sorted(stale)}"


def test_every_action_and_worklist_slug_has_an_entry():
    from triage.selectors import WORKLISTS
    from triage.web.views.advice import ADVICE_ACTIONS
    from triage.web.views.referrals import REFERRAL_ACTIONS

    def variants(name):
        return {entry.variant for entry in ENTRIES if entry.name == name}

    assert variants("triage:referral-action") == set(REFERRAL_ACTIONS)
    assert variants("triage:advice-action") == set(ADVICE_ACTIONS)
    assert variants("triage:worklist-detail") == {w.slug for w in WORKLISTS}


def test_every_method_an_api_view_answers_has_an_entry():
    undeclared = []
    for name, pattern in url_names():
        view_class = getattr(pattern.callback, "cls", None)
        if name in EXCLUDED or view_class is None:
            continue
        answered = {
            m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
        }
        declared = {entry.method for entry in ENTRIES if entry.name == name}
        undeclared += [f"{method} {name}" for method in sorted(answered - declared)]
    assert not undeclared, f"methods with no access-matrix entry: {undeclared}"


def test_every_entry_declares_every_role_and_relationship():
    for entry in ENTRIES:
        assert set(entry.expect) == set(ROLES), entry.label
        for role in ROLES:
            assert set(entry.expect[role]) == set(RELATIONSHIPS), f"{entry.label} {role}"


CELLS = [
    pytest.param(entry, role, relationship, id=f"{entry.label} {role} {relationship}")
    for entry in ENTRIES
    for role, relationships in (*((r, RELATIONSHIPS) for r in ROLES), (ANONYMOUS, ("-",)))
    for relationship in relationships
]


def snapshot() -> dict[str, list]:
    state = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in GUARDED_APPS and meta.managed and not meta.proxy:
            state[meta.label] = list(model.objects.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


@pytest.mark.django_db
@pytest.mark.parametrize(("entry", "role", "relationship"), CELLS)
def test_cell(world, matrix_client, entry: Entry, role: str, relationship: str):
    home = world.home
    client = matrix_client
    client.cookies.clear()
    user = None
    if role != ANONYMOUS:
        user = world.user(role, relationship, entry.holder(role))
        client.force_login(user)
    expected = entry.expected(role, relationship)
    rejected = expected >= 400  # refused (401, 403, 404, 405) or invalid (400)
    before = snapshot() if rejected and entry.writes else None
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = entry.send(client, home)

    body = response.content.decode()
    assert response.status_code == expected, f"{entry.label}: {body[:300]}"
    # Nothing of the other ICB's scenario, whatever the page (docs/product.md §1); a page may
    # echo what the request itself sent (a form's NHS number, the id in the URL).
    sent = entry.sent(home)
    own_side, far_side = (world.foreign, home) if relationship == "other" else (home, world.foreign)
    forbidden = far_side.identifiers()
    if user is None or not user.is_clinician:
        # Managers see pseudonymised rows only, administrators no patient at all.
        forbidden |= home.patient_identifiers() | world.foreign.patient_identifiers()
    leaked = sorted(s for s in forbidden if s in body and s not in sent)
    assert not leaked, f"{entry.label} shows {leaked}"
    marker = entry.shows.get(role)
    holds = relationship == "own" or (relationship == "other" and entry.lists)
    if marker and response.status_code == 200 and holds:
        assert marker(own_side) in body, f"{entry.label}: the holder's own rows are missing"
    if before is not None:
        assert not changed_tables(before, snapshot()), "a refused write changed data"

    events = list(AuditEvent.objects.filter(pk__gt=last_event).order_by("pk"))
    if user is not None and expected in (403, 404):
        assert [(e.action, e.user_id, e.patient_id) for e in events] == [
            (AuditAction.REFUSED, user.pk, None)
        ], "a refusal writes one refused audit event and reads no patient"
        assert events[0].object_type == entry.name.split(":")[-1]  # the route's name
        assert events[0].object_id == entry.url_id(home)
    else:
        assert not [e for e in events if e.action == AuditAction.REFUSED]
    if user is None or rejected:
        assert not [e for e in events if e.patient_id is not None], "a rejection read a patient"
    elif entry.audited and user.is_clinician:
        assert any(e.patient_id == home.patient.pk for e in events), "a patient read unaudited"
