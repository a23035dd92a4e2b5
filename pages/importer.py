"""Importer des résultats: template, upload, validation report, preview of the changes, publish."""

from __future__ import annotations

import streamlit as st

from rebond_ui import acces, cadre, donnees, televersement

with cadre.page() as contexte:
    st.title("Importer des résultats")
    acces.exiger("importer")  # the navigation hides this page from other roles; a direct run is refused here
    if not acces.import_autorise():
        st.info("L'import est désactivé sur ce serveur : il est réservé à l'équipe données du programme.")
        cadre.arreter()
    if donnees.en_lecture_seule():
        st.info(donnees.LECTURE_SEULE.format(quoi="import"), icon=":material/lock:")
        cadre.arreter()
    televersement.parcours(contexte.version)
