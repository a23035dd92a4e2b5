"""Restoring a version from the history page: the choice of the version and its confirmation dialog.
The dialog reruns on its own (a fragment), so it carries its own error boundary."""

from __future__ import annotations

import streamlit as st

from rebond_core import formats
from rebond_core.restauration import restaurer
from rebond_ui import acces, composants, donnees
from rebond_ui.cadre import erreurs_affichees

ANNONCE = "restauration"


def choisir_et_restaurer(numeros: list[int]) -> None:
    """Any version but the current one may be restored, after confirmation and with an author's name."""
    st.markdown(
        "Restaurer rétablit l'état d'une version **comme une nouvelle version** : rien n'est effacé de "
        "l'historique, et la restauration peut elle-même être annulée."
    )
    anciennes: list[int | None] = list(reversed(numeros[:-1]))
    cible = st.selectbox(
        "Version à restaurer",
        anciennes or [None],
        key="version_a_restaurer",
        format_func=lambda n: formats.VIDE if n is None else f"Version {n}",
    )
    if cible is not None and st.button(f"Restaurer la version {cible}…", icon=":material/restore:"):
        _confirmer(cible)


@st.dialog("Confirmer la restauration")
def _confirmer(numero: int) -> None:
    st.markdown(f"La base reprendra l'état de la **version {numero}**. Une nouvelle version sera créée.")
    auteur = st.text_input("Votre nom (auteur de la restauration)", max_chars=120, key="restauration_auteur").strip()
    if not st.button("Restaurer", type="primary", disabled=not auteur, key="restauration_confirmer"):
        return
    with erreurs_affichees():  # AccesRefuse, VersionInconnue, BaseModifiee: shown in the dialog
        nouvelle = restaurer_version(numero, auteur)
        composants.annoncer_apres_relance(
            ANNONCE,
            f"Version {numero} restaurée : version {nouvelle} créée."
            if nouvelle
            else f"La base est déjà dans l'état de la version {numero} : aucune version créée.",
        )
        st.rerun()


def restaurer_version(numero: int, auteur: str) -> int | None:
    """The restore the dialog's button runs: the right is checked now, whatever the page showed (a right
    withdrawn since, a replayed click); then the restore, and its line in the journal."""
    acces.exiger("restaurer")
    with donnees.ecriture() as travail:
        nouvelle = restaurer(travail, numero, auteur)  # and publishes the snapshot the pages read
    acces.consigner("restauration", f"version {numero} restaurée" + (f" : version {nouvelle}" if nouvelle else ""))
    return nouvelle
