"""The connection (one per server process) and the cached calls to the core, keyed on the data version
so that a publish shows everywhere at once."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import perimetre, versions
from rebond_core.config import chemin_base
from rebond_core.db import Base
from rebond_core.indicateurs import Filtres, Resultat, calculer

CleFiltres = tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]


@st.cache_resource(on_release=lambda base: base.fermer())
def base() -> Base:
    """The database of this server (read-write: the import page writes through it)."""
    return Base.ouvrir(chemin_base())


def version() -> int:
    return base().version_courante()


def cle(filtres: Filtres) -> CleFiltres:
    return (filtres.region, filtres.releve, filtres.filiere, filtres.territoire)


def _filtres(cle_: CleFiltres, version_: int) -> Filtres:
    return Filtres(*cle_, version=version_)


@st.cache_data(max_entries=256, show_spinner=False)
def indicateurs(version_: int, cle_: CleFiltres) -> Resultat:
    return calculer(base(), _filtres(cle_, version_))


@st.cache_data(max_entries=128, show_spinner=False)
def table(nom: str, version_: int, cle_: CleFiltres) -> pd.DataFrame:
    """One of the scope tables of rebond_core.tableaux (territoires, projets, sites …)."""
    fonctions = {
        "territoires": perimetre.territoires,
        "laureats_par_releve": perimetre.laureats_par_releve,
        "aides_par_date": perimetre.aides_par_date,
        "projets_filiere_statut": perimetre.projets_filiere_statut,
        "projets": perimetre.projets,
        "sites": perimetre.sites,
    }
    return fonctions[nom](base(), _filtres(cle_, version_))


@st.cache_data(max_entries=64, show_spinner=False)
def epci_du_territoire(version_: int, code: str) -> pd.DataFrame:
    return perimetre.epci_du_territoire(base(), code, version_)


@st.cache_data(max_entries=8, show_spinner=False)
def options(version_: int) -> dict[str, list[tuple[Any, str]]]:
    return perimetre.options_filtres(base())


@st.cache_data(max_entries=8, show_spinner=False)
def releves_incertaines(version_: int) -> set[str]:
    return versions.releves_incertaines(base())


@st.cache_data(max_entries=8, show_spinner=False)
def etat(version_: int) -> versions.StatutDonnees:
    return versions.statut_donnees(base())
