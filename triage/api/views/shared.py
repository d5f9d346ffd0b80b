"""What the triage API views share beyond ``core.api`` (``require``, ``validated``) and
``directory.api.shared`` (audited reads and lists, the POST-an-action view): the words of a
refusal."""

from __future__ import annotations

REFUSED = "You cannot do this to this record."
