"""Who uses this session and what they may do (shared/spec/acces.md).

`session()` is called by the entry point before the navigation is built and by the frame of every page:
in local mode it is the local operator (every right); in authenticated mode it draws the login page, or
the refusal page, and stops the run unless the logged-in user has a valid habilitation, read again from
the base at every run (a habilitation removed or expired takes effect at the next click). `exiger(action)`
is called again by every write action at the moment it runs, whatever the page showed."""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from rebond_core.acces import journal
from rebond_core.acces.habilitations import HABILITATION_LOCALE, Habilitation, trouver
from rebond_core.acces.portee import Portee
from rebond_core.erreurs import RebondError
from rebond_ui import identite
from rebond_ui.surete import echapper

MODE_LOCAL = "Mode local — sans authentification"
LIBELLES_ROLES = {
    "cabinet": "cabinet (lecture, national)",
    "copil": "comité de pilotage (lecture, périmètre)",
    "donnees": "équipe données",
    "admin": "administration",
}
CONTACT_PAR_DEFAUT = "l'administrateur de Rebond dans l'équipe du programme (direction générale des Entreprises)"
_CLE_CONNEXION = "_rebond_connexion_consignee"
_CLE_REFUS = "_rebond_refus_consigne"
_CLE_TOUR = "_rebond_habilitation_du_tour"  # set by session() at the start of every run, never by a widget


class AccesRefuse(RebondError):
    """An action the session's user may not take (checked when the action runs)."""


def import_autorise() -> bool:
    """False when REBOND_IMPORT=desactive (a read-only deployment)."""
    return os.environ.get("REBOND_IMPORT", "").strip().lower() not in ("desactive", "désactivé", "non", "0")


def mode_local() -> bool:
    return identite.mode() == "local"


def contact() -> str:
    """Whom a refused user should ask ($REBOND_CONTACT, else the programme's administrator)."""
    return os.environ.get("REBOND_CONTACT", "").strip() or CONTACT_PAR_DEFAUT


def session() -> Habilitation:
    """The user of this run, or the login or refusal page and the end of the run (see the module's text).
    The entry point calls it first at every run; the user it finds is kept for the run (`portee`)."""
    st.session_state.pop(_CLE_TOUR, None)
    if mode_local():
        st.session_state[_CLE_TOUR] = HABILITATION_LOCALE
        return HABILITATION_LOCALE
    if not identite.connecte():
        _page_connexion()
        st.stop()
    email = identite.email_de_session()
    habilitation = _habilitation(email)
    if habilitation is None:
        _consigner_une_fois(_CLE_REFUS, email or "inconnu", "refus", "accès non autorisé", "aucune")
        _page_refus(email)
        st.stop()
    _consigner_une_fois(_CLE_CONNEXION, habilitation.email, "connexion", "tableau de bord", _portee_lue(habilitation))
    st.session_state[_CLE_TOUR] = habilitation
    return habilitation


def utilisateur() -> Habilitation:
    """The user `session()` found at the start of this run (read by about twenty calls per page), else
    found now. A write checks the right again with `exiger`."""
    habilitation = st.session_state.get(_CLE_TOUR)
    return habilitation if isinstance(habilitation, Habilitation) else session()


def portee() -> Portee:
    """The scope of the session's user: what every cached read of rebond_ui/donnees.py is keyed on."""
    return Portee.de(utilisateur())


def exiger(action: str) -> Habilitation:
    """The session's user if it may take `action` now ('importer', 'restaurer', 'administrer'); else the
    refusal is written to the journal and AccesRefuse raised (its French message is shown)."""
    habilitation = session()
    if not habilitation.peut(action):
        journal.consigner(habilitation.email, "refus", f"action « {action} »", _portee_lue(habilitation))
        raise AccesRefuse(
            f"Votre habilitation ({habilitation.role}) ne permet pas cette action. Rien n'a été modifié. "
            f"Pour obtenir ce droit, adressez-vous à {contact()}."
        )
    return habilitation


def consigner(action: str, objet: str) -> None:
    """Write an action of the session's user to the journal (downloads, PDF reports…)."""
    habilitation = utilisateur()
    journal.consigner(habilitation.email, action, objet, _portee_lue(habilitation))


def _habilitation(email: str | None) -> Habilitation | None:
    if not email:
        return None
    from rebond_ui import donnees  # the base of this server (imported here: donnees imports this module)

    aujourd_hui = date.today()
    habilitation = _habilitation_lue(email, donnees.cle_lecture(), aujourd_hui)
    if habilitation is None or not habilitation.valide(aujourd_hui):
        return None
    return habilitation


@st.cache_data(max_entries=1024, show_spinner=False)
def _habilitation_lue(email: str, publication: str, jour: date) -> Habilitation | None:
    """A user's habilitation as published (read again after each publish, e.g. a new list, and each day)."""
    from rebond_ui import donnees

    return trouver(donnees.base(), email)


def _portee_lue(habilitation: Habilitation) -> str:
    return Portee.de(habilitation).libelle()


def _consigner_une_fois(cle: str, email: str, action: str, objet: str, portee_: str) -> None:
    """Once per browser session (a login, a refusal), not at every rerun."""
    if st.session_state.get(cle) == email:
        return
    journal.consigner(email, action, objet, portee_)
    st.session_state[cle] = email


def _page_connexion() -> None:
    st.title("Rebond industriel — tableau de bord")
    st.markdown(
        "Ce tableau de bord est réservé aux personnes habilitées : cabinet, membres des comités de pilotage, "
        "équipe données du programme. Connectez-vous avec votre compte professionnel."
    )
    st.button("Se connecter", type="primary", icon=":material/login:", on_click=identite.se_connecter)


def _page_refus(email: str | None) -> None:
    st.title("Accès non autorisé")
    qui = f"Le compte {echapper(email)}" if email else "Votre compte"
    st.error(
        f"{qui} n'a pas d'habilitation valide pour ce tableau de bord (aucune, ou expirée). "
        f"Pour en obtenir une, adressez-vous à {contact()}.",
        icon=":material/block:",
    )
    st.button("Se déconnecter", icon=":material/logout:", on_click=identite.se_deconnecter)
