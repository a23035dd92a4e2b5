"""Writing the bench's Markdown report: French decimals, durations, ratios, verdicts and tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def decimal_fr(valeur: float, decimales: int) -> str:
    """`valeur` with `decimales` decimals and a decimal comma, no thousands separator: 1234,5."""
    return f"{valeur:.{decimales}f}".replace(".", ",")


def ms(secondes: float, decimales: int = 1) -> str:
    """A duration in milliseconds."""
    return decimal_fr(secondes * 1000, decimales)


def s(secondes: float) -> str:
    """A duration in seconds, to the hundredth."""
    return decimal_fr(secondes, 2)


def x(ratio: float) -> str:
    """A ratio: 2,37 ×."""
    return decimal_fr(ratio, 2) + " ×"


def mo(octets: int) -> str:
    """A size in megabytes (10^6 bytes), to the tenth."""
    return decimal_fr(octets / 1e6, 1)


def verdict(atteinte: bool) -> str:
    """Whether a target is met, the miss in bold."""
    return "atteinte" if atteinte else "**manquée**"


def tableau(entetes: Sequence[str], lignes: Iterable[Sequence[str]], a_droite: Sequence[bool]) -> list[str]:
    """A Markdown table: header, alignment row (numbers right-aligned where `a_droite`), one row per line."""
    return [
        "| " + " | ".join(entetes) + " |",
        "| " + " | ".join("---:" if droite else "---" for droite in a_droite) + " |",
        *("| " + " | ".join(cellules) + " |" for cellules in lignes),
    ]
