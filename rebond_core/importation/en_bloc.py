"""Reading a column's distinct values in bulk: the clearly valid ones without a pydantic call each.

`validation._lire_colonne` hands each column's distinct raw values to `lire_en_bloc`, which runs the
field's own validators (those of modeles.py: the cell parsers, then the rules) straight on the list of
values, and reads the simplest cells (`Douaisis`, `1250`, `1234,50`, `01/02/2023`, `oui`) without even
calling the parser. A pydantic call per value costs several times as much.

The invariant: **the bulk reading only accepts a value that the field's pydantic validator accepts, and
with the same result.** Anything doubtful — a validator refuses the value, a parser returns an unexpected
type, the field holds a validator this module does not know how to run — is marked `DOUTEUX` and goes
through pydantic, which alone writes the error details of the report. So a doubt costs time, never a
different report; tests/test_import_rapide.py compares both paths on the whole contract corpus and on
tricky cells.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import AfterValidator, BaseModel, BeforeValidator

from rebond_core.importation import cellules


class _Marque:
    def __init__(self, nom: str) -> None:
        self.nom = nom

    def __repr__(self) -> str:
        return self.nom


DOUTEUX: Any = _Marque("DOUTEUX")  # a value the bulk reading leaves to pydantic
_AUTRE: Any = _Marque("AUTRE")  # a cell too unusual for the simple readers: the parser reads it

Fonction = Callable[[Any], Any]


@dataclass(frozen=True)
class _Info:
    """What modeles.py's validators that take `info` read of pydantic's ValidationInfo: the context."""

    context: Any


@dataclass(frozen=True)
class _Etape:
    """One validator of a field: its function, whether it takes `info`, the cell parser it wraps (the
    `parseur` of modeles._cellule, for which a simple reader may exist), and its check of a whole column
    (the `tous_valides` of modeles._Regle: True only when every value passes unchanged)."""

    fonction: Callable[..., Any]
    avec_info: bool
    parseur: Fonction | None = None
    tous_valides: Callable[[list[Any]], bool] | None = None


@dataclass(frozen=True)
class _Chaine:
    """A field's validators in the order pydantic runs them: the before-validators (the last one written
    first), the check of the field's type, then the after-validators in the order written."""

    avant: tuple[_Etape, ...]
    types: tuple[type, ...]
    apres: tuple[_Etape, ...]


# The field types of modeles.py and the Python types of their values. pydantic returns such a value
# unchanged (a list: an equal copy); any other type is left to pydantic.
_TYPES: dict[Any, tuple[type, ...]] = {
    str | None: (str,),
    int | None: (int,),
    Decimal | None: (Decimal,),
    date | None: (date,),
    bool | None: (bool,),
    list[str] | None: (list,),
}


def lire_en_bloc(modele: type[BaseModel], colonne: str, brutes: list[Any], contexte: dict[str, Any]) -> list[Any]:
    """The value of each raw cell as the field's validator would return it, or DOUTEUX (then pydantic
    reads it). `brutes`: a column's distinct raw values; the result is in the same order."""
    chaine = _chaine(modele, colonne)
    if chaine is None:
        return [DOUTEUX] * len(brutes)
    info = _Info(contexte)
    valeurs = brutes
    for etape in chaine.avant:
        valeurs = _appliquer(etape, valeurs, info)
    valeurs = _de_types(valeurs, chaine.types)
    for etape in chaine.apres:
        valeurs = _appliquer(etape, valeurs, info)
    return valeurs


@cache
def _chaine(modele: type[BaseModel], colonne: str) -> _Chaine | None:
    """The field's validators in pydantic's order; None when the field holds anything else (a constraint
    such as max_length, a wrap validator): its column then goes through pydantic."""
    champ = modele.model_fields[colonne]
    types = _TYPES.get(champ.annotation)
    if types is None:
        return None
    avant: list[_Etape] = []
    apres: list[_Etape] = []
    for marque in champ.metadata:
        if _comme(marque, BeforeValidator):
            avant.insert(0, _etape(marque.func, parseur=getattr(marque, "parseur", None)))
        elif _comme(marque, AfterValidator):
            apres.append(_etape(marque.func, tous_valides=getattr(marque, "tous_valides", None)))
        else:
            return None
    return _Chaine(tuple(avant), types, tuple(apres))


def _comme(marque: Any, classe: type[BeforeValidator] | type[AfterValidator]) -> bool:
    """A validator of `classe`, or of a subclass that runs the same way (modeles.py's markers)."""
    comme_classe = type(marque).__get_pydantic_core_schema__ is classe.__get_pydantic_core_schema__
    return isinstance(marque, classe) and comme_classe


def _etape(
    fonction: Callable[..., Any],
    parseur: Fonction | None = None,
    tous_valides: Callable[[list[Any]], bool] | None = None,
) -> _Etape:
    """pydantic passes `info` to a validator with two positional parameters (value, info)."""
    positionnels = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parametres = [p for p in inspect.signature(fonction).parameters.values() if p.kind in positionnels]
    return _Etape(fonction, len(parametres) == 2, parseur, tous_valides)


def _appliquer(etape: _Etape, valeurs: list[Any], info: _Info) -> list[Any]:
    """One validator on every value still accepted: a cell parser through its simple reader when it has
    one, any other function value by value."""
    if etape.parseur is not None:
        return lire_cellules(etape.parseur, valeurs)
    if etape.tous_valides is not None and DOUTEUX not in valeurs and etape.tous_valides(valeurs):
        return valeurs
    if etape.avec_info:
        fonction = etape.fonction
        return _par_valeur(lambda valeur: fonction(valeur, info), valeurs)
    return _par_valeur(etape.fonction, valeurs)


def lire_cellules(parseur: Fonction, brutes: list[Any]) -> list[Any]:
    """`parseur` (a parser of cellules.py) on each raw cell, the simplest cells read by its simple reader;
    DOUTEUX where the parser refuses the cell (or the cell was already doubtful)."""
    simple = _LECTEURS_SIMPLES.get(parseur)
    if simple is None:
        return _par_valeur(parseur, brutes)
    lues = simple(brutes)
    if _AUTRE in lues:
        lues = [_essayer(parseur, brute) if lue is _AUTRE else lue for lue, brute in zip(lues, brutes, strict=True)]
    return lues


def _par_valeur(fonction: Fonction, valeurs: list[Any]) -> list[Any]:
    """`fonction` on each value; a value it refuses (ValueError, as pydantic counts refusals) is DOUTEUX."""
    if DOUTEUX not in valeurs:
        try:
            return list(map(fonction, valeurs))
        except (ValueError, AssertionError):
            pass  # one value at least is refused: find which, value by value
    return [_essayer(fonction, valeur) for valeur in valeurs]


def _essayer(fonction: Fonction, valeur: Any) -> Any:
    if valeur is DOUTEUX:
        return DOUTEUX
    try:
        return fonction(valeur)
    except (ValueError, AssertionError):  # CelluleInvalide and PydanticCustomError are ValueErrors
        return DOUTEUX


def _de_types(valeurs: list[Any], types: tuple[type, ...]) -> list[Any]:
    """pydantic's check of the field's type: None or exactly one of `types` (a list: of texts) passes."""
    if list not in types and set(map(type, valeurs)) <= {type(None), *types}:
        return valeurs
    return [valeur if valeur is None or _du_type(valeur, types) else DOUTEUX for valeur in valeurs]


def _du_type(valeur: Any, types: tuple[type, ...]) -> bool:
    if type(valeur) not in types:
        return False
    return type(valeur) is not list or all(type(element) is str for element in valeur)


# --- Simple readers: the commonest cells of each kind, read without the parser ------------------------
# Each takes raw cells and returns, for each, exactly what its parser returns, or _AUTRE when the cell is
# not of the simplest form (the parser then reads it). Only text cells are read here: numbers, dates
# and booleans typed by a workbook go to the parser.

_A_RETOUCHER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + cellules.ESPACES + "]")
_ENTIER_SIMPLE = re.compile(r"[0-9]{1,9}")  # below ENTIER_MAX whatever the digits
_MONTANT_SIMPLE = re.compile(r"([0-9]{1,12})(?:[.,]([0-9]{1,2}))?")  # below MONTANT_MAX_EUR, to the cent
_DATE_FR_SIMPLE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_DATE_ISO_SIMPLE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_CENTIME = Decimal("0.01")
_BOOLEENS_SIMPLES = {**dict.fromkeys(cellules._VRAI, True), **dict.fromkeys(cellules._FAUX, False)}


def _tel_quel(texte: str) -> bool:
    """True when `lire_texte(texte)` is `texte` itself: not empty, no space to trim at either end, no
    non-breaking or narrow space to normalise, no control character, not an Excel error."""
    return (
        texte != ""
        and not texte[0].isspace()
        and not texte[-1].isspace()
        and _A_RETOUCHER.search(texte) is None
        and texte not in cellules._ERREURS_EXCEL
    )


def textes_tels_quels(textes: Iterable[Any]) -> bool:
    """True when every value is a text that `lire_texte` returns unchanged (see `_tel_quel`), checked on
    the whole column at once: one scan of the joined texts, a trim and a set operation."""
    liste = list(textes)
    if not all(type(texte) is str for texte in liste) or "" in liste:
        return False
    return (
        _A_RETOUCHER.search("".join(liste)) is None
        and list(map(str.strip, liste)) == liste
        and cellules._ERREURS_EXCEL.isdisjoint(liste)
    )


def _vide(brute: Any) -> bool:
    return brute is None or brute == ""


def _textes(brutes: list[Any]) -> list[Any]:
    """lire_texte: a text read as itself; an empty cell is None."""
    if textes_tels_quels(brutes):
        return list(brutes)
    return [brute if type(brute) is str and _tel_quel(brute) else None if _vide(brute) else _AUTRE for brute in brutes]


def _entiers(brutes: list[Any]) -> list[Any]:
    """lire_entier: up to 9 ASCII digits."""
    return [_entier(brute) for brute in brutes]


def _entier(brute: Any) -> Any:
    if type(brute) is str and _ENTIER_SIMPLE.fullmatch(brute):
        return int(brute)
    return None if _vide(brute) else _AUTRE


def _montants(brutes: list[Any]) -> list[Any]:
    """lire_montant: up to 12 ASCII digits, and up to 2 decimals after a comma or a point."""
    return [_montant(brute) for brute in brutes]


def _montant(brute: Any) -> Any:
    lu = _MONTANT_SIMPLE.fullmatch(brute) if type(brute) is str else None
    if lu is None:
        return None if _vide(brute) else _AUTRE
    return Decimal(f"{lu.group(1)}.{lu.group(2) or '0'}").quantize(_CENTIME)  # as lire_montant writes it


def _dates(brutes: list[Any]) -> list[Any]:
    """lire_date: `jj/mm/aaaa` or `aaaa-mm-jj`, an existing day between DATE_MIN and DATE_MAX."""
    return [_date(brute) for brute in brutes]


def _date(brute: Any) -> Any:
    if type(brute) is not str:
        return None if brute is None else _AUTRE
    francaise = _DATE_FR_SIMPLE.fullmatch(brute)
    iso = None if francaise else _DATE_ISO_SIMPLE.fullmatch(brute)
    try:
        if francaise:
            lue = date(int(francaise.group(3)), int(francaise.group(2)), int(francaise.group(1)))
        elif iso:
            lue = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        else:
            return None if brute == "" else _AUTRE
    except ValueError:
        return _AUTRE
    return lue if cellules.DATE_MIN <= lue <= cellules.DATE_MAX else _AUTRE


def _booleens(brutes: list[Any]) -> list[Any]:
    """lire_booleen: oui, non, vrai, faux, 1, 0… written in lower case."""
    return [
        _BOOLEENS_SIMPLES.get(brute, _AUTRE) if type(brute) is str else None if brute is None else _AUTRE
        for brute in brutes
    ]


_LECTEURS_SIMPLES: dict[Fonction, Callable[[list[Any]], list[Any]]] = {
    cellules.lire_texte: _textes,
    cellules.lire_entier: _entiers,
    cellules.lire_montant: _montants,
    cellules.lire_date: _dates,
    cellules.lire_booleen: _booleens,
}
