"""What the history page shows, as data: the list of versions, and the indicators of two versions side by
side with their difference, in French (through formats)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from rebond_core import formats, versions

COLONNE_COMPTES = f"Lignes ({versions.LEGENDE_COMPTES})"


def tableau_versions(liste: list[dict[str, Any]]) -> pd.DataFrame:
    """The versions (versions.liste_versions), newest first."""
    return pd.DataFrame(
        [
            {
                "Version": v["numero"],
                "Date": formats.date_fr(pd.Timestamp(v["date"]).to_pydatetime()),
                "Auteur": v["auteur"],
                "Fichiers (SHA-256 court)": versions.origine(v),
                COLONNE_COMPTES: versions.texte_comptes(v["comptes"]),
            }
            for v in reversed(liste)
        ],
        columns=["Version", "Date", "Auteur", "Fichiers (SHA-256 court)", COLONNE_COMPTES],
    )


def _connue(valeur: Any) -> Any:
    return None if valeur is None or pd.isna(valeur) else valeur


def difference(valeur: Any, unite: str) -> str:
    """A change of an indicator: '+1 254', '-0,5 M€', '=' when nothing changed, the empty mark when unknown."""
    valeur = _connue(valeur)
    if valeur is None:
        return formats.VIDE
    if valeur == 0:
        return "="
    return ("+" if valeur > 0 else "") + formats.indicateur(valeur, unite)


def tableau_comparaison(comparaison: pd.DataFrame) -> pd.DataFrame:
    """The indicators of two versions (comparaison.comparer_indicateurs) as the page shows them."""
    lignes = zip(
        comparaison["unite"], comparaison["avant"], comparaison["apres"], comparaison["difference"], strict=True
    )
    return pd.DataFrame(
        [
            {
                "Indicateur": libelle,
                "Avant": formats.indicateur(_connue(avant), unite),
                "Après": formats.indicateur(_connue(apres), unite),
                "Différence": difference(ecart, unite),
            }
            for libelle, (unite, avant, apres, ecart) in zip(comparaison["indicateur"], lignes, strict=True)
        ],
        columns=["Indicateur", "Avant", "Après", "Différence"],
    )


COLONNES_STATUTS_CHANGES = {
    "id_projet": "Projet",
    "code_territoire": "Territoire",
    "intitule": "Intitulé",
    "entreprise": "Entreprise",
    "statut_avant": "Statut avant",
    "statut_apres": "Statut après",
}
