"""Projets à suivre (for the COPIL): every project of the scope that needs a decision or a payment, oldest
first, filterable and downloadable."""

from __future__ import annotations

import streamlit as st

from rebond_core import formats, vues_suivi
from rebond_core.config import ATTENTE_MAX_JOURS, DELAI_VERSEMENT_JOURS
from rebond_ui import cadre, composants, donnees, filtres, suivi

with cadre.page() as contexte:
    st.title("Projets à suivre")
    st.caption(f"Au {formats.date_fr(contexte.au)} · {filtres.description(contexte.filtres, contexte.options)}")
    if donnees.indicateurs(contexte.filtres).valeurs["territoires.nombre"] == 0:
        composants.perimetre_vide(contexte.filtres)
        cadre.arreter()
    suivis = donnees.a_suivre(contexte.filtres)
    comptes = vues_suivi.comptes_a_suivre(suivis)
    colonnes = st.columns(4)
    colonnes[0].metric(
        "Décisions attendues",
        formats.nombre(comptes.decisions),
        help="Projets priorisés ou déposés : ils attendent le dépôt de leur dossier ou la décision de Bpifrance.",
    )
    colonnes[1].metric(
        "dont plus de 12 mois",
        formats.nombre(comptes.decisions_en_alerte),
        help=f"Statut atteint plus de {ATTENTE_MAX_JOURS} jours avant la date de référence.",
    )
    colonnes[2].metric(
        "Versements attendus",
        formats.nombre(comptes.versements),
        help="Projets accordés dont l'aide (subvention et avance) n'est pas entièrement versée.",
    )
    colonnes[3].metric(
        "dont sans versement",
        formats.nombre(comptes.versements_en_alerte),
        help=f"Accordés plus de {DELAI_VERSEMENT_JOURS} jours avant la date de référence, sans aucun versement.",
    )

    choix = st.columns([2, 1, 1], vertical_alignment="bottom")
    actions = choix[0].multiselect(
        "Action attendue",
        list(vues_suivi.ACTIONS),
        format_func=vues_suivi.ACTIONS.__getitem__,
        key="a_suivre_actions",
        placeholder="Toutes",
    )
    jours_min = choix[1].number_input(
        "Attente d'au moins (jours)", min_value=0, max_value=10_000, value=0, step=30, key="a_suivre_jours"
    )
    alertes = choix[2].toggle("Alertes seulement", key="a_suivre_alertes")
    affiches = vues_suivi.filtrer_a_suivre(suivis, actions, alertes, int(jours_min))
    if affiches.empty:
        st.info("Aucun projet à suivre ne correspond à ces critères.")
        cadre.arreter()
    st.caption(f"{formats.nombre(len(affiches))} projet(s), les plus anciennes attentes d'abord.")
    criteres = vues_suivi.description_criteres(actions, alertes, int(jours_min))
    suivi.tableau_a_suivre(affiches, contexte, "projets-a-suivre", "a_suivre", criteres)
