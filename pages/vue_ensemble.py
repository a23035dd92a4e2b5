"""Vue d'ensemble du programme: KPIs, the balance of the closed call (envelope split, payments, jobs
created, laureates against the announcements), pace of decisions, filières, map, territories."""

from __future__ import annotations

import streamlit as st

from rebond_core import figures, formats
from rebond_core.indicateurs import EXPLICATION_PAR_STATUT
from rebond_ui import bilan, cadre, cartes, composants, donnees, filtres, graphiques, rapport, tableaux_affiches

with cadre.page() as contexte:
    tableaux_affiches.aller_a_la_fiche_si_demande()
    st.title("Vue d'ensemble du programme")
    st.caption(f"Au {formats.date_fr(contexte.au)} · {filtres.description(contexte.filtres, contexte.options)}")
    resultat = donnees.indicateurs(contexte.filtres)
    v = resultat.valeurs
    if v["territoires.nombre"] == 0:
        composants.perimetre_vide(contexte.filtres)
        cadre.arreter()
    rapport.bouton_national(contexte)

    composants.tuiles(
        resultat, ["territoires.nombre", "projets.total", "investissement_eur.detecte", "investissement_eur.soutenu"]
    )
    composants.tuiles(resultat, ["emplois.detectes", "emplois.soutenus", "enveloppe_aides.engage_eur", "effet_levier"])
    st.caption(
        "Détecté : tous les projets repérés par les missions, quel que soit leur statut (les chiffres comparables "
        "aux résultats publiés des missions) ; soutenu : projets accordés."
    )

    territoires = donnees.territoires(contexte.filtres)
    provenance = donnees.provenance(contexte.version)
    bilan.bande(contexte, resultat, territoires, provenance)

    st.subheader("Rythme des décisions et reste de l'enveloppe")
    bilan.rythme_et_projection(contexte, resultat, donnees.indicateurs(contexte.sans_filtre))

    st.subheader("Projets par filière et par statut")
    graphiques.graphique(
        figures.projets_filiere_statut(donnees.projets_filiere_statut(contexte.filtres)), key="filieres"
    )
    composants.source(contexte.etat, EXPLICATION_PAR_STATUT)

    st.subheader("Carte des territoires lauréats")
    cartes.carte_nationale(territoires, contexte)
    st.subheader("Territoires")
    tableaux_affiches.tableau_territoires(territoires, contexte, provenance)
