"""Maps: the laureate EPCI coloured by an indicator, offline (blank background, local boundaries)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, geo
from rebond_ui import composants
from rebond_ui.contexte import Contexte

INDICATEURS_CARTE = {
    "aides_engagees_eur": ("Aides engagées", "M€", lambda v: formats.millions_euros(v, 2)),
    "projets": ("Projets détectés", "projets", lambda v: formats.nombre(v)),
    "investissement_potentiel_eur": ("Investissement potentiel", "M€", lambda v: formats.millions_euros(v)),
    "emplois_potentiels": ("Emplois potentiels", "emplois", lambda v: formats.nombre(v)),
    "taux_enveloppe": ("Part de l'enveloppe engagée", "%", lambda v: formats.pourcentage(v)),
}
EXPLICATIONS = {
    "aides_engagees_eur": "Subventions et avances des projets accordés du territoire.",
    "projets": "Projets détectés par la mission, tous statuts.",
    "investissement_potentiel_eur": "Investissement des projets actifs (ni refusés ni abandonnés).",
    "emplois_potentiels": "Emplois prévus des projets actifs.",
    "taux_enveloppe": "Aides engagées divisées par l'enveloppe du territoire (cofinancement local compris).",
}


@st.cache_data(max_entries=4, show_spinner=False)
def _couches(codes: tuple[str, ...], reelles: bool) -> tuple[dict | None, dict | None]:
    regions = None if reelles else geo.couche("regions")
    return geo.couche("epci_reels" if reelles else "epci", set(codes)), regions


def valeurs_par_epci(territoires: pd.DataFrame, indicateur: str) -> pd.DataFrame:
    """One row per EPCI of each territory: siren, territory name, value (scaled for the colour bar), text."""
    libelle, unite, formater = INDICATEURS_CARTE[indicateur]
    lignes = []
    for _, t in territoires.iterrows():
        valeur = t[indicateur]
        echelle = float(valeur) / 1e6 if unite == "M€" else (float(valeur) * 100 if unite == "%" else float(valeur))
        for siren in t["epci"]:
            lignes.append(
                {
                    "siren": siren,
                    "territoire": t["nom"],
                    "valeur": echelle,
                    "texte": f"{libelle} : {formater(valeur) if pd.notna(valeur) else '—'}",
                }
            )
    # An EPCI belongs to one laureate territory; keep one shape per EPCI all the same.
    df = pd.DataFrame(lignes, columns=["siren", "territoire", "valeur", "texte"]).dropna(subset=["valeur"])
    return df.drop_duplicates(subset="siren")


def carte_nationale(territoires: pd.DataFrame, contexte: Contexte) -> None:
    if geo.dossier_geo() is None:
        composants.carte_indisponible()
        return
    indicateur = st.selectbox(
        "Indicateur de la carte",
        list(INDICATEURS_CARTE),
        format_func=lambda k: INDICATEURS_CARTE[k][0],
        key="carte_indicateur",
    )
    libelle, unite, _ = INDICATEURS_CARTE[indicateur]
    valeurs = valeurs_par_epci(territoires, indicateur)
    epci, regions = _couches(tuple(sorted(valeurs["siren"])), reelles=False)
    figure = figures.carte_epci(valeurs, epci or {}, regions, unite, "%{customdata[1]}")
    st.plotly_chart(figure, config={"scrollZoom": False, "displaylogo": False}, key="carte_nationale")
    composants.source(
        contexte.etat,
        f"{libelle} : {EXPLICATIONS[indicateur]} Chaque EPCI prend la valeur de son "
        "territoire ; outre-mer rapproché à l'ouest de la métropole.",
    )


def carte_territoire(territoire: pd.Series, contexte: Contexte) -> None:
    """The territory's EPCI at their real place, zoomed."""
    if geo.dossier_geo() is None:
        composants.carte_indisponible()
        return
    valeurs = valeurs_par_epci(territoire.to_frame().T, "investissement_potentiel_eur")
    epci, _ = _couches(tuple(sorted(valeurs["siren"])), reelles=True)
    if not epci or not epci["features"]:
        st.info("Contours de ces EPCI absents des fonds de carte.")
        return
    lons, lats = _coordonnees(epci)
    centre = {"lon": (min(lons) + max(lons)) / 2, "lat": (min(lats) + max(lats)) / 2}
    etendue = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.5, 0.05)
    # Web Mercator with 512-pixel tiles: 360° spans 512·2^zoom pixels; keep the extent within ~300 px
    # of the map's 560-pixel height, so the whole territory shows with a margin.
    zoom = max(4.0, min(11.0, math.log2(300 / etendue)))
    valeurs["valeur"] = 1.0
    figure = figures.carte_epci(valeurs, epci, None, "", "%{customdata[1]}", zoom=zoom, centre=centre)
    figure.update_traces(showscale=False, colorscale=[[0, figures.BLEU_CLAIR], [1, figures.BLEU_CLAIR]])
    st.plotly_chart(figure, config={"scrollZoom": False, "displaylogo": False}, key="carte_territoire")
    composants.source(contexte.etat, "Périmètre des EPCI du territoire.")


def _coordonnees(collection: dict) -> tuple[list[float], list[float]]:
    lons: list[float] = []
    lats: list[float] = []

    def parcourir(element: object) -> None:
        if isinstance(element, list) and element and isinstance(element[0], (int, float)):
            lons.append(float(element[0]))
            lats.append(float(element[1]))
        elif isinstance(element, list):
            for sous in element:
                parcourir(sous)

    for feature in collection["features"]:
        parcourir(feature["geometry"]["coordinates"])
    return lons, lats
