"""The maps, offline (blank background, local boundaries): the laureate EPCI coloured by an indicator and
one territory's EPCI at their real place (SVG, plotly's geo subplot), and the candidate sites (WebGL map).
What they show is computed in rebond_core.cartographie; the boundaries come through the one cached loader
(donnees.couche)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rebond_core import figures, geo
from rebond_core.cartographie import INDICATEURS_CARTE, cadrage_points, points_sites, valeurs_par_epci
from rebond_ui import composants, donnees, graphiques
from rebond_ui.contexte import Contexte

CONFIGURATION = {"scrollZoom": False, "displaylogo": False}
# The EPCI maps (geo subplot): plotly.js reads its world topojson from here, an empty one (figures.TOPOJSON_VIDE).
CONFIGURATION_GEO = CONFIGURATION | {"topojsonURL": figures.TOPOJSON_VIDE}


def _fonds_disponibles() -> bool:
    """True when the boundaries are configured; otherwise say so in French."""
    if geo.dossier_geo() is None:
        composants.carte_indisponible()
        return False
    return True


def _codes(valeurs: pd.Series) -> tuple[str, ...]:
    return tuple(sorted(set(valeurs)))


def carte_nationale(territoires: pd.DataFrame, contexte: Contexte) -> None:
    """The laureate EPCI over the regions (overseas brought next to mainland), coloured by an indicator."""
    if not _fonds_disponibles():
        return
    colonne = st.selectbox(
        "Indicateur de la carte",
        list(INDICATEURS_CARTE),
        format_func=lambda c: INDICATEURS_CARTE[c].libelle,
        key="carte_indicateur",
    )
    indicateur = INDICATEURS_CARTE[colonne]
    valeurs = valeurs_par_epci(territoires, colonne)
    epci = donnees.couche("epci", _codes(valeurs["siren"])) or {"type": "FeatureCollection", "features": []}
    figure = figures.carte_epci(valeurs, epci, donnees.couche("regions"), indicateur.titre_echelle, "%{customdata[1]}")
    graphiques.graphique(figure, config=CONFIGURATION_GEO, key="carte_nationale")
    composants.source(
        contexte.etat,
        f"{indicateur.libelle} : {indicateur.explication} Chaque EPCI prend la valeur de son "
        "territoire ; outre-mer rapproché à l'ouest de la métropole.",
    )


def carte_territoire(territoire: pd.Series, contexte: Contexte) -> None:
    """The territory's EPCI at their real place, zoomed to fit."""
    if not _fonds_disponibles():
        return
    epci = donnees.couche("epci_reels", _codes(pd.Series(territoire["epci"], dtype=str)))
    if not epci or not epci["features"]:
        st.info("Contours de ces EPCI absents des fonds de carte.")
        return
    valeurs = valeurs_par_epci(territoire.to_frame().T, "investissement_detecte_eur").assign(valeur=1.0)
    figure = figures.carte_epci(valeurs, epci, None, "", "%{customdata[1]}", uni=True)
    graphiques.graphique(figure, config=CONFIGURATION_GEO, key="carte_territoire")
    composants.source(contexte.etat, "Périmètre des EPCI du territoire.")


def carte_sites(tableau: pd.DataFrame, territoires: pd.DataFrame, contexte: Contexte) -> None:
    """The sites at their commune's centre over the EPCI of the territories in scope."""
    if not _fonds_disponibles():
        return
    points = points_sites(tableau, donnees.centroides() or {})
    if points.empty:
        st.info("Communes des sites absentes des fonds de carte : carte indisponible pour ce périmètre.")
        return
    contours = donnees.couche("epci_reels", _codes(territoires["epci"].explode().dropna()))
    zoom, centre = cadrage_points(points)
    st.plotly_chart(figures.carte_sites(points, contours, zoom, centre), config=CONFIGURATION, key="carte_sites")
    composants.source(
        contexte.etat,
        "Chaque site est placé au centre de sa commune (sites d'une même commune "
        "légèrement décalés) ; en bleu pâle, les EPCI des territoires du périmètre.",
    )
