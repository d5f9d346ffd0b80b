"""What an entry of the access matrix declares, and the shorthand entries are written in.

An entry is one operation: a URL name (with its slug, for routes such as
``triage:referral-action``), one HTTP method, how to build the URL, query and body from a
scenario's records, and, for each role, the status expected for each relationship:

- ``own``: the user holds the legitimate relationship (docs/product.md §1);
- ``other``: the same role at another organisation in another ICB;
- ``unrelated``: the same role at the same kind of organisation, with no relationship.

Who plays each part is defined in ``tests/access/scenario.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.urls import reverse

from directory.models import Role
from tests.access.scenario import HOLDERS, Scenario

ROLES: tuple[str, ...] = tuple(Role.values)
RELATIONSHIPS = ("own", "other", "unrelated")
ANONYMOUS = "anonymous"

Expectation = Mapping[str, int]


def own(status: int, *, other: int = 404, unrelated: int = 404) -> Expectation:
    """The holder gets ``status``; anyone else may not see the record (404, docs/product.md §1)."""
    return {"own": status, "other": other, "unrelated": unrelated}


def every(status: int) -> Expectation:
    return {"own": status, "other": status, "unrelated": status}


HIDDEN = every(404)  # the role never sees the record
REFUSED = every(403)  # the role may not use the page or operation at all


def by_role(
    *,
    gp: Expectation,
    consultant: Expectation,
    community_clinician: Expectation,
    diagnostics_staff: Expectation,
    manager: Expectation,
    admin: Expectation,
) -> dict[str, Expectation]:
    """Every role, by keyword, so an entry cannot forget one."""
    return {
        "gp": gp,
        "consultant": consultant,
        "community_clinician": community_clinician,
        "diagnostics_staff": diagnostics_staff,
        "manager": manager,
        "admin": admin,
    }


def for_everyone(status: int) -> dict[str, Expectation]:
    return dict.fromkeys(ROLES, every(status))


def showing(marker: Callable[[Scenario], str], *roles: str) -> dict:
    return dict.fromkeys(roles, marker)


def _nothing(scenario: Scenario) -> dict:
    return {}


@dataclass(frozen=True)
class Entry:
    name: str
    expect: dict[str, Expectation]
    method: str = "GET"
    variant: str = ""  # the slug, for a route that takes one
    kwargs: Callable[[Scenario], dict] = _nothing
    query: Callable[[Scenario], dict] = _nothing
    body: Callable[[Scenario], dict] = _nothing
    # The scenario user who plays "own" for a role, where it is not ``scenario.HOLDERS``'.
    holders: Mapping[str, str] = field(default_factory=dict)
    # A list: for these roles a 2xx answer must show this marker of the user's own scenario
    # (proving the "no foreign row" check is not passed by an empty page).
    shows: Mapping[str, Callable[[Scenario], str]] = field(default_factory=dict)
    lists: bool = False
    # A 2xx read by a clinician must write an audit event naming the scenario's patient.
    audited: bool = False

    @property
    def api(self) -> bool:
        return self.name.startswith("api-")

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def anonymous_status(self) -> int:
        # The browser sends a stranger to sign in; the API answers 401 with a token challenge.
        return 401 if self.api else 302

    @property
    def label(self) -> str:
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.name}{variant} {self.method}"

    def holder(self, role: str) -> str:
        return self.holders.get(role, HOLDERS[role])

    def expected(self, role: str, relationship: str) -> int:
        if role == ANONYMOUS:
            return self.anonymous_status
        return self.expect[role][relationship]

    def url(self, scenario: Scenario) -> str:
        return reverse(self.name, kwargs=self.kwargs(scenario))

    def url_id(self, scenario: Scenario) -> str:
        """The record id the URL carries ("" for none): what a refusal audits as object_id."""
        ids = [str(v) for k, v in self.kwargs(scenario).items() if k.endswith("_id")]
        return ids[0] if ids else ""

    def sent(self, scenario: Scenario) -> str:
        """Everything the request itself carries, which a page may echo without leaking."""
        return " ".join(
            (
                self.url(scenario),
                json.dumps(self.query(scenario), default=str),
                self.payload(scenario),
            )
        )

    def payload(self, scenario: Scenario) -> str:
        return json.dumps(self.body(scenario), default=str)

    def send(self, client, scenario: Scenario):
        url = self.url(scenario)
        if self.method == "GET":
            return client.get(url, self.query(scenario))
        if self.api:
            return client.generic(
                self.method, url, self.payload(scenario), content_type="application/json"
            )
        return client.post(url, {k: str(v) for k, v in self.body(scenario).items()})
