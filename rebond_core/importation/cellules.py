"""Reading one cell the way French office files write it (see the contract's cell conventions).

Each parser takes what a reader returns (str, int, float, bool, date, datetime or None) and returns
the typed value, or raises `CelluleInvalide` with a stable code. Empty text is always None.

en_bloc.py reads the simplest cells of some kinds (plain text, digits, `1234,50`, `01/02/2023`, `oui`)
without these parsers: a change here must keep its simple readers within what the parser accepts
(tests/test_import_rapide.py compares them).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from rebond_core.domaine import ENUMERATIONS, trouver_code
from rebond_core.formats import nombre

# The bounds of the contract's cell kinds: whatever validates can be stored (decimal(18, 2), integer,
# date) and shown by the pages.
ENTIER_MAX = 2_147_483_647
MONTANT_MAX_EUR = Decimal(10) ** 12  # excluded
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
_CHIFFRES_ENTIER_MAX = len(str(ENTIER_MAX))
_CHIFFRES_MONTANT_MAX = 12
# C0 and C1 control characters, DEL, but not tab and line breaks; the invisible and bidirectional
# characters that keys refuse on top of them (zero-width, BOM, LRM/RLM, embeddings and isolates).
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")

ESPACES = "\u00a0\u202f\u2007"
_ESPACES_TABLE = str.maketrans({c: " " for c in ESPACES})
_ENTIER = re.compile(r"^[+-]?\d{1,3}( \d{3})+$|^[+-]?\d+$")
_ENTIER_DECIMAL_NUL = re.compile(r"^([+-]?\d+)[.,]0+$")
_MONTANT = re.compile(r"^([+-]?(?:\d{1,3}(?: \d{3})+|\d+))(?:[.,](\d+))?$")
_SUFFIXE_EURO = re.compile(r"\s*(€|eur|euros?)$", re.IGNORECASE)
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$")
_ERREURS_EXCEL = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#REF!",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#N/D",
        "#DIV/0",
        "#REF",
        "#VALEUR!",
        "#NOM?",
        "#NOMBRE!",
        "#NUL!",
    }
)
_VRAI = frozenset({"oui", "vrai", "1", "x", "true", "o", "yes"})
_FAUX = frozenset({"non", "faux", "0", "false", "n", "no"})
_EPOQUE_EXCEL = date(1899, 12, 30)


class _FormuleSansValeur:
    """A formula cell whose value Excel never computed (file written by a program, not saved by Excel)."""

    def __repr__(self) -> str:
        return "=formule"

    def __str__(self) -> str:
        return "=formule"


FORMULE_SANS_VALEUR = _FormuleSansValeur()


class CelluleInvalide(ValueError):
    """A cell that does not follow the contract; `code` names the rule, `contexte` fills the message."""

    def __init__(self, code: str, **contexte: object) -> None:
        super().__init__(code)
        self.code = code
        self.contexte = contexte


def nom_caractere(caractere: str) -> str:
    """'U+200B (ZERO WIDTH SPACE)': how the report names an unwanted character."""
    nom = unicodedata.name(caractere, "")
    return f"U+{ord(caractere):04X}" + (f" ({nom})" if nom else "")


def caractere_invisible(texte: str) -> str | None:
    """The first invisible, bidirectional or control character of a key, named; None when clean."""
    trouve = _INVISIBLE.search(texte)
    return nom_caractere(trouve.group()) if trouve else None


def normaliser_espaces(texte: str) -> str:
    """Non-breaking and narrow spaces as ordinary spaces, trimmed."""
    return texte.translate(_ESPACES_TABLE).strip()


def lire_texte(valeur: object) -> str | None:
    """Trimmed text; empty is None; an integral number from Excel is written without '.0'."""
    if valeur is None:
        return None
    if valeur is FORMULE_SANS_VALEUR:
        raise CelluleInvalide("formule-sans-valeur")
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float):
        valeur = int(valeur) if valeur.is_integer() else valeur
    if isinstance(valeur, datetime):
        valeur = valeur.date()
    if isinstance(valeur, date):
        return valeur.isoformat()
    resultat = normaliser_espaces(str(valeur))
    controle = _CONTROLE.search(resultat)
    if controle:
        raise CelluleInvalide("caractere-controle", caractere=nom_caractere(controle.group()))
    if resultat in _ERREURS_EXCEL:
        raise CelluleInvalide("erreur-excel", valeur=resultat)
    return resultat or None


def lire_entier(valeur: object) -> int | None:
    """`12`, `1 250` (any space as thousands separator), `12.0` from Excel."""
    if isinstance(valeur, bool):
        raise CelluleInvalide("entier-invalide")
    if isinstance(valeur, int):
        return _entier_borne(valeur)
    if isinstance(valeur, float):
        if valeur.is_integer():
            return _entier_borne(int(valeur))
        raise CelluleInvalide("entier-invalide")
    brut = lire_texte(valeur)
    if brut is None:
        return None
    nul = _ENTIER_DECIMAL_NUL.match(brut)
    chiffres = brut.replace(" ", "") if _ENTIER.match(brut) else (nul.group(1) if nul else None)
    if chiffres is None:
        raise CelluleInvalide("entier-invalide")
    if len(chiffres.lstrip("+-").lstrip("0")) > _CHIFFRES_ENTIER_MAX:  # before int(): 5 000 digits stay cheap
        raise CelluleInvalide("valeur-trop-grande", max=nombre(ENTIER_MAX))
    return _entier_borne(int(chiffres))


def _entier_borne(entier: int) -> int:
    """Integers are stored on 32 bits: beyond ±2 147 483 647 is an error (negatives are the model's)."""
    if entier > ENTIER_MAX:
        raise CelluleInvalide("valeur-trop-grande", max=nombre(ENTIER_MAX))
    if entier < -ENTIER_MAX:
        raise CelluleInvalide("valeur-negative")
    return entier


def lire_montant(valeur: object) -> Decimal | None:
    """An amount in euros, exact to the cent: `1 234 567,50 €`, `1234567.5`, `12 EUR`."""
    if isinstance(valeur, bool):
        raise CelluleInvalide("montant-invalide")
    if isinstance(valeur, int):
        return _montant_borne(Decimal(valeur))
    if isinstance(valeur, float):
        return _decimal_depuis_flottant(valeur)
    brut = lire_texte(valeur)
    if brut is None:
        return None
    brut = _SUFFIXE_EURO.sub("", brut)
    correspondance = _MONTANT.match(brut)
    if not correspondance:
        raise CelluleInvalide("montant-invalide")
    entiere, decimales = correspondance.group(1).replace(" ", ""), correspondance.group(2) or "0"
    if len(decimales.rstrip("0")) > 2:
        raise CelluleInvalide("montant-decimales")
    if len(entiere.lstrip("+-").lstrip("0")) > _CHIFFRES_MONTANT_MAX:  # before Decimal arithmetic
        raise CelluleInvalide("montant-trop-grand")
    return _montant_borne(Decimal(f"{entiere}.{decimales[:2]}").quantize(Decimal("0.01")))


def _montant_borne(montant: Decimal) -> Decimal:
    """Amounts are below 10^12 € (stored as decimal(18, 2), summed over a whole programme)."""
    if abs(montant) >= MONTANT_MAX_EUR:
        raise CelluleInvalide("montant-trop-grand")
    return montant


def _decimal_depuis_flottant(valeur: float) -> Decimal:
    """A float read from a numeric cell, as the cent amount it stands for."""
    try:
        exact = Decimal(repr(valeur))
    except InvalidOperation as erreur:  # nan, inf
        raise CelluleInvalide("montant-invalide") from erreur
    if not exact.is_finite():
        raise CelluleInvalide("montant-invalide")
    _montant_borne(exact)
    arrondi = exact.quantize(Decimal("0.01"))
    if abs(arrondi - exact) > Decimal("0.000001"):
        raise CelluleInvalide("montant-decimales")
    return arrondi


def lire_nombre(valeur: object) -> Decimal | None:
    """A decimal number (surface in hectares): `12,5`, `12.5`, `1 250,75`."""
    if isinstance(valeur, bool):
        raise CelluleInvalide("nombre-invalide")
    if isinstance(valeur, (int, float)):
        try:
            resultat = Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(valeur)
        except InvalidOperation as erreur:
            raise CelluleInvalide("nombre-invalide") from erreur
        if not resultat.is_finite():
            raise CelluleInvalide("nombre-invalide")
        return resultat
    brut = lire_texte(valeur)
    if brut is None:
        return None
    correspondance = _MONTANT.match(brut)
    if not correspondance:
        raise CelluleInvalide("nombre-invalide")
    entiere, decimales = correspondance.group(1).replace(" ", ""), correspondance.group(2) or "0"
    return Decimal(f"{entiere}.{decimales}")


def lire_date(valeur: object) -> date | None:
    """`2023-02-01`, `01/02/2023` (day first), an Excel date cell or an Excel serial number, between
    01/01/1900 and 31/12/2100."""
    lue = _lire_date(valeur)
    if lue is not None and not DATE_MIN <= lue <= DATE_MAX:
        raise CelluleInvalide("date-hors-bornes")
    return lue


def _lire_date(valeur: object) -> date | None:
    if isinstance(valeur, datetime):
        return valeur.date()
    if isinstance(valeur, date):
        return valeur
    if isinstance(valeur, bool):
        raise CelluleInvalide("date-invalide")
    if isinstance(valeur, (int, float)):
        return _date_serie_excel(valeur)
    brut = lire_texte(valeur)
    if brut is None:
        return None
    iso = _DATE_ISO.match(brut)
    if iso:
        return _date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    francaise = _DATE_FR.match(brut)
    if francaise:
        return _date(int(francaise.group(3)), int(francaise.group(2)), int(francaise.group(1)))
    if re.fullmatch(r"\d{5}(\.0+)?", brut):
        return _date_serie_excel(float(brut))
    raise CelluleInvalide("date-invalide")


def _date(annee: int, mois: int, jour: int) -> date:
    try:
        return date(annee, mois, jour)
    except ValueError as erreur:
        raise CelluleInvalide("date-invalide") from erreur


def _date_serie_excel(serie: float) -> date:
    """An Excel serial day number (1900 system), for dates typed in a cell formatted as number."""
    if not float(serie).is_integer() or not 20000 <= serie <= 80000:
        raise CelluleInvalide("date-invalide")
    return _EPOQUE_EXCEL + timedelta(days=int(serie))


def lire_booleen(valeur: object) -> bool | None:
    """oui/non, vrai/faux, 1/0, x/empty, true/false; empty is None (the column's default)."""
    if isinstance(valeur, bool):
        return valeur
    if isinstance(valeur, (int, float)) and valeur in (0, 1):
        return bool(valeur)
    brut = lire_texte(valeur)
    if brut is None:
        return None
    replie = brut.lower()
    if replie in _VRAI:
        return True
    if replie in _FAUX:
        return False
    raise CelluleInvalide("booleen-invalide")


def lire_liste(valeur: object, virgule_admise: bool) -> list[str] | None:
    """Values separated by ';' (and ',' in an XLSX cell); empty parts dropped."""
    brut = lire_texte(valeur)
    if brut is None:
        return None
    separateurs = r"[;,]" if virgule_admise else r";"
    morceaux = [normaliser_espaces(m) for m in re.split(separateurs, brut)]
    return [m for m in morceaux if m] or None


def lire_code(enumeration: str, valeur: object) -> str | None:
    """The enumeration's code matched by code or French label (case, accents, separators folded)."""
    brut = lire_texte(valeur)
    if brut is None:
        return None
    code = trouver_code(enumeration, brut)
    if code is None:
        attendus = ", ".join(ENUMERATIONS[enumeration])
        raise CelluleInvalide("valeur-inconnue", attendus=attendus)
    return code


def siren_valide(siren: str) -> bool:
    """True when the 9-digit SIREN passes the Luhn check."""
    total = 0
    for position, chiffre in enumerate(reversed(siren)):
        valeur = int(chiffre) * (2 if position % 2 else 1)
        total += valeur - 9 if valeur > 9 else valeur
    return total % 10 == 0
