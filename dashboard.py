"""Rebond — entry point: navigation, header, shared filters, footer. Run with `make run`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rebond_core.erreurs import RebondError
from rebond_ui import composants, donnees, filtres
from rebond_ui.contexte import Contexte, definir

ICONE = Path(__file__).parent / "rebond_ui" / "icone.png"  # local: no icon fetched from outside
st.set_page_config(page_title="Rebond industriel", page_icon=str(ICONE), layout="wide")

PAGES = [
    st.Page("pages/vue_ensemble.py", title="Vue d'ensemble", icon=":material/dashboard:", url_path="vue-ensemble",
            default=True),
    st.Page("pages/territoire.py", title="Territoire", icon=":material/location_on:", url_path="territoire"),
]
navigation = st.navigation(PAGES)

try:
    version = donnees.version()
except RebondError as erreur:
    st.error(erreur.message_fr)
    st.stop()

etat = donnees.etat(version)
composants.entete(etat)
options = donnees.options(version)
definir(Contexte(version, etat, options, filtres.filtres_partages(options)))
navigation.run()
composants.pied()
