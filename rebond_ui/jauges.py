"""The envelope gauges: the programme's two national envelopes (aid, engineering), and a territory's
ceiling (its envelope plus local co-funding), each with its sentence of amounts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, vues_suivi
from rebond_core.indicateurs import Resultat
from rebond_core.versions import StatutDonnees
from rebond_ui import composants, graphiques

SANS_BARRE = {"displayModeBar": False}


def enveloppes_du_programme(resultat: Resultat, etat: StatutDonnees, filtre: bool, enveloppes_incertaines: str) -> None:
    """Aid (Bpifrance: the 90 M€ split after the call, across the page), then the pending requests beside
    what remains, and engineering (Banque des Territoires). `filtre`: whether the scope is narrowed;
    `enveloppes_incertaines`: the sentence that says which allotted envelopes are hypotheses ('' if none)."""
    v = resultat.valeurs
    _titre("Aides à l'investissement (Bpifrance)", v, "enveloppe_aides", decimales=1)
    parts = vues_suivi.repartition_enveloppe(v, filtre)
    figure = figures.jauge_enveloppe(
        figures.segments_repartition(parts), float(v["enveloppe_aides.total_eur"]), "Aides", reste=None
    )
    graphiques.graphique(figure, config=SANS_BARRE, key="jauge_aides")
    st.caption(
        " · ".join(f"{p.libelle} : {formats.millions_euros(p.montant_eur)}" for p in parts)
        + f". Versé : au plus tard le {formats.date_fr(resultat.au)}."
        + (f" {enveloppes_incertaines}" if enveloppes_incertaines else "")
    )
    gauche, droite = st.columns(2)
    gauche.markdown(vues_suivi.texte_demandes_et_reste(v, filtre))
    with droite:
        _titre("Ingénierie (Banque des Territoires)", v, "enveloppe_ingenierie", decimales=2)
        engage, total = float(v["enveloppe_ingenierie.engage_eur"]), float(v["enveloppe_ingenierie.total_eur"])
        figure = figures.jauge_enveloppe([("Missions engagées", engage, figures.BLEU_FRANCE)], total, "Ingénierie")
        graphiques.graphique(figure, config=SANS_BARRE, key="jauge_inge")
        st.caption(
            "Coût des missions d'ingénierie des territoires du périmètre, payées en totalité par la Banque des "
            "Territoires."
        )
    composants.source(
        etat,
        "Engagé : subventions et avances des projets accordés ; alloué : enveloppes attribuées aux territoires ; "
        "versé : versements de subvention et d'avance ; jamais alloué et reste : chiffres nationaux, sur toute la "
        "base, quels que soient les filtres et le périmètre.",
    )


def _titre(libelle: str, v: dict[str, Any], enveloppe: str, decimales: int) -> None:
    st.markdown(
        f"**{libelle}** — {formats.millions_euros(v[f'{enveloppe}.engage_eur'], decimales)} engagés sur "
        f"{formats.millions_euros(v[f'{enveloppe}.total_eur'], 0)} ({formats.pourcentage(v[f'{enveloppe}.taux'])})"
    )


def enveloppe_du_territoire(resultat: Resultat, territoire: pd.Series, provenance: Mapping[str, str]) -> None:
    """The aid granted against the territory's ceiling, its payments, a badge saying where the envelope
    comes from (`provenance`: the territory's referentiel.provenance_territoire), and a warning when the
    ceiling is exceeded."""
    v = resultat.valeurs
    plafond, engage = float(territoire["plafond_eur"]), float(v["enveloppe_aides.engage_eur"])
    marque_enveloppe = composants.marque(provenance.get("enveloppe_aides_eur"), avant=" ")
    marque_cofinancement = composants.marque(provenance.get("cofinancement_local_eur"), avant=" ")
    st.markdown(
        f"{formats.millions_euros(engage, 2)} engagés sur une enveloppe de {formats.millions_euros(plafond, 2)}"
        f"{marque_enveloppe} (dont cofinancement local "
        f"{formats.millions_euros(territoire['cofinancement_local_eur'], 2)}{marque_cofinancement}) ; "
        f"versés au {formats.date_fr(resultat.au)} : {formats.millions_euros(v['versements.verse_eur'], 2)} ; "
        f"demandes en cours : {formats.millions_euros(v['enveloppe_aides.demandes_en_cours_eur'], 2)}."
    )
    figure = figures.jauge_enveloppe(figures.segments_aides(v), plafond, "Enveloppe")
    graphiques.graphique(figure, config=SANS_BARRE, key="jauge_territoire")
    if engage > plafond:
        st.warning("Dépassement d'enveloppe : les aides accordées dépassent l'enveloppe du territoire.")
