"""Vue d'ensemble du programme: KPIs, envelopes, relèves, aid over time, filières, map, territories."""

from __future__ import annotations

import streamlit as st

from rebond_core import figures, formats, projection
from rebond_core.indicateurs import EXPLICATION_PAR_STATUT
from rebond_ui import cadre, cartes, composants, donnees, filtres, jauges, tableaux_affiches

with cadre.page() as contexte:
    tableaux_affiches.aller_a_la_fiche_si_demande()
    st.title("Vue d'ensemble du programme")
    st.caption(filtres.description(contexte.filtres, contexte.options))
    resultat = donnees.indicateurs(contexte.filtres)
    v = resultat.valeurs
    if v["territoires.nombre"] == 0:
        composants.perimetre_vide(contexte.filtres)
        cadre.arreter()

    composants.tuiles(
        resultat, ["territoires.nombre", "projets.total", "investissement_eur.potentiel", "investissement_eur.soutenu"]
    )
    composants.tuiles(resultat, ["emplois.potentiels", "emplois.soutenus", "emplois.crees", "effet_levier"])

    st.subheader("Enveloppes du programme")
    jauges.enveloppes_du_programme(resultat, contexte.etat)

    gauche, droite = st.columns(2)
    with gauche:
        st.subheader("Lauréats par relève")
        st.plotly_chart(figures.laureats_par_releve(donnees.laureats_par_releve(contexte.filtres)), key="releves")
        composants.source(contexte.etat, "Territoires du périmètre par relève de candidature, et leur cumul.")
    with droite:
        st.subheader("Aides engagées dans le temps")
        # The envelope is national: the pace and what is engaged are measured on the whole base.
        epuisement = projection.projection_epuisement(
            donnees.aides_par_date(contexte.sans_filtre),
            v["enveloppe_aides.total_eur"] - v["enveloppe_aides.reste_eur"],
        )
        figure = figures.trajectoire_aides(
            donnees.aides_par_date(contexte.filtres),
            projection.trajectoire_lineaire(),
            epuisement.epuisement,
            float(epuisement.engage_eur),
            epuisement.reference,
        )
        st.plotly_chart(figure, key="trajectoire")
        if epuisement.epuisement:
            st.markdown(
                f"Au rythme des douze mois précédant la dernière décision ({formats.date_fr(epuisement.reference)}), "
                f"soit {formats.millions_euros(epuisement.rythme_annuel_eur)} par an, les 90 M€ seraient épuisés "
                f"le **{formats.date_fr(epuisement.epuisement)}**."
            )
        elif epuisement.rythme_annuel_eur > 0:
            st.markdown(
                f"Au rythme des douze mois précédant la dernière décision ({formats.date_fr(epuisement.reference)}), "
                f"soit {formats.millions_euros(epuisement.rythme_annuel_eur)} par an, les 90 M€ ne seraient pas "
                "épuisés avant 2100 : pas de date projetée."
            )
        else:
            st.markdown("Aucune aide décidée pour l'instant : pas de projection d'épuisement.")
        composants.source(
            contexte.etat,
            "Cumul des aides des projets accordés par date de décision ; trajectoire "
            "linéaire de 0 au 01/10/2022 à 90 M€ au 01/10/2026 ; projection sur toute la base.",
        )

    st.subheader("Projets par filière et par statut")
    st.plotly_chart(figures.projets_filiere_statut(donnees.projets_filiere_statut(contexte.filtres)), key="filieres")
    composants.source(contexte.etat, EXPLICATION_PAR_STATUT)

    territoires = donnees.territoires(contexte.filtres)
    st.subheader("Carte des territoires lauréats")
    cartes.carte_nationale(territoires, contexte)
    st.subheader("Territoires")
    tableaux_affiches.tableau_territoires(territoires, contexte)
