"""The site-scoring grids, kept as data files in data/grilles/ (see spec criteres-sites.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from rebond_core.config import DOSSIER_GRILLES
from rebond_core.erreurs import GrilleInvalide


@dataclass(frozen=True)
class Critere:
    code: str
    libelle: str
    description: str
    poids: Decimal
    seuil: int | None


@dataclass(frozen=True)
class Grille:
    code: str
    libelle: str
    note: str
    par_defaut: bool
    criteres: tuple[Critere, ...]


def _lire_csv(chemin: Path) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as flux:
        return list(csv.DictReader(flux))


def _critere(ligne: dict[str, str], fichier: str) -> Critere:
    poids = Decimal(ligne["poids"])
    if poids < 0:
        raise GrilleInvalide(f"{fichier} : poids négatif pour {ligne['code']}.")
    seuil = int(ligne["seuil"]) if ligne.get("seuil") else None
    if seuil is not None and not 0 <= seuil <= 5:
        raise GrilleInvalide(f"{fichier} : seuil hors de 0 à 5 pour {ligne['code']}.")
    return Critere(ligne["code"], ligne["libelle"], ligne["description"], poids, seuil)


@cache
def grilles(dossier: Path = DOSSIER_GRILLES) -> dict[str, Grille]:
    """Every grid listed in grilles.csv, validated: unique codes, weights ≥ 0, at least one > 0."""
    resultat: dict[str, Grille] = {}
    for ligne in _lire_csv(dossier / "grilles.csv"):
        criteres = tuple(_critere(c, ligne["fichier"]) for c in _lire_csv(dossier / ligne["fichier"]))
        codes = [c.code for c in criteres]
        if len(set(codes)) != len(codes):
            raise GrilleInvalide(f"{ligne['fichier']} : code de critère en double.")
        if not any(c.poids > 0 for c in criteres):
            raise GrilleInvalide(f"{ligne['fichier']} : au moins un poids doit être strictement positif.")
        resultat[ligne["code"]] = Grille(
            ligne["code"], ligne["libelle"], ligne["note"], ligne["par_defaut"] == "oui", criteres
        )
    return resultat


def codes_criteres() -> list[str]:
    """Every criterion code of every grid, in file order, once each (the sites' score columns)."""
    return list(dict.fromkeys(c.code for g in grilles().values() for c in g.criteres))
