"""The import workflow, as one component: template, upload, server-side checks, validation (kept in the
session between reruns), report, preview of the changes, publish.

The uploaded bytes are read in memory and never written to disk: nothing of a refused file, or of an
import interrupted by a crash, stays on the server. A publish writes only if the base is still at the
version the preview was computed on (otherwise BaseModifiee, shown by the page's error boundary, and the
next run checks the files again). Every session key of the workflow is this module's."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import streamlit as st

from rebond_core import apercu_import, instantanes
from rebond_core.db import Base
from rebond_core.importation.lecture import verifier_televersement
from rebond_core.importation.pipeline import ResultatImport, importer
from rebond_core.importation.rapport import a_corriger_d_abord
from rebond_ui import acces, composants, donnees
from rebond_ui.surete import echapper

VERIFICATION = "import_verification"
GENERATION = "import_generation"  # a new uploader (emptied) after each publish
AUTEUR = "import_auteur"
VERSION_VUE = "import_version_vue"  # the version of the preview on screen when Publish was clicked
ANNONCE = "import"
INTRODUCTION = (
    "Déposez le **classeur de relève** (XLSX, une feuille par table) ou les **fichiers CSV** d'une même "
    "relève ou d'un comité de pilotage. Rien n'est écrit avant **Publier** : vous voyez d'abord le rapport "
    "de validation et, s'il n'y a pas d'erreur, exactement ce qui changera. Chaque publication crée une "
    "version, que l'on peut toujours restaurer (page Historique)."
)


@dataclass
class Televerse:
    nom: str
    contenu: bytes


@dataclass
class Verification:
    """What the session keeps of a validation between reruns: which files (their key), on which version
    of the base, and what the import found (report and plan; the raw cells are already freed)."""

    cle: str
    version: int
    resultat: ResultatImport

    @property
    def fichiers(self) -> list[tuple[str, str]]:
        """(name, SHA-256) of each file checked."""
        return [(f.nom, f.sha256) for f in self.resultat.fichiers]


def cle_fichiers(fichiers: list[Televerse]) -> str:
    empreinte = hashlib.sha256()
    for fichier in sorted(fichiers, key=lambda f: f.nom):
        empreinte.update(fichier.nom.encode())
        empreinte.update(hashlib.sha256(fichier.contenu).digest())
    return empreinte.hexdigest()


def executer(
    base: Base,
    fichiers: list[Televerse],
    auteur: str,
    simulation: bool,
    version_attendue: int | None = None,
    barre: Any = None,
) -> ResultatImport:
    """Run the core import on the uploaded bytes (in memory), showing its progress on `barre`; a new
    version is published for the readers (a snapshot, rebond_core/instantanes.py)."""

    def suivi(etape: str, avancement: float) -> None:
        if barre is not None:
            barre.progress(min(1.0, avancement), text=f"{etape}…")

    try:
        resultat = importer(
            base,
            [(f.nom, f.contenu) for f in fichiers],
            auteur,
            simulation=simulation,
            version_attendue=version_attendue,
            suivi=suivi,
        )
        if resultat.version is not None:
            suivi("Publication pour les serveurs de consultation", 0.95)
            instantanes.publier(base)
        return resultat
    finally:
        if barre is not None:
            barre.empty()


def parcours(version: int) -> None:
    """The whole workflow on the import page, for the base at `version`."""
    composants.annonce(ANNONCE)
    st.markdown(INTRODUCTION)
    st.download_button(
        "Télécharger le modèle vide (XLSX, avec sa notice)",
        data=donnees.modele_classeur(),
        file_name="modele-releve-rebond.xlsx",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    generation = st.session_state.setdefault(GENERATION, 0)
    deposes = st.file_uploader(
        "Classeur XLSX ou fichiers CSV (50 Mo au plus chacun)",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=f"import_fichiers_{generation}",
    )
    if not deposes:
        return
    fichiers = [Televerse(f.name, f.getvalue()) for f in deposes]
    verification = _verifier(fichiers, version)
    resultat = verification.resultat
    _rapport(verification)
    if not resultat.rapport.valide:
        st.error(
            "**Import impossible : corrigez le fichier et déposez-le à nouveau. Rien n'a été écrit.**  \n"
            + echapper(a_corriger_d_abord(resultat.rapport) or ""),
            icon=":material/block:",
        )
        return
    st.subheader("Changements prévus")
    if not resultat.a_des_changements:
        st.info("Aucune modification : la base contient déjà exactement ces données. Aucune version ne sera créée.")
        return
    _changements(resultat)
    _publier(fichiers, verification)


def _verifier(fichiers: list[Televerse], version: int) -> Verification:
    """The files' validation: from the session when the same files were checked on this version,
    otherwise run now (raises FichierIllisible on a file of the wrong type or size, or unreadable)."""
    for fichier in fichiers:
        verifier_televersement(fichier.nom, len(fichier.contenu))
    cle = cle_fichiers(fichiers)
    verification: Verification | None = st.session_state.get(VERIFICATION)
    if verification is None or verification.cle != cle or verification.version != version:
        acces.exiger("importer")
        barre = st.progress(0.0, text="Lecture des fichiers…")
        with donnees.ecriture() as travail:
            resultat = executer(travail, fichiers, "", simulation=True, barre=barre)
        etat = "valide" if resultat.rapport.valide else f"refusé ({resultat.rapport.nombre_erreurs} erreur(s))"
        acces.consigner("import", f"{', '.join(f.nom for f in fichiers)} : {etat}")
        verification = Verification(cle, version, resultat)
        st.session_state[VERIFICATION] = verification
    return verification


def _rapport(verification: Verification) -> None:
    """The counts, the files checked, and the problems (filterable, downloadable)."""
    rapport = verification.resultat.rapport
    st.subheader("Rapport de validation")
    colonnes = st.columns(3)
    colonnes[0].metric("Erreurs", rapport.nombre_erreurs)
    colonnes[1].metric("Avertissements", len(rapport.avertissements))
    colonnes[2].metric("Fichiers", len(verification.fichiers))
    st.caption(
        "Fichiers vérifiés : "
        + " ; ".join(f"{echapper(nom)} (SHA-256 {sha[:12]}…)" for nom, sha in verification.fichiers)
    )
    if not rapport.problemes:
        return
    tableau = apercu_import.tableau_rapport(rapport)
    filtre_gauche, filtre_droite = st.columns(2)
    niveaux = filtre_gauche.multiselect(
        "Niveau", sorted(tableau["Niveau"].unique()), placeholder="Tous", key="import_rapport_niveaux"
    )
    feuilles = filtre_droite.multiselect(
        "Feuille",
        sorted(f for f in tableau["Feuille"].unique() if f),
        placeholder="Toutes",
        key="import_rapport_feuilles",
    )
    vue = tableau[
        tableau["Niveau"].isin(niveaux or tableau["Niveau"]) & tableau["Feuille"].isin(feuilles or tableau["Feuille"])
    ]
    st.dataframe(vue, hide_index=True, width="stretch")
    composants.telechargements(
        tableau,
        "rapport-validation",
        [
            "Rebond industriel — rapport de validation",
            "Fichiers : " + " ; ".join(nom for nom, _ in verification.fichiers),
        ],
        "rapport",
    )


def _changements(resultat: ResultatImport) -> None:
    """Per table with rows in the files: rows added, and each modified cell (old → new)."""
    for table, plan in resultat.plan.items():
        if not (plan.ajoutees or plan.modifiees or plan.inchangees):
            continue
        titre = apercu_import.titre_plan(table, len(plan.ajoutees), len(plan.modifiees), plan.inchangees)
        with st.expander(titre, expanded=bool(plan.modifiees)):
            if plan.modifiees:
                st.markdown("**Lignes modifiées** (ancienne → nouvelle valeur de chaque cellule changée)")
                st.dataframe(
                    apercu_import.tableau_modifications(resultat, table),
                    hide_index=True,
                    width="stretch",
                )
            if plan.ajoutees:
                st.markdown("**Lignes ajoutées**")
                st.dataframe(
                    apercu_import.tableau_ajouts(resultat, table),
                    hide_index=True,
                    width="stretch",
                )


def publier(fichiers: list[Televerse], auteur: str, version_vue: int, barre: Any = None) -> ResultatImport:
    """The publish the button runs: the right is checked now, whatever the page showed (a right withdrawn
    since, a replayed click); then the import written as a new version, and its line in the journal."""
    acces.exiger("importer")
    with donnees.ecriture() as travail:
        publie = executer(travail, fichiers, auteur, simulation=False, version_attendue=version_vue, barre=barre)
    acces.consigner("publication", f"version {publie.version} : {', '.join(f.nom for f in fichiers)}")
    return publie


def _retenir_version_vue(version: int) -> None:
    """Button callback (runs before the rerun): the version of the preview on screen at the click."""
    st.session_state[VERSION_VUE] = version


def _publier(fichiers: list[Televerse], verification: Verification) -> None:
    """The author's name and the Publish button; after a publish, a new empty uploader and a notice."""
    st.subheader("Publier")
    auteur = st.text_input("Votre nom (auteur de la version)", key=AUTEUR, max_chars=120).strip()
    clic = st.button(
        "Publier",
        type="primary",
        disabled=not auteur,
        icon=":material/publish:",
        key="import_publier",
        on_click=_retenir_version_vue,
        args=(verification.version,),
    )
    if not clic:
        if not auteur:
            st.caption("Indiquez votre nom pour pouvoir publier.")
        return
    # The version of the preview the user saw when clicking: if the base moved since, nothing is written
    # (BaseModifiee). Forget the preview first: whether the publish succeeds or not, the next run checks again.
    version_vue = st.session_state.pop(VERSION_VUE, verification.version)
    st.session_state.pop(VERIFICATION, None)
    publie = publier(fichiers, auteur, version_vue, st.progress(0.0, text="Publication…"))
    st.session_state[GENERATION] += 1
    composants.annoncer_apres_relance(
        ANNONCE,
        f"Version {publie.version} publiée par {echapper(auteur)}. Toutes les pages montrent désormais ces données.",
    )
    st.rerun()
