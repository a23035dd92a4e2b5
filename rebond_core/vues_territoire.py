"""What the territory page shows, as data: the territory's identity lines, the search in its projects,
and its ratios against the laureates' median in French. Pure pandas; numbers and dates through formats."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from rebond_core import formats
from rebond_core.domaine import FILIERES, STATUTS_MISSION
from rebond_core.referentiel import FICTIF, HYPOTHESE, LIBELLES_CHAMPS

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
    territoire: Mapping[str, Any], releves: Mapping[int, str], provenance: Mapping[str, str] | None = None
) -> list[tuple[str, str, str | None]]:
    """(label, text, provenance) lines that present a territory (a row of perimetre.territoires);
    `releves` gives each relève's label, `provenance` where each value comes from
    (referentiel.provenance_territoire; None for a line without one). Texts are plain: the page escapes
    them and draws the provenance."""
    origine = provenance or {}
    numero = int(territoire["releve"])
    industriels = territoire["industriels_rencontres"]
    cout = territoire.get("cout_mission_eur")
    return [
        ("Région", str(territoire["region_nom"]), None),
        ("Relève", releves.get(numero, str(numero)), origine.get("releve")),
        ("Filières", ", ".join(FILIERES[f] for f in territoire["filieres"]), origine.get("filieres")),
        ("Mission d'ingénierie", STATUTS_MISSION[territoire["statut_mission"]], None),
        ("Début de mission", _date(territoire["date_debut_mission"]), origine.get("date_debut_mission")),
        ("Fin de mission", _date(territoire["date_fin_mission"]), origine.get("date_fin_mission")),
        (
            "Cabinet",
            formats.VIDE if _manquant(territoire["cabinet"]) else str(territoire["cabinet"]),
            origine.get("cabinet"),
        ),
        (
            "Coût de la mission",
            formats.VIDE if _manquant(cout) else formats.euros(cout),
            origine.get("cout_mission_eur"),
        ),
        (
            "Industriels rencontrés",
            formats.VIDE if _manquant(industriels) else formats.nombre(industriels),
            origine.get("industriels_rencontres"),
        ),
    ]


# The provenance of a value as a short French word, for a table cell.
MOTS_PROVENANCE = {HYPOTHESE: "hypothèse", FICTIF: "fictive"}


def valeurs_incertaines(provenance: pd.DataFrame, code: str) -> str:
    """The values of a territory that are hypotheses or made up ('relève : hypothèse ; enveloppe d'aides :
    fictive'), from referentiel.provenances; '' when all are published (or imported)."""
    if code not in provenance.index:
        return ""
    ligne = provenance.loc[code]
    return " ; ".join(
        f"{LIBELLES_CHAMPS[champ]} : {MOTS_PROVENANCE[ligne[champ]]}"
        for champ in ("releve", "filieres", "enveloppe_aides_eur", "date_debut_mission", "date_fin_mission")
        if champ in ligne and ligne[champ] in MOTS_PROVENANCE
    )


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
