"""The sites page's settings panel (grid, mode, robustness test, each criterion's weight and threshold),
kept in step with the link, and the choice of the site whose score is explained."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rebond_core.grilles import Grille, grilles
from rebond_core.vues_sites import Choix
from rebond_ui import lien_sites, parametres_url
from rebond_ui.lien_sites import AUCUN, SEUILS, cle_poids, cle_seuil


def panneau() -> Choix:
    """Draw the settings panel, keep the link in step, return the settings."""
    lien_sites.lire_une_fois()
    toutes = grilles()
    haut = st.columns([3, 2, 1.2, 1.2, 1.2])
    code = haut[0].selectbox(
        "Grille de critères", list(toutes), format_func=lambda c: toutes[c].libelle, key=lien_sites.GRILLE
    )
    grille = toutes[code]
    with haut[1]:
        st.write("")
        st.toggle(
            "Non évalué = 0",
            key=lien_sites.NON_EVALUE_ZERO,
            help="Un critère non évalué compte pour 0 (sinon il est exclu du calcul et la complétude baisse).",
        )
    haut[2].number_input(
        "Tirages",
        min_value=lien_sites.TIRAGES_MIN,
        max_value=lien_sites.TIRAGES_MAX,
        step=100,
        key=lien_sites.TIRAGES,
        help="Nombre de jeux de poids tirés au hasard (graine fixe) pour tester la robustesse.",
    )
    haut[3].number_input(
        "Variation des poids ± %",
        min_value=0,
        max_value=100,
        step=5,
        key=lien_sites.ECART_PCT,
        help="Chaque poids varie uniformément dans ± X % de sa valeur à chaque tirage.",
    )
    haut[4].number_input(
        "Tête (k premiers)",
        min_value=1,
        max_value=lien_sites.TETE_MAX,
        step=1,
        key=lien_sites.TETE,
        help="Part des tirages où le site est dans les k premiers.",
    )
    st.caption(f"Grille « {grille.libelle} » : {grille.note}")
    _criteres(grille)
    parametres_url.afficher(lien_sites.avis_du_lien())
    lien_sites.ecrire(grille)
    etat = st.session_state
    return Choix(
        grille=code,
        poids=tuple(float(etat[cle_poids(c.code)]) for c in grille.criteres),
        seuils=tuple(
            None if etat[cle_seuil(c.code)] == AUCUN else int(etat[cle_seuil(c.code)]) for c in grille.criteres
        ),
        non_evalue_zero=bool(etat[lien_sites.NON_EVALUE_ZERO]),
        tirages=int(etat[lien_sites.TIRAGES]),
        ecart_pct=int(etat[lien_sites.ECART_PCT]),
        top=int(etat[lien_sites.TETE]),
    )


def _criteres(grille: Grille) -> None:
    """One line per criterion: its label (with its description), weight and eliminatory threshold."""
    with st.expander("Poids et seuils éliminatoires des critères", expanded=False):
        entetes = st.columns([4, 2, 2])
        entetes[0].markdown("**Critère**")
        entetes[1].markdown("**Poids**")
        entetes[2].markdown("**Seuil éliminatoire**")
        for critere in grille.criteres:
            ligne = st.columns([4, 2, 2], vertical_alignment="center")
            ligne[0].markdown(critere.libelle, help=critere.description)
            ligne[1].number_input(
                f"Poids — {critere.libelle}",
                min_value=lien_sites.POIDS_MIN,
                max_value=lien_sites.POIDS_MAX,
                step=0.5,
                key=cle_poids(critere.code),
                label_visibility="collapsed",
            )
            ligne[2].selectbox(
                f"Seuil — {critere.libelle}",
                SEUILS,
                key=cle_seuil(critere.code),
                format_func=lambda s: s if s == AUCUN else f"note ≥ {s}",
                label_visibility="collapsed",
            )
        st.caption(
            "Un site noté sous un seuil, ou non évalué sur un critère qui a un seuil, est écarté "
            "(« non retenu ») et n'est pas classé ; il garde son score et sa complétude."
        )


def site_explique(tableau: pd.DataFrame) -> str:
    """Draw the choice of the site to explain (the link's, else the first of the ranking); keep the link
    in step; return its id_site."""
    ids = list(tableau["id_site"])
    noms = dict(zip(tableau["id_site"], tableau["nom"], strict=True))
    avis = lien_sites.site_du_lien_absent(ids)
    if avis:
        parametres_url.afficher([avis])
    if st.session_state.get(lien_sites.SITE) not in ids:
        st.session_state[lien_sites.SITE] = ids[0]
    site = st.selectbox("Site", ids, format_func=lambda i: f"{noms[i]} ({i})", key=lien_sites.SITE)
    lien_sites.ecrire_site()
    return str(site)
