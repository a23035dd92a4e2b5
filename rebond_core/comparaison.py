"""Comparing two versions: each indicator before and after, the projects whose status changed, and the
payments (contract 2) added, modified or removed."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from rebond_core.db import Base, sql
from rebond_core.domaine import NATURES_VERSEMENT, STATUTS_PROJET
from rebond_core.indicateurs import INDICATEURS, Filtres, calculer


def comparer_indicateurs(base: Base, avant: int, apres: int) -> pd.DataFrame:
    """One row per indicator: label, unit, value at `avant`, value at `apres`, difference."""
    valeurs_avant = calculer(base, Filtres(version=avant)).valeurs
    valeurs_apres = calculer(base, Filtres(version=apres)).valeurs
    lignes = []
    for indicateur in INDICATEURS:
        a, b = valeurs_avant[indicateur.cle], valeurs_apres[indicateur.cle]
        difference = None if a is None or b is None else Decimal(str(b)) - Decimal(str(a))
        lignes.append(
            {
                "cle": indicateur.cle,
                "indicateur": indicateur.libelle,
                "unite": indicateur.unite,
                "avant": a,
                "apres": b,
                "difference": difference,
            }
        )
    return pd.DataFrame(lignes)


def statuts_changes(base: Base, avant: int, apres: int) -> pd.DataFrame:
    """Projects whose status differs between the two versions (new or removed ones included)."""
    df = base.df(sql("statuts_changes"), {"avant": avant, "apres": apres})
    for colonne in ("statut_avant", "statut_apres"):
        df[colonne] = df[colonne].map(lambda s: STATUTS_PROJET.get(s, "(absent)") if isinstance(s, str) else "(absent)")
    return df


CHANGEMENTS_VERSEMENT = {"ajoute": "Ajouté", "modifie": "Modifié", "retire": "Retiré"}


def versements_changes(base: Base, avant: int, apres: int) -> pd.DataFrame:
    """Payments that differ between the two versions: key, project, change (French label), and date,
    nature (French label) and amount before and after (missing on the side where the payment is absent)."""
    df = base.df(sql("versements_changes"), {"avant": avant, "apres": apres})
    df["changement"] = df["changement"].map(CHANGEMENTS_VERSEMENT)
    for colonne in ("nature_avant", "nature_apres"):
        df[colonne] = df[colonne].map(lambda n: NATURES_VERSEMENT.get(n, n) if isinstance(n, str) else None)
    return df
