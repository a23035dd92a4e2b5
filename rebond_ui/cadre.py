"""The frame of every page and its one error boundary.

A page is a script of the form

    with cadre.page() as contexte:
        st.title(...)
        ...
        if nothing_to_show:
            st.info(...)
            cadre.arreter()
        ...

`page()` draws the frame (page settings, header, navigation links, shared filters) and hands the page
its `Contexte`; when the page ends (normally or through `arreter()`) it draws the footer. A `RebondError`
raised anywhere in the page is shown as its French message (escaped) above the footer; any other
exception is logged with its traceback and shown as a generic French message, never as a traceback.

Each page enters the frame itself (rather than relying on the entry point) because Streamlit, seeing a
`pages/` folder, may run a page script directly for the first request of a fresh server."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from rebond_core.acces.habilitations import Habilitation
from rebond_core.acces.portee import Portee
from rebond_core.erreurs import RebondError
from rebond_ui import acces, composants, donnees, filtres, identite
from rebond_ui.contexte import Contexte
from rebond_ui.surete import echapper

ICONE = Path(__file__).parent / "icone.png"  # local file: no icon fetched from outside
# Each page with the right it needs (rebond_core/acces/habilitations.py): the navigation of a user lists
# only the pages its role may open, and each write is checked again when it runs (acces.exiger).
PAGES = (
    ("pages/vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:", "lire"),
    ("pages/territoire.py", "Territoire", ":material/location_on:", "lire"),
    ("pages/a_suivre.py", "Projets à suivre", ":material/pending_actions:", "lire"),
    ("pages/arbitrage.py", "Arbitrage", ":material/balance:", "lire"),
    ("pages/sites.py", "Sites industriels de demain", ":material/factory:", "lire"),
    ("pages/importer.py", "Importer des résultats", ":material/upload_file:", "importer"),
    ("pages/historique.py", "Historique des versions", ":material/history:", "lire"),
    ("pages/acces.py", "Accès", ":material/admin_panel_settings:", "administrer"),
)
ERREUR_INATTENDUE = (
    "Une erreur inattendue empêche d'afficher la suite de cette page. Rechargez la page ; si l'erreur "
    "persiste, signalez-la à l'équipe du programme (l'heure suffit à la retrouver dans le journal du serveur)."
)
journal = logging.getLogger("rebond")


class _FinDePage(Exception):
    """Raised by `arreter()`: the page has said all it has to say."""


def configurer_page() -> None:
    st.set_page_config(page_title="Rebond industriel", page_icon=str(ICONE), layout="wide")


def pages_de(habilitation: Habilitation) -> list[tuple[str, str, str]]:
    """The pages this user may open (path, title, icon), in the navigation's order."""
    return [(chemin, titre, icone) for chemin, titre, icone, droit in PAGES if habilitation.peut(droit)]


def arreter() -> NoReturn:
    """End the page here; the frame still draws the footer."""
    raise _FinDePage


@contextmanager
def erreurs_affichees() -> Iterator[None]:
    """The error boundary: a RebondError shows its French message, any other exception a generic one
    (its traceback goes to the log). Streamlit's own stop and rerun signals pass through."""
    try:
        yield
    except RebondError as erreur:
        st.error(echapper(erreur.message_fr), icon=":material/block:")
    except Exception:
        journal.exception("Erreur inattendue dans une page")
        st.error(ERREUR_INATTENDUE, icon=":material/error:")


@contextmanager
def page() -> Iterator[Contexte]:
    """Draw the frame, run the page inside the error boundary, then draw the footer."""
    configurer_page()
    contexte = None
    with erreurs_affichees():
        contexte = _cadre()
    if contexte is None:  # the frame itself failed (base unavailable, say): its message is shown
        composants.pied()
        st.stop()
    with erreurs_affichees():
        try:
            yield contexte
        except _FinDePage:
            pass
    composants.pied()


def _cadre() -> Contexte:
    habilitation = acces.utilisateur()  # found by the entry point for this run (login or refusal page there)
    version = donnees.version()
    etat = donnees.etat(version)
    composants.entete(etat)
    if acces.mode_local():
        st.caption(f":material/computer: **{acces.MODE_LOCAL}** : un opérateur local, avec tous les droits.")
    options = donnees.options(version)
    with st.sidebar:
        _utilisateur(habilitation, options)
        for chemin, titre, icone in pages_de(habilitation):
            st.page_link(chemin, label=titre, icon=icone)
        st.divider()
    choisis = filtres.filtres_partages(options)
    # Pinned to today: the cached figures of a server that runs past midnight are computed again.
    filtres_du_jour = dataclasses.replace(choisis, version=version, au=date.today())
    return Contexte(version, etat, options, filtres_du_jour, habilitation, Portee.de(habilitation))


def _utilisateur(habilitation: Habilitation, options: dict[str, list[tuple[Any, str]]]) -> None:
    """Who is logged in, with which role and scope (the local mode is said in the header)."""
    if acces.mode_local():
        return
    role = acces.LIBELLES_ROLES.get(habilitation.role, habilitation.role)
    if habilitation.nationale:
        portee = "national"
    else:  # the names of the territories it holds (those of its regions included)
        portee = ", ".join(echapper(nom) for _, nom in options["territoire"]) or "aucun territoire"
    st.caption(f"Connecté : {echapper(habilitation.email)}  \nRôle : {role}  \nPérimètre : {portee}")
    st.button("Se déconnecter", icon=":material/logout:", on_click=identite.se_deconnecter, key="deconnexion")
