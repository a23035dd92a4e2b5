"""Arbitrage: which pending projects the remaining aid envelope should fund — the optimal selection
against first come, the envelopes that bind with their marginal values, and the value as the national
budget varies (spec arbitrage.md). The page proposes; people decide."""

from __future__ import annotations

import streamlit as st

from rebond_core import figures, formats, vues_arbitrage
from rebond_ui import arbitrage as reglages_arbitrage
from rebond_ui import cadre, composants, donnees, filtres, graphiques
from rebond_ui.surete import echapper

with cadre.page() as contexte:
    st.title("Arbitrage des demandes en attente")
    st.info(vues_arbitrage.AVERTISSEMENT, icon=":material/gavel:")
    description = filtres.description(contexte.filtres, contexte.options)
    reglages = reglages_arbitrage.panneau(donnees.budget_arbitrage(contexte.filtres))
    analyse = donnees.arbitrage(contexte.filtres, reglages)
    a = analyse.arbitrage
    # Our own words and numbers only (the scope, with its names, is in the sidebar): not escaped, so that the
    # numbers keep their no-break spaces.
    st.caption(" · ".join(vues_arbitrage.reglages_lisibles(a, description)[1:]))
    if a.candidats.empty:
        st.info(
            "Aucun projet priorisé ou déposé avec une aide demandée dans ce périmètre : rien à arbitrer. "
            "Élargissez les filtres ou cliquez sur « Réinitialiser les filtres »."
        )
        cadre.arreter()

    objectif = reglages.objectif
    colonnes = st.columns(4)
    colonnes[0].metric(
        "Candidats",
        formats.nombre(len(a.candidats)),
        help="Projets priorisés ou déposés du périmètre avec une aide demandée : "
        f"{formats.indicateur(a.candidats['aide_demandee_eur'].astype(float).sum(), formats.EUROS)} demandés.",
    )
    colonnes[1].metric(
        f"Proposition : {vues_arbitrage.unite(objectif)}",
        vues_arbitrage.valeur_courte(a.valeur, objectif),
        delta=vues_arbitrage.ecart_court(a, objectif),
        help="Écart avec la règle « premier arrivé ».",
    )
    colonnes[2].metric("Aide proposée", formats.indicateur(a.aide_eur, formats.EUROS))
    colonnes[3].metric(
        f"Premier arrivé : {vues_arbitrage.unite(objectif)}",
        vues_arbitrage.valeur_courte(a.valeur_premier_arrive, objectif),
        help=f"Pour {formats.indicateur(a.aide_premier_arrive_eur, formats.EUROS)} d'aide.",
    )
    st.markdown(vues_arbitrage.comparaison(a))
    if a.resolution.optimale:
        st.caption(vues_arbitrage.statut_calcul(a))
    else:
        st.warning(vues_arbitrage.statut_calcul(a), icon=":material/timer:")
    noms = dict(contexte.options["territoire"])
    phrase = vues_arbitrage.ou_compte_le_plus(analyse, {code: echapper(nom) for code, nom in noms.items()})
    if phrase:
        st.markdown(f"**Où un euro de plus compte le plus.** {phrase}")

    st.subheader("Projets : proposés, puis écartés")
    reglages_arbitrage.tableau_projets(vues_arbitrage.vue_projets(a, noms))
    composants.telechargements(
        vues_arbitrage.export_proposition(a, noms),
        "proposition-arbitrage",
        vues_arbitrage.entete_export(
            analyse,
            reglages_arbitrage.description_texte(contexte.filtres, contexte.options),
            contexte.version,
        ),
        "arbitrage",
    )

    st.subheader("Enveloppes et valeurs marginales")
    reglages_arbitrage.tableau_enveloppes(vues_arbitrage.vue_enveloppes(analyse, noms), objectif)
    st.caption(vues_arbitrage.EXPLICATION_ENVELOPPES)

    st.subheader("Selon le budget national")
    graphiques.graphique(
        figures.courbe_arbitrage(analyse.courbe, float(a.budget_eur), objectif),
        config={"displayModeBar": False},
        key="courbe_arbitrage",
    )
    st.caption(vues_arbitrage.explication_courbe(analyse))
    st.caption(vues_arbitrage.METHODE)
