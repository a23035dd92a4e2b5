"""Historique des versions: the list, a comparison of any two versions, and restore."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rebond_core import formats
from rebond_core.comparaison import comparer_indicateurs, statuts_changes
from rebond_core.restauration import restaurer
from rebond_core.versions import liste_versions
from rebond_ui import acces, composants, donnees
from rebond_ui.cadre import cadre
from rebond_ui.composants import valeur_formatee

contexte = cadre()
st.title("Historique des versions")
confirmation = st.session_state.pop("restauration_confirmation", None)
if confirmation:
    st.success(confirmation, icon=":material/check_circle:")

versions = liste_versions(donnees.base())
if not versions:
    st.info("Aucune version : rien n'a encore été importé.")
    composants.pied()
    st.stop()


def _origine(version: dict) -> str:
    if version["restaure"] is not None:
        return f"Restauration de la version {version['restaure']}"
    return " ; ".join(f"{f['nom']} ({f['sha256'][:12]})" for f in version["fichiers"])


def _comptes(version: dict) -> str:
    return " ; ".join(
        f"{table} : +{c['ajoutees']} ~{c['modifiees']}" + (f" −{c['retirees']}" if c.get("retirees") else "")
        for table, c in version["comptes"].items()
    )


liste = pd.DataFrame(
    [
        {
            "Version": v["numero"],
            "Date": formats.date_fr(pd.Timestamp(v["date"]).to_pydatetime()),
            "Auteur": v["auteur"],
            "Fichiers (SHA-256 court)": _origine(v),
            "Lignes (+ ajoutées, ~ modifiées, − retirées)": _comptes(v),
        }
        for v in reversed(versions)
    ]
)
st.dataframe(liste, hide_index=True, width="stretch")
st.caption("La version la plus récente est en haut ; elle est la version courante.")

st.subheader("Comparer deux versions")
numeros = [v["numero"] for v in versions]
gauche, droite = st.columns(2)
avant = gauche.selectbox(
    "Avant",
    [0, *numeros],
    index=max(0, len(numeros) - 1),
    format_func=lambda n: "État initial (avant tout import)" if n == 0 else f"Version {n}",
)
apres = droite.selectbox("Après", numeros, index=len(numeros) - 1, format_func=lambda n: f"Version {n}")
comparaison = comparer_indicateurs(donnees.base(), avant, apres)
affichage = pd.DataFrame(
    {
        "Indicateur": comparaison["indicateur"],
        "Avant": [valeur_formatee(c, v) for c, v in zip(comparaison["cle"], comparaison["avant"], strict=True)],
        "Après": [valeur_formatee(c, v) for c, v in zip(comparaison["cle"], comparaison["apres"], strict=True)],
        "Différence": [
            "—" if d is None else ("+" if d > 0 else "") + valeur_formatee(c, d) if d != 0 else "="
            for c, d in zip(comparaison["cle"], comparaison["difference"], strict=True)
        ],
    }
)
st.dataframe(affichage, hide_index=True, width="stretch")
changes = statuts_changes(donnees.base(), avant, apres)
st.markdown(f"**Projets dont le statut a changé** : {formats.nombre(len(changes))}")
if not changes.empty:
    vue_changes = changes.rename(
        columns={
            "id_projet": "Projet",
            "code_territoire": "Territoire",
            "intitule": "Intitulé",
            "entreprise": "Entreprise",
            "statut_avant": "Statut avant",
            "statut_apres": "Statut après",
        }
    )
    st.dataframe(vue_changes, hide_index=True, width="stretch")
    composants.telechargements(
        vue_changes,
        "statuts-changes",
        [f"Rebond industriel — statuts changés entre les versions {avant} et {apres}"],
        "statuts",
    )

st.subheader("Restaurer une version")
if not acces.import_autorise():
    st.info("La restauration est désactivée sur ce serveur.")
    composants.pied()
    st.stop()
st.markdown(
    "Restaurer rétablit l'état d'une version **comme une nouvelle version** : rien n'est effacé de "
    "l'historique, et la restauration peut elle-même être annulée."
)
cible = st.selectbox(
    "Version à restaurer",
    numeros[:-1][::-1] or [None],
    key="version_a_restaurer",
    format_func=lambda n: "—" if n is None else f"Version {n}",
)


@st.dialog("Confirmer la restauration")
def _confirmer(numero: int) -> None:
    st.markdown(f"La base reprendra l'état de la **version {numero}**. Une nouvelle version sera créée.")
    auteur = st.text_input("Votre nom (auteur de la restauration)", max_chars=120)
    if st.button("Restaurer", type="primary", disabled=not auteur.strip()):
        nouvelle = restaurer(donnees.base(), numero, auteur.strip())
        st.session_state["restauration_confirmation"] = (
            f"Version {numero} restaurée : version {nouvelle} créée."
            if nouvelle
            else f"La base est déjà dans l'état de la version {numero} : aucune version créée."
        )
        st.rerun()


if cible is not None and st.button(f"Restaurer la version {cible}…", icon=":material/restore:"):
    _confirmer(cible)
composants.pied()
