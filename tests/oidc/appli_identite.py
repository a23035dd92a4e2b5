"""A one-page application for the login tests: the mode, the login and logout buttons of rebond_ui.identite,
and what it resolved (run by tests/test_navigateur_connexion.py through tests/outils/oidc.appli_authentifiee).
Each fact on its own `st.text` line, "clé : valeur", for the test to read."""

from __future__ import annotations

import streamlit as st

from rebond_ui import identite

st.text(f"mode : {identite.mode()}")
if not identite.connecte():
    st.text("connecte : non")
    if st.button("Se connecter"):
        identite.se_connecter()
else:
    st.text("connecte : oui")
    st.text(f"email du jeton d'identite : {st.user.get('email')}")
    resolue = identite.identite_de_session()
    st.text(f"email : {resolue.email if resolue else None}")
    st.text(f"source : {resolue.source if resolue else None}")
    if st.button("Se déconnecter"):
        identite.se_deconnecter()
