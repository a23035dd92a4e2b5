"""What the territory page shows, as data: the territory's identity lines, the search in its projects,
and its ratios against the laureates' median in French. Pure pandas; numbers and dates through formats."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from rebond_core import formats
from rebond_core.domaine import FILIERES, STATUTS_MISSION

HYPOTHESE_RELEVE = "hypothèse : relève non confirmée par les sources publiques"
COLONNES_RECHERCHE = ("intitule", "entreprise", "commune_nom")


def _manquant(valeur: Any) -> bool:
    """None, empty text, NaN, NaT or pd.NA (an empty cell of a nullable column)."""
    if valeur is None or isinstance(valeur, (list, tuple)):
        return valeur is None
    if isinstance(valeur, str):
        return not valeur.strip()
    return bool(pd.isna(valeur))


def _date(valeur: Any) -> str:
    return formats.VIDE if _manquant(valeur) else formats.date_fr(pd.Timestamp(valeur).date())


def identite(
    territoire: Mapping[str, Any], releves: Mapping[int, str], releve_incertaine: bool
) -> list[tuple[str, str]]:
    """(label, text) lines that present a territory (a row of perimetre.territoires); `releves` gives
    each relève's label. Texts are plain: the page escapes them."""
    numero = int(territoire["releve"])
    releve = releves.get(numero, str(numero)) + (f" — {HYPOTHESE_RELEVE}" if releve_incertaine else "")
    mission = (
        f"{STATUTS_MISSION[territoire['statut_mission']]}, du {_date(territoire['date_debut_mission'])} "
        f"au {_date(territoire['date_fin_mission'])}"
    )
    industriels = territoire["industriels_rencontres"]
    return [
        ("Région", str(territoire["region_nom"])),
        ("Relève", releve),
        ("Filières", ", ".join(FILIERES[f] for f in territoire["filieres"])),
        ("Mission d'ingénierie", mission),
        ("Cabinet", formats.VIDE if _manquant(territoire["cabinet"]) else str(territoire["cabinet"])),
        ("Industriels rencontrés", formats.VIDE if _manquant(industriels) else formats.nombre(industriels)),
    ]


def rechercher_projets(
    projets: pd.DataFrame, texte: str = "", statuts: Collection[str] = (), filieres: Collection[str] = ()
) -> pd.DataFrame:
    """The projects (perimetre.projets) whose title, company or commune contains `texte` (case-folded),
    with one of `statuts` and one of `filieres`; an empty criterion keeps every project."""
    masque = pd.Series(True, index=projets.index)
    if texte.strip():
        cherche = texte.strip().casefold()
        lignes = projets[list(COLONNES_RECHERCHE)].fillna("").astype(str).agg(" ".join, axis=1)
        masque &= lignes.str.casefold().str.contains(cherche, regex=False)
    if statuts:
        masque &= projets["statut"].isin(list(statuts))
    if filieres:
        masque &= projets["filiere"].isin(list(filieres))
    return projets[masque]


def _valeur(valeur: Any, unite: str) -> str:
    return formats.VIDE if _manquant(valeur) else formats.indicateur(valeur, unite)


def comparaison_affichee(comparaison: pd.DataFrame) -> pd.DataFrame:
    """The median comparison (projection.comparaison_mediane) as the page shows it: each value in
    French by its ratio's unit, the gap as a whole percentage."""
    return pd.DataFrame(
        {
            "Ratio": comparaison["ratio"],
            "Territoire": [_valeur(v, u) for v, u in zip(comparaison["territoire"], comparaison["unite"], strict=True)],
            "Médiane": [_valeur(v, u) for v, u in zip(comparaison["mediane"], comparaison["unite"], strict=True)],
            "Écart": [formats.VIDE if _manquant(e) else formats.pourcentage(e, 0) for e in comparaison["ecart"]],
        }
    )


def comparaison_export(comparaison: pd.DataFrame) -> pd.DataFrame:
    """The median comparison for the downloads: the numbers themselves, under French headings."""
    return pd.DataFrame(
        {
            "Ratio": comparaison["ratio"],
            "Territoire": comparaison["territoire"],
            "Médiane": comparaison["mediane"],
            "Écart": comparaison["ecart"],
        }
    )
