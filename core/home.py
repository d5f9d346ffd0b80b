"""The home page's sections. Each app registers, from its ``AppConfig.ready()``, a function
``(request) -> list[HomeCard]`` that says what needs the signed-in user now; the home page
shows every card of every section, in the order the apps registered them.

Counts come from summaries or small indexed counts, never a COUNT over the queue: the home
page is the one every user opens first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomeLink:
    """One line of a card's list: a patient waiting longest, a referral returned."""

    text: str
    url: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class HomeCard:
    """What needs the user: a count, a sentence that says it ("17 questions from consultants
    await your reply"), and the link to act on it."""

    title: str
    sentence: str
    url: str | None = None
    link_text: str = ""
    count: int | None = None
    links: tuple[HomeLink, ...] = field(default_factory=tuple)
    testid: str = ""


_sections: list[Callable] = []


def register_home_section(section: Callable) -> Callable:
    """Add a function ``(request) -> list[HomeCard]`` to the home page."""
    if section not in _sections:
        _sections.append(section)
    return section


def home_cards(request) -> list[HomeCard]:
    cards: list[HomeCard] = []
    for section in _sections:
        cards.extend(section(request))
    return cards


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 referral", "2 referrals", "no referrals": a count and its noun, agreed."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {noun}" if count else f"no {noun}"


def with_article(noun: str) -> str:
    """ "an ICB manager", "an Administrator", "a GP": the article goes by the sound; the
    initialisms we use that start with a vowel sound are listed, since "ICB" reads "eye"."""
    first = noun[:1].lower()
    initialism = noun.split(" ")[0].isupper() and len(noun.split(" ")[0]) > 1
    vowel_sound = first in "aeiou" or (initialism and first in "fhlmnrsx")
    if initialism and first == "u":
        vowel_sound = False  # "a UK …": "you"
    return f"{'an' if vowel_sound else 'a'} {noun}"
