"""French formats for everything a user reads: 1 234,5 M€, 12,3 %, 14/11/2022."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ESPACE_MILLIERS = "\u202f"  # narrow no-break space, as the French typographic norm
ESPACE_UNITE = "\u00a0"


def nombre(valeur: Any, decimales: int = 0) -> str:
    """12345.67 → '12 345,7' with `decimales` digits after the comma (half up)."""
    if valeur is None:
        return "—"
    arrondi = Decimal(str(valeur)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    signe = "-" if arrondi < 0 else ""
    entier, _, fraction = f"{abs(arrondi):f}".partition(".")
    groupes = f"{int(entier):,}".replace(",", ESPACE_MILLIERS)
    return f"{signe}{groupes},{fraction}" if fraction else f"{signe}{groupes}"


def euros(valeur: Any, decimales: int = 0) -> str:
    """12345 → '12 345 €'."""
    return "—" if valeur is None else f"{nombre(valeur, decimales)}{ESPACE_UNITE}€"


def millions_euros(valeur: Any, decimales: int = 1) -> str:
    """1234500000 → '1 234,5 M€'."""
    return "—" if valeur is None else f"{nombre(Decimal(str(valeur)) / Decimal(1_000_000), decimales)}{ESPACE_UNITE}M€"


def pourcentage(valeur: Any, decimales: int = 1) -> str:
    """0.1234 → '12,3 %'."""
    return "—" if valeur is None else f"{nombre(Decimal(str(valeur)) * 100, decimales)}{ESPACE_UNITE}%"


def date_fr(valeur: date | datetime | None) -> str:
    """A date as 14/11/2022 (with the time, 14/11/2022 à 10:05, for a datetime)."""
    if valeur is None:
        return "—"
    if isinstance(valeur, datetime):
        return valeur.strftime("%d/%m/%Y à %H:%M")
    return valeur.strftime("%d/%m/%Y")


def valeur_lisible_cellule(valeur: Any) -> str:
    """A stored value as a user reads it in a preview (old → new)."""
    if valeur is None:
        return "(vide)"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return nombre(valeur, 2 if valeur != valeur.to_integral_value() else 0)
    if isinstance(valeur, (date, datetime)):
        return date_fr(valeur)
    if isinstance(valeur, list):
        return " ; ".join(str(v) for v in valeur)
    return str(valeur)
