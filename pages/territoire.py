"""Territoire: identity (with where each value comes from), published mission figures beside what the base
detected, envelope, payments, projects needing attention, funnel, projects, filières, map, median."""

from __future__ import annotations

import dataclasses

import streamlit as st

from rebond_core import figures, formats, vues_territoire
from rebond_core.indicateurs import EXPLICATION_PAR_FILIERE
from rebond_ui import (
    cadre,
    cartes,
    composants,
    donnees,
    fiche_territoire,
    filtres,
    graphiques,
    jauges,
    rapport,
    suivi,
    tableaux_affiches,
)
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
    provenance = donnees.provenance(contexte.version)
    origine = suivi.provenance_du_territoire(provenance, code)
    st.header(echapper(territoire["nom"]))
    st.caption(f"Au {formats.date_fr(contexte.au)} · {filtres.description(contexte.filtres, contexte.options)}")
    rapport.bouton_territoire(contexte, code)
    gauche, droite = st.columns([1, 1])
    with gauche:
        lignes = vues_territoire.identite(territoire, dict(contexte.options["releve"]), origine)
        st.markdown(
            "  \n".join(
                f"**{libelle}** : {echapper(texte)}{composants.marque(provenance_, avant=' ')}"
                for libelle, texte, provenance_ in lignes
            )
        )
        if contexte.etat.demo:
            composants.legende_provenance()
    with droite:
        tableaux_affiches.tableau_epci(donnees.epci_du_territoire(code, contexte.version), code, territoire["nom"])

    st.subheader("Résultats publiés de la mission et totaux de la base")
    suivi.publie_et_detecte(contexte, code, territoire["nom"])

    composants.tuiles(
        resultat, ["projets.total", "investissement_eur.detecte", "emplois.detectes", "enveloppe_aides.engage_eur"]
    )
    st.subheader("Enveloppe du territoire")
    jauges.enveloppe_du_territoire(resultat, territoire, origine)

    st.subheader("Versements")
    composants.tuiles(
        resultat,
        ["versements.verse_eur", "versements.taux", "versements.rembourse_eur", "emplois.taux_realisation"],
    )
    suivi.versements(contexte, f"versements-{code}", f"Rebond industriel — versements de {territoire['nom']}")

    fiche_territoire.alertes(contexte, code)

    gauche, droite = st.columns(2)
    with gauche:
        st.subheader("Parcours des projets")
        graphiques.graphique(figures.entonnoir(resultat.par_statut), key="entonnoir")
        composants.source(
            contexte.etat,
            "Projets ayant atteint chaque étape (statut actuel à cette étape ou au-delà) ; "
            "refusés et abandonnés à part.",
        )
    with droite:
        st.subheader("Investissement et emplois par filière")
        graphiques.graphique(figures.par_filiere(resultat.par_filiere), key="par_filiere")
        composants.source(contexte.etat, EXPLICATION_PAR_FILIERE)

    fiche_territoire.projets(contexte)

    st.subheader("Carte du territoire")
    cartes.carte_territoire(territoire, contexte)

    fiche_territoire.mediane(contexte, code, territoire["nom"])
