"""The connection (one per server process) and every cached call to the core, in one place.

Each cached function wraps one core function and is keyed on its arguments: the `Filtres` (a frozen
dataclass that carries the data version) or the version itself, so that a publish shows everywhere at
once. Boundaries and the import template do not depend on the data and are cached for the process."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import geo, perimetre, referentiel, versions, vues_sites, vues_suivi
from rebond_core.arbitrage import Reglages, budget_par_defaut
from rebond_core.config import chemin_base
from rebond_core.db import Base, ecriture_possible
from rebond_core.erreurs import RebondError
from rebond_core.importation.modele_classeur import ecrire_modele
from rebond_core.indicateurs import Resultat, calculer
from rebond_core.perimetre import Filtres
from rebond_core.vues_arbitrage import Analyse, analyser
from rebond_ui import acces


@st.cache_resource(on_release=lambda base: base.fermer())
def base() -> Base:
    """The database of this server. Read-write when this server may write (the import and restore pages
    write through it); read-only when import is disabled (REBOND_IMPORT=desactive: a read-only
    deployment, which may then serve a read-only file) or when the file or its folder cannot be written.
    A writable base made before the published laureates were carried into it gets them now (a read-only
    one has them read from data/laureats-publics.csv)."""
    chemin = chemin_base()
    if not acces.import_autorise() or (chemin.exists() and not ecriture_possible(chemin)):
        return Base.ouvrir(chemin, lecture_seule=True)
    ouverte = Base.ouvrir(chemin)
    try:
        referentiel.assurer_laureats_publics(ouverte)
    except RebondError:
        pass  # referentiel.laureats_publics reads data/laureats-publics.csv instead
    return ouverte


LECTURE_SEULE = (
    "La base est en lecture seule pour ce serveur (fichier ou dossier non modifiable) : {quoi} impossible. "
    "Les pages de consultation fonctionnent normalement."
)


def en_lecture_seule() -> bool:
    """Whether this server's base is open read-only (import disabled, or a file it may not write)."""
    return base().lecture_seule


def version() -> int:
    return base().version_courante()


# --- the data, keyed on the filters (with their version) or on the version --------------------------


@st.cache_data(max_entries=256, show_spinner=False)
def indicateurs(filtres: Filtres) -> Resultat:
    return calculer(base(), filtres)


@st.cache_data(max_entries=128, show_spinner=False)
def territoires(filtres: Filtres) -> pd.DataFrame:
    return perimetre.territoires(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def laureats_par_releve(filtres: Filtres) -> pd.DataFrame:
    return perimetre.laureats_par_releve(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def aides_par_date(filtres: Filtres) -> pd.DataFrame:
    return perimetre.aides_par_date(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def versements_par_date(filtres: Filtres) -> pd.DataFrame:
    return perimetre.versements_par_date(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def versements(filtres: Filtres) -> pd.DataFrame:
    return perimetre.versements(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def a_suivre(filtres: Filtres) -> pd.DataFrame:
    """The projects in scope that need a decision or a payment, as of the filters' reference date."""
    return vues_suivi.projets_a_suivre(perimetre.projets(base(), filtres), filtres.date_reference)


@st.cache_data(max_entries=64, show_spinner=False)
def projets_filiere_statut(filtres: Filtres) -> pd.DataFrame:
    return perimetre.projets_filiere_statut(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def projets(filtres: Filtres) -> pd.DataFrame:
    return perimetre.projets(base(), filtres)


@st.cache_data(max_entries=64, show_spinner="Calcul du classement et de sa robustesse…")
def classement_sites(filtres: Filtres, choix: vues_sites.Choix) -> vues_sites.ClassementDetaille:
    """The sites of the scope ranked on the page's settings (raises ReglageInvalide on refused settings)."""
    return vues_sites.classement_detaille(perimetre.sites(base(), filtres), choix)


@st.cache_data(max_entries=32, show_spinner="Calcul de la sélection optimale…")
def arbitrage(filtres: Filtres, reglages: Reglages) -> Analyse:
    """The arbitration of the scope on the page's settings: proposal, first come, envelopes, budget curve."""
    return analyser(base(), filtres, reglages)


@st.cache_data(max_entries=32, show_spinner=False)
def budget_arbitrage(filtres: Filtres) -> Decimal:
    """What remains of the national envelope (the arbitration's default budget)."""
    return budget_par_defaut(base(), filtres)


@st.cache_data(max_entries=64, show_spinner=False)
def epci_du_territoire(code: str, version_donnees: int) -> pd.DataFrame:
    return perimetre.epci_du_territoire(base(), code, version_donnees)


@st.cache_data(max_entries=8, show_spinner=False)
def options(version_donnees: int) -> dict[str, list[tuple[Any, str]]]:
    return perimetre.options_filtres(base())


@st.cache_data(max_entries=8, show_spinner=False)
def laureats_publics(version_donnees: int) -> pd.DataFrame:
    """The published laureates (the reference table does not change with the data version; keyed on it so
    that a base whose table was loaded meanwhile is read again)."""
    return referentiel.laureats_publics(base())


@st.cache_data(max_entries=8, show_spinner=False)
def provenance(version_donnees: int) -> pd.DataFrame:
    """Where each shown value of each territory comes from (referentiel.provenances), index code_territoire."""
    demo = etat(version_donnees).demo
    territoires_ = perimetre.territoires(base(), Filtres(version=version_donnees))
    return referentiel.provenances(territoires_, laureats_publics(version_donnees), demo)


@st.cache_data(max_entries=8, show_spinner=False)
def texte_demonstration(version_donnees: int) -> str:
    return referentiel.texte_demonstration(provenance(version_donnees))


@st.cache_data(max_entries=8, show_spinner=False)
def etat(version_donnees: int) -> versions.StatutDonnees:
    return versions.statut_donnees(base())


# --- what does not depend on the data ---------------------------------------------------------------


@st.cache_data(max_entries=32, show_spinner=False)
def couche(nom: str, codes: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """A boundaries layer of geo.FICHIERS, reduced to these codes (None: the whole layer)."""
    return geo.couche(nom, None if codes is None else set(codes))


@st.cache_data(max_entries=1, show_spinner=False)
def centroides() -> dict[str, tuple[float, float]] | None:
    return geo.centroides_communes()


@st.cache_data(show_spinner=False)
def modele_classeur() -> bytes:
    """The empty import workbook with its notice, written once per process."""
    with tempfile.TemporaryDirectory() as dossier:
        chemin = Path(dossier) / "modele.xlsx"
        ecrire_modele(chemin)
        return chemin.read_bytes()
