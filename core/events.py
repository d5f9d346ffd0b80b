"""Domain events between apps that must not import each other.

An app that records something others act on (a diagnostic result, a discharge) publishes an
event by name, inside the transaction that recorded it; an app that reacts (contracts opening an
obligation) subscribes from its ``AppConfig.ready()``. Subscribers run in the publisher's
transaction, so the reaction and the change commit or roll back together, and a subscriber's
error refuses the change.

Events are named ``"<app>.<what happened>"`` and documented where they are published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Subscriber = Callable[..., None]

_subscribers: dict[str, list[Subscriber]] = {}


def subscribe(event: str, subscriber: Subscriber) -> Subscriber:
    """Call ``subscriber(**payload)`` whenever ``event`` is published. Idempotent."""
    subscribers = _subscribers.setdefault(event, [])
    if subscriber not in subscribers:
        subscribers.append(subscriber)
    return subscriber


def publish(event: str, **payload: Any) -> None:
    """Tell every subscriber of ``event``, in subscription order, in the caller's transaction."""
    for subscriber in _subscribers.get(event, ()):
        subscriber(**payload)
