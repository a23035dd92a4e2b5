"""Accès (administrators): the habilitations in force, their replacement by a CSV file, the access journal."""

from __future__ import annotations

import streamlit as st

from rebond_ui import acces, cadre, habilitations

with cadre.page() as contexte:
    st.title("Accès")
    acces.exiger("administrer")  # on the server, whatever the navigation showed
    habilitations.liste()
    habilitations.remplacement()
    habilitations.journal_des_acces()
