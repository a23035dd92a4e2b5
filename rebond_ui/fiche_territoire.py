"""Sections of the territory page, each drawn from the core's views: the projects waiting too long, the
searchable list of projects, and the comparison with the laureates' median."""

from __future__ import annotations

import streamlit as st

from rebond_core import figures, formats, projection, vues_suivi, vues_territoire
from rebond_core.config import DELAI_VERSEMENT_JOURS
from rebond_core.domaine import FILIERES, STATUTS_PROJET
from rebond_ui import composants, donnees, graphiques, suivi, tableaux_affiches
from rebond_ui.contexte import Contexte


def alertes(contexte: Contexte, code: str) -> None:
    """The territory's projects waiting beyond the delays (a decision after 12 months, a payment after 180
    days), with a link to every project to follow."""
    st.subheader("Projets qui attendent trop longtemps")
    en_alerte = vues_suivi.filtrer_a_suivre(donnees.a_suivre(contexte.filtres), alertes_seulement=True)
    comptes = vues_suivi.comptes_a_suivre(en_alerte)
    st.markdown(
        f"**{formats.nombre(comptes.decisions)}** projet(s) priorisé(s) ou déposé(s) sans décision depuis plus de "
        f"12 mois ; **{formats.nombre(comptes.versements)}** projet(s) accordé(s) sans aucun versement "
        f"{DELAI_VERSEMENT_JOURS} jours après la décision."
    )
    if en_alerte.empty:
        st.success("Aucun projet de ce territoire n'attend au-delà de ces délais.", icon=":material/check_circle:")
    else:
        suivi.tableau_a_suivre(en_alerte, contexte, f"alertes-{code}", "alertes_territoire")
    st.page_link("pages/a_suivre.py", label="Tous les projets à suivre", icon=":material/pending_actions:")


def projets(contexte: Contexte) -> None:
    """The territory's projects, with a search on title, company and commune, and status and filière filters."""
    st.subheader("Projets")
    colonnes = st.columns([2, 2, 2])
    recherche = colonnes[0].text_input("Rechercher (intitulé, entreprise, commune)", key="recherche_projets")
    statuts = colonnes[1].multiselect(
        "Statut",
        list(STATUTS_PROJET),
        format_func=STATUTS_PROJET.__getitem__,
        key="statuts_projets",
        placeholder="Tous",
    )
    choix_filieres = colonnes[2].multiselect(
        "Filière", list(FILIERES), format_func=FILIERES.__getitem__, key="filieres_projets", placeholder="Toutes"
    )
    liste = vues_territoire.rechercher_projets(donnees.projets(contexte.filtres), recherche, statuts, choix_filieres)
    if liste.empty:
        st.info("Aucun projet ne correspond à cette recherche.")
    else:
        st.caption(f"{formats.nombre(len(liste))} projet(s).")
        tableaux_affiches.tableau_projets(liste, contexte, "projets_territoire")


def mediane(contexte: Contexte, code: str, nom: str) -> None:
    """The territory's main ratios against the median of all laureates (whatever the filters)."""
    st.subheader("Comparaison avec la médiane des lauréats")
    tous = donnees.territoires(contexte.sans_filtre)
    nationales = donnees.medianes_nationales(contexte.version)
    comparaison = projection.comparaison_mediane(projection.ratios_territoires(tous), code, nationales.valeurs)
    gauche, droite = st.columns([1, 1])
    with gauche:
        graphiques.graphique(figures.comparaison_mediane(comparaison), key="mediane")
    droite.dataframe(vues_territoire.comparaison_affichee(comparaison), hide_index=True, width="stretch")
    composants.source(
        contexte.etat,
        f"Médiane nationale sur les {nationales.territoires} territoires lauréats de la base, sans filtre.",
    )
    composants.telechargements(
        vues_territoire.comparaison_export(comparaison),
        f"comparaison-{code}",
        [f"Rebond industriel — {nom} comparé à la médiane des lauréats", f"Version {contexte.version}"],
        "mediane",
    )
