"""What the entry point computes once per run and every page reads: data version, state, filters."""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from rebond_core.indicateurs import Filtres
from rebond_core.tableaux import EtatDonnees

_CLE = "contexte_page"
POINT_D_ENTREE = Path(__file__).resolve().parent.parent / "dashboard.py"


@dataclass(frozen=True)
class Contexte:
    version: int
    etat: EtatDonnees
    options: dict[str, list[tuple[Any, str]]]
    filtres: Filtres


def definir(contexte: Contexte) -> None:
    st.session_state[_CLE] = contexte


def courant() -> Contexte:
    """The context set by dashboard.py. On a fresh server, Streamlit's legacy `pages/` routing may run
    a page directly for the first request (before any st.navigation call): the entry point is then
    run in its place, which routes to the same page with the frame, and this run stops there."""
    if _CLE not in st.session_state:
        runpy.run_path(str(POINT_D_ENTREE), run_name="__main__")
        st.stop()
    return st.session_state[_CLE]
