"""Rebond — entry point: the pages and their addresses. Run with `make run`; each page draws the
shared frame (header, navigation, filters) through rebond_ui.cadre."""

from __future__ import annotations

import streamlit as st

from rebond_ui.cadre import PAGES, configurer_page

configurer_page()
URLS = {
    "pages/vue_ensemble.py": "vue-ensemble",
    "pages/territoire.py": "territoire",
    "pages/a_suivre.py": "a-suivre",
    "pages/importer.py": "importer",
    "pages/historique.py": "historique",
    "pages/sites.py": "sites",
    "pages/arbitrage.py": "arbitrage",
}
navigation = st.navigation(
    [
        st.Page(chemin, title=titre, icon=icone, url_path=URLS[chemin], default=chemin == PAGES[0][0])
        for chemin, titre, icone in PAGES
    ],
    position="hidden",
)
navigation.run()
