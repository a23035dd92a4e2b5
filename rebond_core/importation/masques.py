"""Rules read on a block's columns (validation.BlocNeuf): which rows may break a rule, and sums of amounts.

Each condition is computed once per distinct value of a column, then spread to the rows by their codes
(colonnes.ValeursCodees): no Python code runs per row. A mask may flag rows that break no rule, never
miss one: the rows it flags go through the very per-row rules of regles.py, which alone write the report.
Amounts are summed exactly, in whole cents (int64), or not at all (None: the caller then reads the rows).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from rebond_core.importation.validation import ColonneLue

Masque = npt.NDArray[np.bool_]
Centimes = npt.NDArray[np.int64]

_SOMME_MAX = 2**62  # a sum of int64 cents stays exact below this


def par_ligne(colonne: ColonneLue, condition: Callable[[Any], bool]) -> Masque:
    """`condition(valeur)` for each row, computed once per distinct value."""
    if colonne.codees is None:  # values changed since the reading (rounded): row by row
        return np.fromiter(map(condition, colonne.valeurs), dtype=np.bool_, count=len(colonne.valeurs))
    distinctes = colonne.codees.valeurs
    par_valeur = np.fromiter(map(condition, distinctes), dtype=np.bool_, count=len(distinctes))
    return par_valeur[colonne.codees.codes]


def _en_centimes(valeur: Any) -> int | None:
    """An amount (Decimal or None = 0) in whole cents, or None when it is not a whole number of cents."""
    if valeur is None:
        return 0
    if not isinstance(valeur, Decimal) or not valeur.is_finite():
        return None
    centimes = valeur.scaleb(2)
    return int(centimes) if centimes == centimes.to_integral_value() else None


def centimes(colonne: ColonneLue) -> Centimes | None:
    """Each row's amount in cents (missing = 0), or None when a value is not a whole number of cents or
    the column could sum beyond exact int64 arithmetic."""
    valeurs = colonne.codees.valeurs if colonne.codees is not None else colonne.valeurs
    en_centimes = [_en_centimes(valeur) for valeur in valeurs]
    if any(c is None for c in en_centimes):
        return None
    tableau = np.array(en_centimes, dtype=object)
    if len(tableau) and int(np.abs(tableau).max()) * max(len(colonne.valeurs), 1) >= _SOMME_MAX:
        return None
    entiers = tableau.astype(np.int64)
    return entiers[colonne.codees.codes] if colonne.codees is not None else entiers


def groupes(colonne: ColonneLue) -> tuple[list[Any], npt.NDArray[np.intp]]:
    """The column's distinct values in order of first row, and each row's rank among them. Two cells
    that validation read as one value (` a` and `a`) are one group."""
    valeurs = colonne.codees.valeurs if colonne.codees is not None else colonne.valeurs
    rangs: dict[Any, int] = {}
    par_valeur = np.fromiter(
        (rangs.setdefault(valeur, len(rangs)) for valeur in valeurs), dtype=np.intp, count=len(valeurs)
    )
    par_ligne_ = par_valeur[colonne.codees.codes] if colonne.codees is not None else par_valeur
    # Renumber the groups that have rows in order of their first row (two distinct cells may be one value,
    # and a distinct cell may have no row left after duplicates were set aside).
    presents, premieres = np.unique(par_ligne_, return_index=True)
    ordre = presents[np.argsort(premieres, kind="stable")]
    nouveaux = np.full(len(rangs), -1, dtype=np.intp)
    nouveaux[ordre] = np.arange(len(ordre))
    valeurs_groupes = list(rangs)
    return [valeurs_groupes[i] for i in ordre], nouveaux[par_ligne_]


def sommes_par_groupe(
    groupes_des_lignes: npt.NDArray[np.intp], nombre: int, montants: Centimes, garder: Masque
) -> Centimes:
    """Per group, the sum of the amounts of the rows kept (exact int64 cents)."""
    sommes = np.zeros(nombre, dtype=np.int64)
    np.add.at(sommes, groupes_des_lignes[garder], montants[garder])
    return sommes


def en_euros(centimes_: int) -> Decimal:
    """Cents back to an exact amount with two decimals, as the import's amounts are."""
    return Decimal(int(centimes_)).scaleb(-2)
