"""Historique des versions: the list, a comparison of any two versions, and restore."""

from __future__ import annotations

import streamlit as st

from rebond_core import formats, vues_historique
from rebond_core.comparaison import comparer_indicateurs, statuts_changes
from rebond_core.versions import liste_versions
from rebond_ui import acces, cadre, composants, donnees, restauration

with cadre.page() as contexte:
    st.title("Historique des versions")
    composants.annonce(restauration.ANNONCE)
    versions = liste_versions(donnees.lecture())
    if not versions:
        st.info("Aucune version : rien n'a encore été importé.")
        cadre.arreter()
    st.dataframe(vues_historique.tableau_versions(versions), hide_index=True, width="stretch")
    st.caption("La version la plus récente est en haut ; elle est la version courante.")

    st.subheader("Comparer deux versions")
    numeros = [v["numero"] for v in versions]
    gauche, droite = st.columns(2)
    avant = gauche.selectbox(
        "Avant",
        [0, *numeros],
        index=max(0, len(numeros) - 1),
        format_func=lambda n: "État initial (avant tout import)" if n == 0 else f"Version {n}",
    )
    apres = droite.selectbox("Après", numeros, index=len(numeros) - 1, format_func=lambda n: f"Version {n}")
    comparaison = comparer_indicateurs(donnees.lecture(), avant, apres)
    st.dataframe(vues_historique.tableau_comparaison(comparaison), hide_index=True, width="stretch")
    changes = statuts_changes(donnees.lecture(), avant, apres)
    st.markdown(f"**Projets dont le statut a changé** : {formats.nombre(len(changes))}")
    if not changes.empty:
        vue_changes = changes.rename(columns=vues_historique.COLONNES_STATUTS_CHANGES)
        st.dataframe(vue_changes, hide_index=True, width="stretch")
        composants.telechargements(
            vue_changes,
            "statuts-changes",
            [f"Rebond industriel — statuts changés entre les versions {avant} et {apres}"],
            "statuts",
        )

    if not contexte.habilitation.peut("restaurer"):
        cadre.arreter()  # restoring is for data staff (checked again when it runs)
    st.subheader("Restaurer une version")
    if not acces.import_autorise():
        st.info("La restauration est désactivée sur ce serveur.")
        cadre.arreter()
    if donnees.en_lecture_seule():
        st.info(donnees.LECTURE_SEULE.format(quoi="restauration"), icon=":material/lock:")
        cadre.arreter()
    restauration.choisir_et_restaurer(numeros)
