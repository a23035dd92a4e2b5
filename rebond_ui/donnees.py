"""The bases this server reads and writes, and every cached call to the core, in one place.

`base()` is the whole published state (the current snapshot, read-only): only the choke point and the
lookup of a user's habilitation read it directly. Every read of the pages goes through `lecture()`, the
base the session's user may see (rebond_core/acces/portee.py: the published state itself for a national
user, a scoped copy for a COPIL member). Writes (after `acces.exiger`) open the working base with
`ecriture()` for their own time only, then publish a new snapshot.

Each cached function wraps one core function; `@selon_portee` keys it on the session user's scope (its
first argument, passed by the wrapper: no page can forget it) and on its own arguments: the `Filtres` (a
frozen dataclass that carries the data version) or the version itself, so that a publish shows everywhere
at once. Boundaries and the import template do not depend on the data and are cached for the process."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from rebond_core import geo, instantanes, perimetre, referentiel, versions, vues_sites, vues_suivi
from rebond_core.acces import portee as portees
from rebond_core.acces.portee import Portee
from rebond_core.arbitrage import Reglages, budget_par_defaut
from rebond_core.config import chemin_base
from rebond_core.db import Base, ecriture_possible
from rebond_core.erreurs import ErreurStockage, RebondError
from rebond_core.importation.modele_classeur import ecrire_modele
from rebond_core.indicateurs import Resultat, calculer
from rebond_core.perimetre import Filtres
from rebond_core.vues_arbitrage import Analyse, analyser
from rebond_ui import acces

P = ParamSpec("P")
R = TypeVar("R")


def base() -> Base:
    """What this server reads: the current published snapshot (rebond_core/instantanes.py). CURRENT is
    looked at on each call (one stat), so a publish shows at the next rerun and a reader never sees a half
    publish; the working base is never held open for reading, so the command line imports while the
    dashboard runs. A base with no snapshot yet gets one now when this server may write it; otherwise (a
    read-only deployment of a plain file) the working base is read, read-only."""
    publiee = _publiee()
    if publiee is None and ecriture_permise():
        with ecriture() as travail:
            instantanes.publier(travail)
        publiee = _publiee()
    return publiee if publiee is not None else _base_travail_lecture()


def _publiee() -> Base | None:
    """The current snapshot, opened (None when there is none, or one older than this code's schema)."""
    instantane = _instantane_courant()
    return _base_instantane(str(instantane)) if instantane is not None else None


def cle_lecture() -> str:
    """What `base()` reads (the snapshot's path, or the working base): the key of the scoped copies."""
    instantane = _instantane_courant()
    return str(instantane) if instantane is not None else str(chemin_base())


def _instantane_courant() -> Path | None:
    return instantanes.courant(instantanes.dossier(chemin_base()))


def ecriture_permise() -> bool:
    """Whether this server may write the working base: import not disabled (REBOND_IMPORT=desactive), and
    the file and its folder writable."""
    chemin = chemin_base()
    return acces.import_autorise() and (not chemin.exists() or ecriture_possible(chemin))


@contextmanager
def ecriture() -> Iterator[Base]:
    """The working base, open for writing for the time of one write (an import, a restore, a list of
    habilitations, a report's record), then closed. Raises ErreurStockage when this server may not write."""
    if not ecriture_permise():
        raise ErreurStockage(LECTURE_SEULE.format(quoi="écriture"))
    travail = Base.ouvrir(chemin_base())
    try:
        try:
            referentiel.assurer_laureats_publics(travail)
        except RebondError:
            pass  # referentiel.laureats_publics reads data/laureats-publics.csv instead
        yield travail
    finally:
        travail.fermer()


# No on_release: a snapshot's connection closes when nothing holds it any more (a session may still be
# drawing a page, or hold it in a download button, when a newer publish evicts it from the cache).
@st.cache_resource(max_entries=2, show_spinner=False)
def _base_instantane(chemin: str) -> Base | None:
    """A published snapshot, read-only, with the reader's DuckDB settings (memory, threads, spill folder);
    None when it predates this code's schema (a new one is published, or the working base is read)."""
    return instantanes.ouvrir(Path(chemin))


@st.cache_resource(on_release=lambda base: base.fermer())
def _base_travail_lecture() -> Base:
    """The working base read-only: only for a server that may not write it and has no snapshot to read."""
    return Base.ouvrir(chemin_base(), lecture_seule=True)


LECTURE_SEULE = (
    "La base est en lecture seule pour ce serveur (fichier ou dossier non modifiable) : {quoi} impossible. "
    "Les pages de consultation fonctionnent normalement."
)


def en_lecture_seule() -> bool:
    """Whether this server may not write (import disabled, or a file it may not write)."""
    return not ecriture_permise()


def version() -> int:
    return base().version_courante()


@st.cache_resource(max_entries=64, on_release=lambda base_: base_.fermer())
def _base_restreinte(portee: Portee, lue: str, jour: date) -> Base:
    """The scoped base of a scope, built once per (scope, snapshot read, day) and shared by every session
    with that scope."""
    return portees.base_pour(base(), portee)


def base_de(portee: Portee) -> Base:
    """The base a scope may see: the whole published state when national, else its scoped copy."""
    if portee.nationale:
        return base()
    return _base_restreinte(portee, cle_lecture(), date.today())


def lecture() -> Base:
    """The base the session's user may see: THE way a page gets data that is not cached below."""
    return base_de(acces.portee())


def selon_portee(
    cache: Callable[[Callable[..., R]], Callable[..., R]],
) -> Callable[[Callable[Concatenate[Portee, P], R]], Callable[P, R]]:
    """Cache a function of (scope, …) with `cache` (st.cache_data(...)), and call it with the session
    user's scope: the scope is part of every cache key, so a figure computed for one scope is never
    served to another."""

    def decorer(fonction: Callable[Concatenate[Portee, P], R]) -> Callable[P, R]:
        en_cache = cache(fonction)

        @functools.wraps(fonction)
        def appel(*args: P.args, **kwargs: P.kwargs) -> R:
            return en_cache(acces.portee(), *args, **kwargs)

        return appel

    return decorer


# --- the data, keyed on the filters (with their version) or on the version --------------------------


@selon_portee(st.cache_data(max_entries=256, show_spinner=False))
def indicateurs(portee: Portee, filtres: Filtres) -> Resultat:
    return calculer(base_de(portee), filtres)


@selon_portee(st.cache_data(max_entries=128, show_spinner=False))
def territoires(portee: Portee, filtres: Filtres) -> pd.DataFrame:
    return perimetre.territoires(base_de(portee), filtres)


@selon_portee(st.cache_data(max_entries=64, show_spinner=False))
def series(portee: Portee, filtres: Filtres) -> dict[str, pd.DataFrame]:
    """The overview's chart series of the scope (perimetre.SERIES), from one query (a redraw after a filter
    change binds and computes the scope once for the four of them). Each call gives its own copy."""
    return perimetre.series(base_de(portee), filtres)


def laureats_par_releve(filtres: Filtres) -> pd.DataFrame:
    return series(filtres)["laureats_par_releve"]


def aides_par_date(filtres: Filtres) -> pd.DataFrame:
    return series(filtres)["aides_par_date"]


def versements_par_date(filtres: Filtres) -> pd.DataFrame:
    return series(filtres)["versements_par_date"]


@selon_portee(st.cache_data(max_entries=64, show_spinner=False))
def versements(portee: Portee, filtres: Filtres) -> pd.DataFrame:
    return perimetre.versements(base_de(portee), filtres)


@selon_portee(st.cache_data(max_entries=64, show_spinner=False))
def a_suivre(portee: Portee, filtres: Filtres) -> pd.DataFrame:
    """The projects in scope that need a decision or a payment, as of the filters' reference date."""
    return vues_suivi.projets_a_suivre(perimetre.projets(base_de(portee), filtres), filtres.date_reference)


def projets_filiere_statut(filtres: Filtres) -> pd.DataFrame:
    return series(filtres)["projets_filiere_statut"]


@selon_portee(st.cache_data(max_entries=64, show_spinner=False))
def projets(portee: Portee, filtres: Filtres) -> pd.DataFrame:
    return perimetre.projets(base_de(portee), filtres)


@selon_portee(st.cache_data(max_entries=64, show_spinner="Calcul du classement et de sa robustesse…"))
def classement_sites(portee: Portee, filtres: Filtres, choix: vues_sites.Choix) -> vues_sites.ClassementDetaille:
    """The sites of the scope ranked on the page's settings (raises ReglageInvalide on refused settings)."""
    return vues_sites.classement_detaille(perimetre.sites(base_de(portee), filtres), choix)


@selon_portee(st.cache_data(max_entries=32, show_spinner="Calcul de la sélection optimale…"))
def arbitrage(portee: Portee, filtres: Filtres, reglages: Reglages) -> Analyse:
    """The arbitration of the scope on the page's settings: proposal, first come, envelopes, budget curve."""
    return analyser(base_de(portee), filtres, reglages)


@selon_portee(st.cache_data(max_entries=32, show_spinner=False))
def budget_arbitrage(portee: Portee, filtres: Filtres) -> Decimal:
    """What remains of the national envelope (the arbitration's default budget)."""
    return budget_par_defaut(base_de(portee), filtres)


@selon_portee(st.cache_data(max_entries=64, show_spinner=False))
def epci_du_territoire(portee: Portee, code: str, version_donnees: int) -> pd.DataFrame:
    return perimetre.epci_du_territoire(base_de(portee), code, version_donnees)


@selon_portee(st.cache_data(max_entries=8, show_spinner=False))
def options(portee: Portee, version_donnees: int) -> dict[str, list[tuple[Any, str]]]:
    return perimetre.options_filtres(base_de(portee))


@selon_portee(st.cache_data(max_entries=8, show_spinner=False))
def laureats_publics(portee: Portee, version_donnees: int) -> pd.DataFrame:
    """The published laureates (the reference table does not change with the data version; keyed on it so
    that a base whose table was loaded meanwhile is read again)."""
    return referentiel.laureats_publics(base_de(portee))


@selon_portee(st.cache_data(max_entries=8, show_spinner=False))
def provenance(portee: Portee, version_donnees: int) -> pd.DataFrame:
    """Where each shown value of each territory comes from (referentiel.provenances), index code_territoire."""
    return _provenance(base_de(portee), version_donnees)


def _provenance(base_: Base, version_donnees: int) -> pd.DataFrame:
    territoires_ = perimetre.territoires(base_, Filtres(version=version_donnees))
    demo = versions.statut_donnees(base_).demo
    return referentiel.provenances(territoires_, referentiel.laureats_publics(base_), demo)


@selon_portee(st.cache_data(max_entries=8, show_spinner=False))
def texte_demonstration(portee: Portee, version_donnees: int) -> str:
    return referentiel.texte_demonstration(_provenance(base_de(portee), version_donnees))


@selon_portee(st.cache_data(max_entries=8, show_spinner=False))
def medianes_nationales(portee: Portee, version_donnees: int) -> portees.Medianes:
    """The national medians of the compared ratios (precomputed on the whole base for a scoped user)."""
    return portees.medianes_nationales(base_de(portee))


@selon_portee(st.cache_data(max_entries=8, show_spinner=False))
def etat(portee: Portee, version_donnees: int) -> versions.StatutDonnees:
    return versions.statut_donnees(base_de(portee))


# --- what does not depend on the data ---------------------------------------------------------------


@st.cache_resource(max_entries=32, show_spinner=False)
def couche(nom: str, codes: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """A boundaries layer of geo.FICHIERS, reduced to these codes (None: the whole layer). One object
    shared by every session, never modified (the maps only read it): st.cache_data would hand each call
    its own unpickled copy, 12 ms a rerun of the overview for boundaries that never change."""
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
