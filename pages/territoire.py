"""Territoire: identity (with where each value comes from), published mission figures beside what the base
detected, envelope, payments, projects needing attention, funnel, projects, filières, map, median."""

from __future__ import annotations

import dataclasses

import streamlit as st

from rebond_core import figures, formats, projection, vues_suivi, vues_territoire
from rebond_core.config import DELAI_VERSEMENT_JOURS
from rebond_core.domaine import FILIERES, STATUTS_PROJET
from rebond_core.indicateurs import EXPLICATION_PAR_FILIERE
from rebond_ui import cadre, cartes, composants, donnees, filtres, jauges, rapport, suivi, tableaux_affiches
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

    st.subheader("Projets qui attendent trop longtemps")
    alertes = vues_suivi.filtrer_a_suivre(donnees.a_suivre(contexte.filtres), alertes_seulement=True)
    comptes = vues_suivi.comptes_a_suivre(alertes)
    st.markdown(
        f"**{formats.nombre(comptes.decisions)}** projet(s) priorisé(s) ou déposé(s) sans décision depuis plus de "
        f"12 mois ; **{formats.nombre(comptes.versements)}** projet(s) accordé(s) sans aucun versement "
        f"{DELAI_VERSEMENT_JOURS} jours après la décision."
    )
    if alertes.empty:
        st.success("Aucun projet de ce territoire n'attend au-delà de ces délais.", icon=":material/check_circle:")
    else:
        suivi.tableau_a_suivre(alertes, contexte, f"alertes-{code}", "alertes_territoire")
    st.page_link("pages/a_suivre.py", label="Tous les projets à suivre", icon=":material/pending_actions:")

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
