"""The state of the versioned tables as Python rows (dicts keyed by the table's key), and how a row
of the import is stored: each column as is, except the columns gathered into one JSON column."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from rebond_core.db import Base
from rebond_core.importation.definitions import definitions

Ligne = dict[str, Any]
Etat = dict[str, dict[Any, Ligne]]


@dataclass(frozen=True)
class ColonneJson:
    """A stored JSON object gathering the import's columns named `<prefixe><code>` as {code: value}
    (the empty ones left out, keys sorted)."""

    nom: str
    prefixe: str


# The one place where the stored shape of a table differs from the import's: per table, its JSON columns.
COLONNES_JSON: dict[str, tuple[ColonneJson, ...]] = {"sites": (ColonneJson("scores", "score_"),)}

# Table names below come from definitions(), never from user input.


@cache
def _rassemblees(table: str) -> tuple[tuple[ColonneJson, tuple[str, ...]], ...]:
    """Each JSON column of `table` with the import's columns it gathers."""
    colonnes = definitions()[table].colonnes
    return tuple((j, tuple(c for c in colonnes if c.startswith(j.prefixe))) for j in COLONNES_JSON.get(table, ()))


@cache
def colonnes_stockees(table: str) -> tuple[str, ...]:
    """The stored columns of a versioned table, in the database's order (JSON columns last)."""
    rassemblees = {c for _, colonnes in _rassemblees(table) for c in colonnes}
    return tuple(c for c in definitions()[table].colonnes if c not in rassemblees) + tuple(
        json_.nom for json_, _ in _rassemblees(table)
    )


def depuis_stockage(table: str, ligne: Ligne) -> Ligne:
    """A stored row as the import sees it (each JSON column spread into its columns; absent = None)."""
    for json_, colonnes in _rassemblees(table):
        valeurs = json.loads(ligne.pop(json_.nom) or "{}")
        for colonne in colonnes:
            ligne[colonne] = valeurs.get(colonne.removeprefix(json_.prefixe))
    return ligne


def vers_stockage(table: str, ligne: Ligne) -> Ligne:
    """A row as stored: its stored columns, each JSON column as one text with sorted keys."""
    resultat = {c: ligne.get(c) for c in colonnes_stockees(table)}
    for json_, colonnes in _rassemblees(table):
        valeurs = {c.removeprefix(json_.prefixe): ligne[c] for c in colonnes if ligne.get(c) is not None}
        resultat[json_.nom] = json.dumps(valeurs, sort_keys=True)
    return resultat


def lignes_stockees(table: str, lignes: list[Ligne]) -> list[Ligne]:
    """Rows as stored; the rows themselves for a table without JSON column (a writer reads the stored
    columns of each, and copying a large import row by row would cost for nothing)."""
    return [vers_stockage(table, ligne) for ligne in lignes] if COLONNES_JSON.get(table) else lignes


def lire_etat(base: Base, version: int | None = None, tables: list[str] | None = None) -> Etat:
    """Every row of each table as of `version` (current when None), keyed by the table's key."""
    etat: Etat = {}
    for table in tables or list(definitions()):
        colonnes = colonnes_stockees(table)
        if version is None:
            requete = f"select {', '.join(colonnes)} from {table} where v_to is null"
            lignes = base.lignes(requete)
        else:
            requete = f"select {', '.join(colonnes)} from {table}_a($v)"
            lignes = base.lignes(requete, {"v": version})
        cle = definitions()[table].cle
        etat[table] = {}
        for valeurs in lignes:
            ligne = depuis_stockage(table, dict(zip(colonnes, valeurs, strict=True)))
            etat[table][ligne[cle]] = ligne
    return etat
