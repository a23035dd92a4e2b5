"""Page parts of the execution follow-up: a territory's published figures beside the base's, its payments,
and the table of projects that need a decision or a payment (with its download)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from rebond_core import formats, vues_suivi
from rebond_ui import composants, donnees, filtres
from rebond_ui.contexte import Contexte
from rebond_ui.surete import echapper
from rebond_ui.tableaux_affiches import en_francais

_ADRESSE_SURE = re.compile(r"https?://[^\s()<>\[\]\"'`]+")


def provenance_du_territoire(provenance: pd.DataFrame, code: str) -> dict[str, str]:
    """The territory's row of referentiel.provenances as {value: provenance} (values with one only)."""
    if code not in provenance.index:
        return {}
    return {champ: str(p) for champ, p in provenance.loc[code].items() if isinstance(p, str)}


def _publie(contexte: Contexte, code: str) -> Mapping[str, Any] | None:
    publics = donnees.laureats_publics(contexte.version)
    lignes = publics[publics["code_territoire"] == code]
    return None if lignes.empty else lignes.iloc[0].to_dict()


def publie_et_detecte(contexte: Contexte, code: str, nom: str) -> None:
    """The published mission results of the territory beside the totals the base detected (the territory
    alone, whatever the other filters), with the sources."""
    seul = contexte.seulement_territoire(code)
    resultat = donnees.indicateurs(seul)
    territoire = donnees.territoires(seul).iloc[0]
    publie = _publie(contexte, code)
    detectees = vues_suivi.valeurs_detectees(territoire, resultat.valeurs, resultat.par_statut)
    comparaison = vues_suivi.comparaison_publiee(publie, detectees)
    st.dataframe(
        comparaison,
        hide_index=True,
        width="stretch",
        column_config={
            "Chiffre": st.column_config.TextColumn("Chiffre", width="medium"),
            "Publié": st.column_config.TextColumn("Publié", width="medium"),
            "Dans la base": st.column_config.TextColumn("Dans la base", width="large"),
        },
    )
    autres_filtres = contexte.filtres.region or contexte.filtres.releve or contexte.filtres.filiere
    st.caption(
        "Publié : résultats de la mission parus dans les sources publiques (« non publié » quand aucune ne le "
        "donne). Base : totaux de tous les projets détectés par la mission, quel que soit leur statut"
        + (", sur tout le territoire quels que soient les autres filtres." if autres_filtres else ".")
        + (" Les données de démonstration sont calibrées pour les égaler." if contexte.etat.demo else "")
    )
    adresses = [a for a in vues_suivi.sources(publie) if _ADRESSE_SURE.fullmatch(a)]
    if adresses:
        st.markdown(
            "Sources : " + " · ".join(f"[{echapper(urlparse(a).netloc or a)}]({a})" for a in adresses),
        )
    composants.telechargements(
        comparaison,
        f"publie-et-detecte-{code}",
        [
            f"Rebond industriel — {nom} : résultats publiés de la mission et totaux de la base",
            f"Version {contexte.version}, au {formats.date_fr(contexte.au)}",
            "Sources : " + " ; ".join(vues_suivi.sources(publie)) if publie is not None else "Sources : aucune",
        ],
        "publie_detecte",
    )


def versements(contexte: Contexte, nom_fichier: str, titre: str) -> None:
    """The payments of the scope up to the reference date: their list, and its download."""
    liste = donnees.versements(contexte.filtres)
    if liste.empty:
        st.info(f"Aucun versement enregistré au {formats.date_fr(contexte.au)}.", icon=":material/info:")
        return
    vue = vues_suivi.vue_versements(liste)
    st.dataframe(
        en_francais(vue),
        hide_index=True,
        width="stretch",
        key="table_versements",
        column_config={"Date": st.column_config.DateColumn("Date", format="DD/MM/YYYY")},
    )
    st.caption(
        f"{formats.nombre(len(vue))} mouvement(s) datés au plus tard le {formats.date_fr(contexte.au)}, "
        "les plus récents d'abord."
    )
    composants.telechargements(
        vue,
        nom_fichier,
        [titre, f"Version {contexte.version}, au {formats.date_fr(contexte.au)}"],
        "versements",
    )


def tableau_a_suivre(suivis: pd.DataFrame, contexte: Contexte, nom_fichier: str, cle: str, criteres: str = "") -> None:
    """The projects to follow (vues_suivi.projets_a_suivre), oldest first, alerts highlighted, and the
    download of exactly what is shown (`criteres`: the page's own choices, written in its header)."""
    vue = vues_suivi.vue_a_suivre(suivis)
    style = en_francais(vue, sauf=("Jours",)).apply(
        lambda ligne: ["background-color: #FFE9E6" if ligne["Alerte"] else ""] * len(ligne), axis=1
    )
    st.dataframe(
        style,
        hide_index=True,
        width="stretch",
        key=f"table_{cle}",
        column_config={
            "Depuis le": st.column_config.DateColumn("Depuis le", format="DD/MM/YYYY"),
            "Intitulé": st.column_config.TextColumn("Intitulé", width="medium"),
            "Territoire": st.column_config.TextColumn("Territoire", width="medium"),
        },
    )
    st.caption(vues_suivi.EXPLICATION_A_SUIVRE)
    composants.telechargements(
        vue,
        nom_fichier,
        [
            f"Rebond industriel — projets à suivre ; {filtres.description_texte(contexte.filtres, contexte.options)}",
            f"Version {contexte.version}, au {formats.date_fr(contexte.au)}",
            *([criteres] if criteres else []),
        ],
        cle,
    )
