"""Rebond — entry point: the pages and their addresses. Run with `make run`; each page draws the
shared frame (header, navigation, filters) through rebond_ui.cadre."""

from __future__ import annotations

import streamlit as st

from rebond_ui import acces
from rebond_ui.cadre import PAGES, configurer_page, erreurs_affichees, pages_de

configurer_page()
habilitation = None
with erreurs_affichees():  # an incomplete [auth] configuration: its French message, and no page
    habilitation = acces.session()  # the login or the refusal page, and the end of the run, when not allowed
if habilitation is None:
    st.stop()
URLS = {
    "pages/vue_ensemble.py": "vue-ensemble",
    "pages/territoire.py": "territoire",
    "pages/a_suivre.py": "a-suivre",
    "pages/importer.py": "importer",
    "pages/historique.py": "historique",
    "pages/sites.py": "sites",
    "pages/arbitrage.py": "arbitrage",
    "pages/acces.py": "acces",
}
navigation = st.navigation(
    [
        st.Page(chemin, title=titre, icon=icone, url_path=URLS[chemin], default=chemin == PAGES[0][0])
        for chemin, titre, icone in pages_de(habilitation)
    ],
    position="hidden",
)
navigation.run()
