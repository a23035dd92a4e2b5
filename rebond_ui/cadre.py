"""The frame every page draws first: page settings, header, navigation links, shared filters.

Each page calls `cadre()` itself (rather than relying on the entry point) because Streamlit, seeing
a `pages/` folder, may run a page script directly for the first request of a fresh server."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rebond_core.erreurs import RebondError
from rebond_ui import composants, donnees, filtres
from rebond_ui.contexte import Contexte

ICONE = Path(__file__).parent / "icone.png"  # local file: no icon fetched from outside
PAGES = (
    ("pages/vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:"),
    ("pages/territoire.py", "Territoire", ":material/location_on:"),
    ("pages/sites.py", "Sites industriels de demain", ":material/factory:"),
    ("pages/importer.py", "Importer des résultats", ":material/upload_file:"),
    ("pages/historique.py", "Historique des versions", ":material/history:"),
)


def configurer_page() -> None:
    st.set_page_config(page_title="Rebond industriel", page_icon=str(ICONE), layout="wide")


def cadre() -> Contexte:
    """Draw the frame and return what the page needs: data version and state, options, filters."""
    configurer_page()
    try:
        version = donnees.version()
    except RebondError as erreur:
        st.error(erreur.message_fr)
        st.stop()
    etat = donnees.etat(version)
    composants.entete(etat)
    with st.sidebar:
        for chemin, titre, icone in PAGES:
            st.page_link(chemin, label=titre, icon=icone)
        st.divider()
    options = donnees.options(version)
    return Contexte(version, etat, options, filtres.filtres_partages(options))
