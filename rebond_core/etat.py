"""The state of the versioned tables as Python rows (dicts keyed by the table's key)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rebond_core.db import Base
from rebond_core.importation.definitions import definitions

Ligne = dict[str, Any]
Etat = dict[str, dict[Any, Ligne]]

# Table names below come from definitions(), never from user input.


@cache
def colonnes_stockees(table: str) -> tuple[str, ...]:
    """The stored columns of a versioned table, in the database's order."""
    colonnes = tuple(c for c in definitions()[table].colonnes if not c.startswith("score_"))
    return colonnes + ("scores",) if table == "sites" else colonnes


def depuis_stockage(table: str, ligne: Ligne) -> Ligne:
    """A stored row as the import sees it (a site's JSON scores spread into score_<code> columns)."""
    if table != "sites":
        return ligne
    scores = json.loads(ligne.pop("scores") or "{}")
    for colonne in definitions()["sites"].colonnes:
        if colonne.startswith("score_"):
            ligne[colonne] = scores.get(colonne.removeprefix("score_"))
    return ligne


def vers_stockage(table: str, ligne: Ligne) -> Ligne:
    """A row as stored (a site's assessed scores gathered into one JSON text with sorted keys)."""
    if table != "sites":
        return {c: ligne.get(c) for c in colonnes_stockees(table)}
    scores = {c.removeprefix("score_"): v for c, v in ligne.items() if c.startswith("score_") and v is not None}
    resultat = {c: ligne.get(c) for c in colonnes_stockees(table) if c != "scores"}
    resultat["scores"] = json.dumps(scores, sort_keys=True)
    return resultat


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
