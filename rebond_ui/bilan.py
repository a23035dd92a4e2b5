"""The overview's reading of a closed call: the balance band (call closed, laureates against what was
announced, the 90 M€ split, payments and jobs created, what needs attention), and the pace of decisions
measured up to the reference date with what it supports of a projection."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, projection, vues_suivi
from rebond_core.config import CLOTURE_APPEL, DELAI_VERSEMENT_JOURS, JALONS_ANNONCES
from rebond_core.indicateurs import Resultat
from rebond_ui import composants, donnees, graphiques, jauges
from rebond_ui.contexte import Contexte


def filtre_actif(contexte: Contexte) -> bool:
    """Whether the figures are of a part of the programme: filters chosen, or a COPIL member's scope."""
    f = contexte.filtres
    return bool(f.region or f.releve or f.filiere or f.territoire) or not contexte.portee.nationale


def bande(contexte: Contexte, resultat: Resultat, territoires: pd.DataFrame, provenance: pd.DataFrame) -> None:
    """The balance of the call as of the reference date (the figures of the scope; national where said)."""
    v = resultat.valeurs
    filtre = filtre_actif(contexte)
    au = contexte.au
    with st.container(border=True):
        if au >= CLOTURE_APPEL:
            st.subheader(f"Bilan de l'appel, clos le {formats.date_fr(CLOTURE_APPEL)}")
            st.markdown(
                f"La dernière relève a eu lieu le **{formats.date_fr(CLOTURE_APPEL)}** : l'appel est clos, aucun "
                "nouveau territoire n'y entre. France 2030 se poursuit jusqu'en 2030 : les décisions sur les "
                "demandes déjà déposées, les versements et les remboursements continuent. Chiffres au "
                f"**{formats.date_fr(au)}**."
            )
        else:
            st.subheader("Bilan de l'appel en cours")
            st.markdown(f"L'appel reste ouvert jusqu'à sa dernière relève, le {formats.date_fr(CLOTURE_APPEL)}.")
        st.markdown(_texte_laureats(int(v["territoires.nombre"]), filtre, contexte.etat.demo))
        composants.tuiles(
            resultat, ["versements.verse_eur", "versements.taux", "emplois.crees_soutenus", "emplois.taux_realisation"]
        )
        st.caption(
            f"Versé : {formats.millions_euros(v['versements.verse_eur'])} sur "
            f"{formats.millions_euros(v['enveloppe_aides.engage_eur'])} engagés ; avances déjà remboursées par les "
            f"entreprises : {formats.millions_euros(v['versements.rembourse_eur'], 2)}. Emplois : "
            f"{formats.nombre(v['emplois.crees_soutenus'])} créés sur les {formats.nombre(v['emplois.soutenus'])} "
            "prévus par les projets accordés."
        )
        _a_suivre(resultat)
        st.markdown("**Les 90 M€ d'aides à l'investissement**")
        jauges.enveloppes_du_programme(
            resultat, contexte.etat, filtre, vues_suivi.texte_enveloppes_incertaines(territoires, provenance)
        )
        gauche, droite = st.columns(2)
        with gauche:
            st.markdown("**Lauréats par relève, face au rythme annoncé**")
            releves = donnees.laureats_par_releve(contexte.filtres)
            avec_provenance = vues_suivi.laureats_par_provenance(releves, territoires, provenance)
            annonces = None if filtre else vues_suivi.laureats_annonces(releves)
            graphiques.graphique(figures.laureats_par_releve(avec_provenance, annonces), key="releves")
            composants.source(
                contexte.etat,
                "Territoires du périmètre par relève de candidature, et leur cumul"
                + (
                    f" ; {vues_suivi.EXPLICATION_RYTHME_ANNONCE} ; losanges : annonces publiques."
                    if not filtre
                    else " (la comparaison aux annonces porte sur tout le programme : sans filtre)."
                ),
            )
            if contexte.etat.demo:
                composants.legende_provenance()
        with droite:
            st.markdown("**Aides engagées, versées et remboursées**")
            aides = donnees.aides_par_date(contexte.filtres)
            versements = donnees.versements_par_date(contexte.filtres)
            graphiques.graphique(figures.courbe_versements(aides, versements, au), key="versements")
            composants.source(
                contexte.etat,
                "Cumuls par date : aides des projets accordés à leur date de décision, versements de subvention "
                f"et d'avance et remboursements d'avance à leur date de valeur, jusqu'au {formats.date_fr(au)}.",
            )
            if versements.empty:
                st.info("Aucun versement enregistré dans le périmètre à cette date.", icon=":material/info:")


def _texte_laureats(nombre: int, filtre: bool, demo: bool) -> str:
    if filtre:
        return f"**{formats.nombre(nombre)}** territoire(s) lauréat(s) dans le périmètre choisi."
    jalons = " ; ".join(libelle for _, _, libelle in JALONS_ANNONCES)
    return (
        f"**{formats.nombre(nombre)} territoires lauréats** dans la base. Annoncé : {vues_suivi.RYTHME_ANNONCE}, "
        f"soit une quarantaine sur les quatre ans de l'appel ; {jalons}."
        + (
            " Les données de démonstration ne comptent que les lauréats retrouvés dans les sources publiques."
            if demo
            else ""
        )
    )


def _a_suivre(resultat: Resultat) -> None:
    v = resultat.valeurs
    attente, sans_versement = int(v["projets.en_attente_12_mois"]), int(v["projets.accordes_sans_versement"])
    texte = (
        f"**À suivre** : {formats.nombre(attente)} projet(s) priorisé(s) ou déposé(s) attendent une décision depuis "
        f"plus de 12 mois ; {formats.nombre(sans_versement)} projet(s) accordé(s) n'ont reçu aucun versement "
        f"{DELAI_VERSEMENT_JOURS} jours après la décision."
    )
    gauche, droite = st.columns([4, 1], vertical_alignment="center")
    gauche.markdown(texte)
    droite.page_link("pages/a_suivre.py", label="Projets à suivre", icon=":material/pending_actions:")


def rythme_et_projection(contexte: Contexte, resultat: Resultat, sans_filtre: Resultat) -> None:
    """Aid engaged over time (the scope), the straight path to the closing, and the pace of decisions up to
    the reference date on the whole base (the envelope is national), with what it supports."""
    epuisement = projection.projection_epuisement(
        donnees.aides_par_date(contexte.sans_filtre),
        sans_filtre.valeurs["enveloppe_aides.demandes_en_cours_eur"],
        contexte.au,
    )
    figure = figures.trajectoire_aides(
        donnees.aides_par_date(contexte.filtres),
        projection.trajectoire_lineaire(),
        epuisement.epuisement,
        float(epuisement.engage_eur),
        contexte.au,
        CLOTURE_APPEL,
    )
    graphiques.graphique(figure, key="trajectoire")
    st.markdown(epuisement.constat)
    composants.source(
        contexte.etat,
        "Cumul des aides des projets accordés par date de décision ; trajectoire linéaire de 0 au 01/10/2022 "
        f"à 90 M€ à la clôture de l'appel ({formats.date_fr(CLOTURE_APPEL)}) ; rythme et projection mesurés sur "
        + (
            "toute la base (l'enveloppe est nationale)"
            if contexte.portee.nationale
            else "votre seul périmètre (aides engagées nationales : voir les jauges)"
        )
        + ", sur les 12 mois précédant la date de référence.",
    )
