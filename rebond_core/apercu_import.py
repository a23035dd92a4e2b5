"""What the import page shows of a checked upload, as tables: the validation report, and each table's
added and modified rows (old → new value of every changed cell, enumeration codes as their labels)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from rebond_core.domaine import ENUMERATIONS
from rebond_core.formats import valeur_lisible_cellule
from rebond_core.importation.pipeline import ResultatImport
from rebond_core.importation.rapport import Rapport

NIVEAUX = {"erreur": "Erreur", "avertissement": "Avertissement"}
COLONNES_RAPPORT = ["Niveau", "Feuille", "Ligne", "Colonne", "Valeur trouvée", "Message", "Code"]


def tableau_rapport(rapport: Rapport) -> pd.DataFrame:
    """One row per problem, in the report's order (row numbers as the spreadsheet shows them)."""
    return pd.DataFrame(
        [
            {
                "Niveau": NIVEAUX[p.niveau],
                "Feuille": p.feuille or "",
                "Ligne": p.ligne,
                "Colonne": p.colonne or "",
                "Valeur trouvée": p.valeur or "",
                "Message": p.message,
                "Code": p.code,
            }
            for p in rapport.problemes
        ],
        columns=COLONNES_RAPPORT,
    ).astype({"Ligne": "Int64"})


def lisible(colonne: str, valeur: Any) -> str:
    """A stored value as the user reads it: enumeration codes as their French labels."""
    libelles = ENUMERATIONS.get("filiere" if colonne == "filieres" else colonne)
    if libelles and isinstance(valeur, str):
        return libelles.get(valeur, valeur)
    if libelles and isinstance(valeur, list):
        return " ; ".join(libelles.get(str(v), str(v)) for v in valeur)
    return valeur_lisible_cellule(valeur)


def tableau_modifications(resultat: ResultatImport, table: str) -> pd.DataFrame:
    """One row per changed cell of the table's modified rows."""
    lignes = [
        {
            "Clé": str(m.cle),
            "Ligne du fichier": m.ligne,
            "Colonne": colonne,
            "Avant": lisible(colonne, avant),
            "Après": lisible(colonne, apres),
        }
        for m in resultat.plan[table].modifiees
        for colonne, avant, apres in m.cellules
    ]
    return pd.DataFrame(lignes, columns=["Clé", "Ligne du fichier", "Colonne", "Avant", "Après"])


def tableau_ajouts(resultat: ResultatImport, table: str) -> pd.DataFrame:
    """One row per added row of the table: its key and its row in the file."""
    return pd.DataFrame(
        [{"Clé": str(cle), "Ligne du fichier": ligne} for cle, ligne in resultat.plan[table].ajoutees],
        columns=["Clé", "Ligne du fichier"],
    )


def titre_plan(table: str, ajoutees: int, modifiees: int, inchangees: int) -> str:
    """The heading of a table's planned changes."""
    return f"{table} : {ajoutees} ligne(s) ajoutée(s), {modifiees} modifiée(s), {inchangees} inchangée(s)"
