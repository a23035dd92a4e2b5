"""The four shared filters, in the sidebar and in the URL (codes), identical on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from rebond_core.domaine import FILIERES
from rebond_core.perimetre import Filtres
from rebond_ui import acces, parametres_url
from rebond_ui.surete import echapper

NOMS = ("region", "releve", "filiere", "territoire")
LIBELLES = {"region": "Région", "releve": "Relève", "filiere": "Filière", "territoire": "Territoire"}
LIEN_LU, AVIS_LIEN = "filtres_lien_lu", "filtres_avis_lien"
CHOIX_TERRITOIRE = "territoire_choisi"


HORS_PERIMETRE = "hors de votre périmètre (ou inconnu)"


def cle_etat(nom: str) -> str:
    return f"filtre_{nom}"


def choix_filtres(options: dict[str, list[tuple[Any, str]]]) -> dict[str, dict[Any, str]]:
    """Code → label for each filter."""
    return {
        "region": dict(options["region"]),
        "releve": dict(options["releve"]),
        "filiere": dict(FILIERES),
        "territoire": dict(options["territoire"]),
    }


def _lire_url(choix: dict[str, dict[Any, str]]) -> list[str]:
    """Seed the filters from the link (once per session); return a notice per value dropped."""
    lecteur = parametres_url.Lecteur.du_lien()
    # For a COPIL member, a region or territory of the link that is not among the choices may exist outside
    # its scope: nothing of it is shown, and the notice says so without saying whether it exists.
    restreint = not acces.portee().nationale
    for nom in NOMS:
        inconnu = HORS_PERIMETRE if restreint and nom in ("region", "territoire") else "inconnu"
        st.session_state[cle_etat(nom)] = lecteur.liste(nom, choix[nom], f"filtre {LIBELLES[nom]}", inconnu)
    return lecteur.avis


def _ecrire_url() -> None:
    for nom in NOMS:
        valeurs = [str(v) for v in st.session_state.get(cle_etat(nom), [])]
        if valeurs:
            st.query_params[nom] = valeurs
        elif nom in st.query_params:
            del st.query_params[nom]


def _reinitialiser() -> None:
    for nom in NOMS:
        st.session_state[cle_etat(nom)] = []


def choisir_territoire(code: str | None, garder_les_autres: bool = False) -> None:
    """Narrow the shared filters to one territory (the drill-down); call it from a callback."""
    if not garder_les_autres:
        _reinitialiser()
    st.session_state[cle_etat("territoire")] = [code] if code else []


def selecteur_territoire(candidats: dict[str, str], filtres: Filtres) -> str | None:
    """The territory page's choice among `candidats` (code → name): the one territory of the filters, or
    None (the selector then invites a choice). Choosing one narrows the shared filters to it."""
    choisis = [c for c in filtres.territoire if c in candidats]
    if not choisis and len(candidats) == 1 and not acces.portee().nationale:
        choisis = list(candidats)  # a COPIL member of one territory: its page at once
    choisi = choisis[0] if len(choisis) == 1 else None
    st.session_state[CHOIX_TERRITOIRE] = choisi
    st.selectbox(
        "Territoire",
        list(candidats),
        format_func=candidats.__getitem__,
        placeholder="Choisissez un territoire",
        key=CHOIX_TERRITOIRE,
        on_change=lambda: choisir_territoire(st.session_state[CHOIX_TERRITOIRE], garder_les_autres=True),
    )
    return choisi


def filtres_partages(options: dict[str, list[tuple[Any, str]]]) -> Filtres:
    """Draw the filters in the sidebar and return them; keep the URL in step."""
    choix = choix_filtres(options)
    if LIEN_LU not in st.session_state:
        st.session_state[AVIS_LIEN] = _lire_url(choix)
        st.session_state[LIEN_LU] = True
    for nom in NOMS:  # a value that left the base (after a restore, say) is dropped quietly
        st.session_state[cle_etat(nom)] = [v for v in st.session_state.get(cle_etat(nom), []) if v in choix[nom]]
    with st.sidebar:
        st.markdown("### Filtres")
        for nom in NOMS:
            st.multiselect(
                LIBELLES[nom],
                list(choix[nom]),
                format_func=lambda v, n=nom: choix[n][v],
                key=cle_etat(nom),
                placeholder="Toutes" if nom in ("region", "releve", "filiere") else "Tous",
            )
        st.button("Réinitialiser les filtres", on_click=_reinitialiser, width="stretch", key="filtres_reinitialiser")
    parametres_url.afficher(st.session_state.pop(AVIS_LIEN, []))
    _ecrire_url()
    return Filtres(
        region=tuple(st.session_state[cle_etat("region")]),
        releve=tuple(st.session_state[cle_etat("releve")]),
        filiere=tuple(st.session_state[cle_etat("filiere")]),
        territoire=tuple(st.session_state[cle_etat("territoire")]),
    )


def _description(filtres: Filtres, options: dict[str, list[tuple[Any, str]]], nom_lu: Callable[[str], str]) -> str:
    choix = choix_filtres(options)
    parties = [
        f"{LIBELLES[nom]} : {', '.join(nom_lu(str(choix[nom].get(v, v))) for v in getattr(filtres, nom))}"
        for nom in NOMS
        if getattr(filtres, nom)
    ]
    if not acces.portee().nationale:  # a COPIL member's figures are those of its scope, whatever the filters
        perimetre = ", ".join(nom_lu(nom) for _, nom in options["territoire"])
        return f"Votre périmètre ({perimetre})" + (f" ; {' ; '.join(parties)}" if parties else "")
    return " ; ".join(parties) if parties else "Tout le programme (aucun filtre)"


def description(filtres: Filtres, options: dict[str, list[tuple[Any, str]]]) -> str:
    """The filters in one French line for Markdown (captions): the names escaped (surete.echapper)."""
    return _description(filtres, options, echapper)


def description_texte(filtres: Filtres, options: dict[str, list[tuple[Any, str]]]) -> str:
    """The filters in one French line of plain text, names as typed: for files (export header lines)."""
    return _description(filtres, options, str)
