"""The customers' people in the demo: a few named contacts per customer, unique usernames."""

from __future__ import annotations

import random

FIRST = (
    "Priya",
    "Lukas",
    "Amara",
    "Chen",
    "Sofia",
    "Mateo",
    "Hana",
    "Oskar",
    "Leila",
    "Tariq",
    "Ingrid",
    "Kofi",
    "Mei",
    "Rafael",
    "Yuki",
    "Nadia",
    "Emil",
    "Zara",
    "Arjun",
    "Greta",
    "Ines",
    "Joon",
    "Marta",
    "Noah",
)
LAST = (
    "Shah",
    "Becker",
    "Okonkwo",
    "Wei",
    "Rossi",
    "Alvarez",
    "Sato",
    "Lind",
    "Haddad",
    "Mensah",
    "Novak",
    "Kim",
    "Costa",
    "Dubois",
    "Iqbal",
    "Moreau",
    "Larsen",
    "Tan",
)
ROLES = 3  # a champion, an economic buyer, an engineer


def contacts_for(company: str, rng: random.Random, taken: set[str]) -> tuple[tuple[str, str], ...]:
    """(username, name) of the customer's contacts; usernames carry the company's first word."""
    suffix = company.split()[0].lower()
    found: list[tuple[str, str]] = []
    while len(found) < ROLES:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        username = f"{first.lower()}.{last.lower()}-{suffix}"
        if username in taken:
            continue
        taken.add(username)
        found.append((username, f"{first} {last}"))
    return tuple(found)
