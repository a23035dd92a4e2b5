"""French formats for everything a person reads: 1 234,5 M€, 12,3 %, 14/11/2022.

The one door for numbers and dates shown on the pages, in the command line, in import reports and
messages, and in exports. Thousands are separated by a narrow no-break space (U+202F), units by a
no-break space (U+00A0), decimals by a comma; rounding is half up (0,05 → 0,1). A missing value
(None or NaN) reads `VIDE` everywhere."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ESPACE_MILLIERS = "\u202f"  # narrow no-break space, as the French typographic norm
ESPACE_UNITE = "\u00a0"
VIDE = "—"  # a missing value, everywhere a person reads one
VIDE_CELLULE = "(vide)"  # an empty cell in an import preview (old → new)
FORMAT_DATE = "%d/%m/%Y"  # strftime / pandas `date_format`
FORMAT_DATE_EXCEL = "dd/mm/yyyy"  # the same, as an Excel number format for XLSX exports

# The units of the indicator registry (rebond_core.indicateurs) and how each is shown.
EUROS, NOMBRE, EMPLOIS, TAUX, RATIO = "€", "nombre", "emplois", "taux", "ratio"
SEUIL_MILLIONS_EUR = 100_000  # from this amount on, euros are shown in M€


def manquante(valeur: Any) -> bool:
    """Whether a value is missing: None, a float or Decimal NaN (what pandas puts in an empty numeric cell),
    or pandas' NaT and NA (named by type, so that this module does not import pandas). Every formatter
    below shows a missing value as VIDE: callers need no check of their own."""
    if valeur is None or type(valeur).__name__ in ("NaTType", "NAType"):
        return True
    if isinstance(valeur, Decimal):
        return valeur.is_nan()
    return isinstance(valeur, float) and math.isnan(valeur)


def nombre(valeur: Any, decimales: int | None = 0) -> str:
    """12345.67 → '12 345,7' with `decimales` digits after the comma (half up); `decimales=None` keeps
    every decimal the value has, at least two when it is not whole: 1234.5 → '1 234,50', 5000 → '5 000',
    12.3456 → '12,3456'. Negatives take a hyphen-minus ('-0,1'), so the text reads back as a number."""
    if manquante(valeur):
        return VIDE
    exact = Decimal(str(valeur))
    if decimales is None:
        entiere = exact == exact.to_integral_value()
        decimales = 0 if entiere else max(2, -int(exact.normalize().as_tuple().exponent))
    arrondi = exact.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    signe = "-" if arrondi < 0 else ""
    entier, _, fraction = f"{abs(arrondi):f}".partition(".")
    groupes = f"{int(entier):,}".replace(",", ESPACE_MILLIERS)
    return f"{signe}{groupes},{fraction}" if fraction else f"{signe}{groupes}"


def euros(valeur: Any, decimales: int | None = 0) -> str:
    """12345 → '12 345 €' (`decimales` as in `nombre`: None keeps the cents when there are some)."""
    return VIDE if manquante(valeur) else f"{nombre(valeur, decimales)}{ESPACE_UNITE}€"


def millions_euros(valeur: Any, decimales: int = 1) -> str:
    """1234500000 → '1 234,5 M€'."""
    if manquante(valeur):
        return VIDE
    return f"{nombre(Decimal(str(valeur)) / Decimal(1_000_000), decimales)}{ESPACE_UNITE}M€"


def pourcentage(valeur: Any, decimales: int = 1) -> str:
    """0.1234 → '12,3 %' (the value is a fraction)."""
    return VIDE if manquante(valeur) else f"{nombre(Decimal(str(valeur)) * 100, decimales)}{ESPACE_UNITE}%"


def date_fr(valeur: Any) -> str:
    """A date as 14/11/2022 (with the time, 14/11/2022 à 10:05, for a datetime that is not at midnight:
    pandas reads a date column as midnight Timestamps); missing (None, NaT, NaN) → VIDE."""
    if manquante(valeur):
        return VIDE
    if isinstance(valeur, datetime) and valeur.time() != time():  # a date read by pandas is at midnight
        return valeur.strftime(f"{FORMAT_DATE} à %H:%M")
    return valeur.strftime(FORMAT_DATE)


def indicateur(valeur: Any, unite: str) -> str:
    """An indicator's value by its unit, the same on the pages, in the command line and in reports:
    € → '12 345 €' below 100 000 €, else M€ (2 decimals below 10 M€: '1,25 M€', else 1: '62,0 M€');
    taux → '12,3 %'; ratio → one decimal; counts and jobs → whole numbers."""
    if manquante(valeur):
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


def valeur_lisible_cellule(valeur: Any, vide: str = VIDE_CELLULE) -> str:
    """A cell's value as a person reads it, in an import report ("valeur trouvée") or preview (old → new).

    - empty (None, NaN, blank text, empty list) → `vide`;
    - a number read from a workbook cell (int, float) as Excel's General format shows it, without
      thousands separator (it may be a year or a code): -5000.0 → '-5000', 12.5 → '12,5';
    - a Decimal (a value as the import understood it) as `nombre(valeur, None)`: '1 234,50', '5 000';
    - True/False → 'oui'/'non'; a date → '14/11/2022' (a datetime at midnight is a date; otherwise
      '14/11/2022 à 10:05'); a list → 'a ; b'; anything else as its text."""
    if manquante(valeur):
        return vide
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return nombre(valeur, None)
    if isinstance(valeur, float) and math.isfinite(valeur):
        return str(int(valeur)) if valeur.is_integer() else f"{Decimal(repr(valeur)):f}".replace(".", ",")
    if isinstance(valeur, datetime):
        return date_fr(valeur.date() if valeur.time() == time() else valeur)
    if isinstance(valeur, date):
        return date_fr(valeur)
    if isinstance(valeur, (list, tuple)):
        valeur = " ; ".join(str(v) for v in valeur)
    texte = _CONTROLES.sub(_caractere_visible, str(valeur))
    if len(texte) > TEXTE_LU_MAX:
        texte = f"{texte[:TEXTE_LU_MAX]}… ({nombre(len(texte))} caractères)"
    return texte if texte.strip() else vide


TEXTE_LU_MAX = 200  # characters of a value shown in a report or a preview
_CONTROLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _caractere_visible(trouve: re.Match[str]) -> str:
    """A control character as its visible picture (U+0000 → ␀, ESC → ␛), never sent to a terminal as is."""
    code = ord(trouve.group())
    return chr(0x2400 + code) if code < 0x20 else ("\u2421" if code == 0x7F else "\ufffd")
