"""The envelope gauges: the programme's two national envelopes (aid, engineering), and a territory's
ceiling (its envelope plus local co-funding), each with its sentence of amounts."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import figures, formats
from rebond_core.indicateurs import Resultat
from rebond_core.versions import StatutDonnees
from rebond_ui import composants

SANS_BARRE = {"displayModeBar": False}


def enveloppes_du_programme(resultat: Resultat, etat: StatutDonnees) -> None:
    """Aid (Bpifrance) and engineering (Banque des Territoires), side by side."""
    v = resultat.valeurs
    gauche, droite = st.columns(2)
    with gauche:
        _titre("Aides à l'investissement (Bpifrance)", v, "enveloppe_aides", decimales=1)
        segments = figures.segments_aides(v, alloue_non_engage=True)
        figure = figures.jauge_enveloppe(segments, float(v["enveloppe_aides.total_eur"]), "Aides")
        st.plotly_chart(figure, config=SANS_BARRE, key="jauge_aides")
        st.caption(
            f"Allouées aux territoires : {formats.millions_euros(v['enveloppe_aides.alloue_eur'])} · demandes en "
            f"cours : {formats.millions_euros(v['enveloppe_aides.demandes_en_cours_eur'])} · reste de l'enveloppe "
            f"nationale : {formats.millions_euros(v['enveloppe_aides.reste_eur'])}."
        )
    with droite:
        _titre("Ingénierie (Banque des Territoires)", v, "enveloppe_ingenierie", decimales=2)
        engage, total = float(v["enveloppe_ingenierie.engage_eur"]), float(v["enveloppe_ingenierie.total_eur"])
        figure = figures.jauge_enveloppe([("Missions engagées", engage, figures.BLEU_FRANCE)], total, "Ingénierie")
        st.plotly_chart(figure, config=SANS_BARRE, key="jauge_inge")
        st.caption(
            "Coût des missions d'ingénierie des territoires du périmètre, payées en totalité par la Banque des "
            "Territoires."
        )
    composants.source(
        etat,
        "Engagé : subventions et avances des projets accordés ; alloué : enveloppes attribuées "
        "aux territoires ; les totaux nationaux ne dépendent pas des filtres.",
    )


def _titre(libelle: str, v: dict[str, Any], enveloppe: str, decimales: int) -> None:
    st.markdown(
        f"**{libelle}** — {formats.millions_euros(v[f'{enveloppe}.engage_eur'], decimales)} engagés sur "
        f"{formats.millions_euros(v[f'{enveloppe}.total_eur'], 0)} ({formats.pourcentage(v[f'{enveloppe}.taux'])})"
    )


def enveloppe_du_territoire(resultat: Resultat, territoire: pd.Series) -> None:
    """The aid granted against the territory's ceiling, with a warning when it is exceeded."""
    v = resultat.valeurs
    plafond, engage = float(territoire["plafond_eur"]), float(v["enveloppe_aides.engage_eur"])
    st.markdown(
        f"{formats.millions_euros(engage, 2)} engagés sur une enveloppe de {formats.millions_euros(plafond, 2)} "
        f"(dont cofinancement local {formats.millions_euros(territoire['cofinancement_local_eur'], 2)}) ; "
        f"demandes en cours : {formats.millions_euros(v['enveloppe_aides.demandes_en_cours_eur'], 2)}."
    )
    figure = figures.jauge_enveloppe(figures.segments_aides(v), plafond, "Enveloppe")
    st.plotly_chart(figure, config=SANS_BARRE, key="jauge_territoire")
    if engage > plafond:
        st.warning("Dépassement d'enveloppe : les aides accordées dépassent l'enveloppe du territoire.")
