"""What the maps show, as data: each laureate EPCI's value for an indicator, the sites' points with their
tooltips, and the framing of the sites map's points (through geo.cadrage, the one zoom rule)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rebond_core import formats, geo
from rebond_core.figures import echapper
from rebond_core.indicateurs import PAR_CLE


@dataclass(frozen=True)
class IndicateurCarte:
    """A column of the territory table shown on the national map: label, unit (formats), what it
    means, and how its value reads on the colour bar (title and scale factor)."""

    libelle: str
    unite: str
    explication: str
    titre_echelle: str
    facteur: float = 1.0


def _du_registre(cle: str, titre_echelle: str, facteur: float = 1.0) -> IndicateurCarte:
    indicateur = PAR_CLE[cle]
    return IndicateurCarte(indicateur.libelle, indicateur.unite, indicateur.mode_de_calcul, titre_echelle, facteur)


INDICATEURS_CARTE: dict[str, IndicateurCarte] = {
    "aides_engagees_eur": _du_registre("enveloppe_aides.engage_eur", "M€", 1e-6),
    "projets": _du_registre("projets.total", "projets"),
    "investissement_detecte_eur": _du_registre("investissement_eur.detecte", "M€", 1e-6),
    "emplois_detectes": _du_registre("emplois.detectes", "emplois"),
    "verse_eur": _du_registre("versements.verse_eur", "M€", 1e-6),
    "taux_enveloppe": IndicateurCarte(
        "Part de l'enveloppe engagée",
        formats.TAUX,
        "Aides engagées divisées par l'enveloppe du territoire (cofinancement local compris).",
        "%",
        100.0,
    ),
}
COLONNES_VALEURS = ["siren", "territoire", "valeur", "texte"]


def _nombre(valeur: Any) -> float | None:
    return None if valeur is None or pd.isna(valeur) else float(valeur)


def valeurs_par_epci(territoires: pd.DataFrame, colonne: str) -> pd.DataFrame:
    """One row per EPCI of each territory (columns siren, territoire, valeur, texte): the territory's
    value scaled for the colour bar, and its French text. EPCI without a value are left out; an EPCI
    listed by two territories keeps the first."""
    indicateur = INDICATEURS_CARTE[colonne]
    lignes: list[dict[str, Any]] = []
    vus: set[Any] = set()
    for nom, epci, brute in zip(territoires["nom"], territoires["epci"], territoires[colonne], strict=True):
        valeur = _nombre(brute)
        if valeur is None:
            continue
        nouveaux = [s for s in epci if s not in vus]
        if not nouveaux:  # every EPCI already kept: its text is not written again (a large base's copies)
            continue
        texte = f"{indicateur.libelle} : {formats.indicateur(brute, indicateur.unite)}"
        lignes.extend(
            {"siren": s, "territoire": nom, "valeur": valeur * indicateur.facteur, "texte": texte} for s in nouveaux
        )
        vus.update(nouveaux)
    return pd.DataFrame(lignes, columns=COLONNES_VALEURS).drop_duplicates(subset="siren").reset_index(drop=True)


ECART_MEME_COMMUNE = 0.012  # degrees: sites of one commune set apart on a circle of this radius


def infobulle(site: dict[str, Any]) -> str:
    """A site's tooltip on the map: our markup (plotly's HTML subset), the imported names escaped through
    figures.echapper (shown as typed)."""
    commune = site.get("commune_nom")
    commune = commune if isinstance(commune, str) else ""  # None, NaN or NA: no commune name
    if site["retenu"]:
        score = formats.VIDE if pd.isna(site["score"]) else formats.nombre(site["score"], 1)
        situation = f"rang {int(site['rang'])}, score {score}"
    else:
        situation = f"écarté : {echapper(site['motif'])}"
    return f"<b>{echapper(site['nom'])}</b><br>{echapper(commune)}<br>{situation}"


def points_sites(tableau: pd.DataFrame, centres: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """The sites of the ranking table at their commune's centroid (columns of `tableau` plus lon, lat and
    texte); sites of one commune set slightly apart on a small circle so that each stays visible. Sites
    whose commune is unknown to the boundaries are left out."""
    lignes = []
    for commune, groupe in tableau.groupby("commune", sort=False):
        if commune not in centres:
            continue
        lon, lat = centres[commune]
        rayon = ECART_MEME_COMMUNE if len(groupe) > 1 else 0.0
        for indice, site in enumerate(groupe.to_dict("records")):
            angle = 2 * math.pi * indice / len(groupe)
            site["lon"] = lon + rayon * math.cos(angle) / math.cos(math.radians(lat))
            site["lat"] = lat + rayon * math.sin(angle)
            site["texte"] = infobulle(site)
            lignes.append(site)
    return pd.DataFrame(lignes)


def cadrage_points(points: pd.DataFrame) -> tuple[float, dict[str, float]]:
    """Zoom and centre that show every point (columns lon, lat) of a non-empty frame."""
    return geo.cadrage(points["lon"].astype(float).tolist(), points["lat"].astype(float).tolist())
