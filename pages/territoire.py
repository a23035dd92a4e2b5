"""Territoire: identity, figures against its envelope, funnel, projects, filières, map, median comparison."""

from __future__ import annotations

import dataclasses

import streamlit as st

from rebond_core import figures, formats, projection, vues_territoire
from rebond_core.domaine import FILIERES, STATUTS_PROJET
from rebond_core.indicateurs import EXPLICATION_PAR_FILIERE
from rebond_ui import cadre, cartes, composants, donnees, filtres, jauges, tableaux_affiches
from rebond_ui.surete import echapper

with cadre.page() as contexte:
    st.title("Territoire")
    # The choice is made among the territories in scope without the territory filter.
    candidats = donnees.territoires(dataclasses.replace(contexte.filtres, territoire=()))
    if candidats.empty:
        composants.perimetre_vide(contexte.filtres)
        cadre.arreter()
    noms = dict(zip(candidats["code_territoire"], candidats["nom"], strict=True))
    code = filtres.selecteur_territoire(noms, contexte.filtres)
    if code is None:
        st.info("Choisissez un territoire dans la liste, ou ouvrez-le depuis le tableau de la vue d'ensemble.")
        cadre.arreter()

    resultat = donnees.indicateurs(contexte.filtres)
    territoire = donnees.territoires(contexte.filtres).iloc[0]
    st.header(echapper(territoire["nom"]))
    gauche, droite = st.columns([1, 1])
    incertaine = code in donnees.releves_incertaines(contexte.version)
    lignes = vues_territoire.identite(territoire, dict(contexte.options["releve"]), incertaine)
    gauche.markdown("  \n".join(f"**{libelle}** : {echapper(texte)}" for libelle, texte in lignes))
    with droite:
        tableaux_affiches.tableau_epci(donnees.epci_du_territoire(code, contexte.version), code, territoire["nom"])

    composants.tuiles(
        resultat, ["projets.total", "investissement_eur.potentiel", "emplois.potentiels", "enveloppe_aides.engage_eur"]
    )
    st.subheader("Enveloppe du territoire")
    jauges.enveloppe_du_territoire(resultat, territoire)

    gauche, droite = st.columns(2)
    with gauche:
        st.subheader("Parcours des projets")
        st.plotly_chart(figures.entonnoir(resultat.par_statut), key="entonnoir")
        composants.source(
            contexte.etat,
            "Projets ayant atteint chaque étape (statut actuel à cette étape ou au-delà) ; "
            "refusés et abandonnés à part.",
        )
    with droite:
        st.subheader("Investissement et emplois par filière")
        st.plotly_chart(figures.par_filiere(resultat.par_filiere), key="par_filiere")
        composants.source(contexte.etat, EXPLICATION_PAR_FILIERE)

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
    projets = vues_territoire.rechercher_projets(donnees.projets(contexte.filtres), recherche, statuts, choix_filieres)
    if projets.empty:
        st.info("Aucun projet ne correspond à cette recherche.")
    else:
        st.caption(f"{formats.nombre(len(projets))} projet(s).")
        tableaux_affiches.tableau_projets(projets, contexte, "projets_territoire")

    st.subheader("Carte du territoire")
    cartes.carte_territoire(territoire, contexte)

    st.subheader("Comparaison avec la médiane des lauréats")
    tous = donnees.territoires(contexte.sans_filtre)
    comparaison = projection.comparaison_mediane(projection.ratios_territoires(tous), code)
    gauche, droite = st.columns([1, 1])
    gauche.plotly_chart(figures.comparaison_mediane(comparaison), key="mediane")
    droite.dataframe(vues_territoire.comparaison_affichee(comparaison), hide_index=True, width="stretch")
    composants.source(contexte.etat, f"Médiane sur les {len(tous)} territoires lauréats de la base, sans filtre.")
    composants.telechargements(
        vues_territoire.comparaison_export(comparaison),
        f"comparaison-{code}",
        [f"Rebond industriel — {territoire['nom']} comparé à la médiane des lauréats", f"Version {contexte.version}"],
        "mediane",
    )
