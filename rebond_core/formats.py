"""French formats for everything a user reads: 1 234,5 M€, 12,3 %, 14/11/2022."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ESPACE_MILLIERS = "\u202f"  # narrow no-break space, as the French typographic norm
ESPACE_UNITE = "\u00a0"
VIDE = "—"  # a missing value, everywhere a person reads one

# The units of the indicator registry (rebond_core.indicateurs) and how each is shown.
EUROS, NOMBRE, EMPLOIS, TAUX, RATIO = "€", "nombre", "emplois", "taux", "ratio"
SEUIL_MILLIONS_EUR = 100_000  # from this amount on, euros are shown in M€


def nombre(valeur: Any, decimales: int = 0) -> str:
    """12345.67 → '12 345,7' with `decimales` digits after the comma (half up)."""
    if valeur is None:
        return VIDE
    arrondi = Decimal(str(valeur)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    signe = "-" if arrondi < 0 else ""
    entier, _, fraction = f"{abs(arrondi):f}".partition(".")
    groupes = f"{int(entier):,}".replace(",", ESPACE_MILLIERS)
    return f"{signe}{groupes},{fraction}" if fraction else f"{signe}{groupes}"


def euros(valeur: Any, decimales: int = 0) -> str:
    """12345 → '12 345 €'."""
    return VIDE if valeur is None else f"{nombre(valeur, decimales)}{ESPACE_UNITE}€"


def millions_euros(valeur: Any, decimales: int = 1) -> str:
    """1234500000 → '1 234,5 M€'."""
    return VIDE if valeur is None else f"{nombre(Decimal(str(valeur)) / Decimal(1_000_000), decimales)}{ESPACE_UNITE}M€"


def pourcentage(valeur: Any, decimales: int = 1) -> str:
    """0.1234 → '12,3 %'."""
    return VIDE if valeur is None else f"{nombre(Decimal(str(valeur)) * 100, decimales)}{ESPACE_UNITE}%"


def date_fr(valeur: date | datetime | None) -> str:
    """A date as 14/11/2022 (with the time, 14/11/2022 à 10:05, for a datetime)."""
    if valeur is None:
        return VIDE
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


def indicateur(valeur: Any, unite: str) -> str:
    """An indicator's value by its unit, the same on the pages, in the command line and in reports:
    € → '12 345 €' below 100 000 €, else M€ (2 decimals below 10 M€: '1,25 M€', else 1: '62,0 M€');
    taux → '12,3 %'; ratio → one decimal; counts and jobs → whole numbers."""
    if valeur is None:
        return VIDE
    if unite == EUROS:
        montant = abs(float(valeur))
        if montant < SEUIL_MILLIONS_EUR:
            return euros(valeur)
        return millions_euros(valeur, 2 if montant < 10_000_000 else 1)
    if unite == TAUX:
        return pourcentage(valeur)
    if unite == RATIO:
        return nombre(valeur, 1)
    return nombre(valeur)
