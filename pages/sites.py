"""Sites industriels de demain: candidate sites scored on a criteria grid, ranked, with the robustness of
the ranking, the explanation of a site's score, a map and downloads (spec criteres-sites.md)."""

from __future__ import annotations

import streamlit as st

from rebond_core import figures, formats, sites, vues_sites
from rebond_ui import cadre, cartes, composants, donnees, filtres, graphiques, reglages_sites, tableaux_affiches
from rebond_ui.surete import echapper

SANS_BARRE = {"displayModeBar": False}

with cadre.page() as contexte:
    st.title("Sites industriels de demain")
    description = filtres.description(contexte.filtres, contexte.options)
    st.caption(
        f"{description} — sites candidats des territoires du périmètre (les sites n'ont pas de filière : "
        "le filtre Filière retient les territoires de cette filière)."
    )
    choix = reglages_sites.panneau()
    classement = donnees.classement_sites(contexte.filtres, choix)  # refused settings: a French error
    tableau = classement.tableau
    if tableau.empty:
        st.info(
            "Aucun site candidat dans ce périmètre. Élargissez les filtres ou cliquez sur "
            "« Réinitialiser les filtres »."
        )
        cadre.arreter()

    comptes = vues_sites.comptes(tableau)
    colonnes = st.columns(4)
    colonnes[0].metric("Sites du périmètre", formats.nombre(comptes.perimetre))
    colonnes[1].metric("Sites classés", formats.nombre(comptes.classes))
    colonnes[2].metric(
        "Sites écartés",
        formats.nombre(comptes.ecartes),
        help="Non évalués (aucun critère noté) ou non retenus (sous un seuil éliminatoire).",
    )
    colonnes[3].metric("Positions robustes", formats.nombre(comptes.robustes), help=sites.REGLE_POSITION)
    if comptes.classes:
        st.markdown("**En tête** : " + " ; ".join(echapper(ligne) for ligne in vues_sites.tete(tableau, choix.top)))

    st.subheader("Classement")
    noms_territoires = dict(contexte.options["territoire"])
    tableaux_affiches.tableau_sites(vues_sites.vue_classement(tableau, noms_territoires, choix.top), choix.top)
    st.caption(vues_sites.explication_score(choix))
    composants.telechargements(
        vues_sites.export_classement(tableau, noms_territoires, choix.top),
        "classement-sites",
        vues_sites.entete_export(
            filtres.description_texte(contexte.filtres, contexte.options), contexte.version, choix
        ),
        "sites",
    )

    st.subheader("Explication du score d'un site")
    site = reglages_sites.site_explique(tableau)
    ligne = tableau.set_index("id_site").loc[site]
    st.markdown(f"**{echapper(ligne['nom'])}** — {vues_sites.etat_site(ligne)}.")
    detail = vues_sites.detail_site(classement, choix, site)
    gauche, droite = st.columns(2)
    with gauche:
        st.markdown("**Contribution de chaque critère au score**")
        graphiques.graphique(figures.contributions_site(detail), config=SANS_BARRE, key="contributions_site")
        st.caption(
            "Points du score apportés par chaque critère (poids × note, rapportés au total) : ils s'additionnent "
            "pour donner le score."
        )
    with droite:
        st.markdown("**Profil du site et moyenne des autres sites**")
        graphiques.graphique(figures.profil_site(detail, ligne["nom"]), config=SANS_BARRE, key="profil_site")
        st.caption(
            f"Moyenne des notes des {len(tableau) - 1} autre(s) site(s) du périmètre évalués sur chaque critère."
        )

    st.subheader("Carte des sites")
    cartes.carte_sites(tableau, donnees.territoires(contexte.filtres), contexte)
