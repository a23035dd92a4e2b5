"""Importer des résultats: template, upload, validation report, preview of the changes, publish."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from rebond_core.erreurs import BaseModifiee, FichierIllisible
from rebond_core.importation.definitions import definitions
from rebond_core.importation.modele_classeur import ecrire_modele
from rebond_ui import acces, composants, donnees, televersement
from rebond_ui.cadre import cadre
from rebond_ui.surete import brut

contexte = cadre()
st.title("Importer des résultats")
if not acces.import_autorise():
    st.info("L'import est désactivé sur ce serveur : il est réservé à l'équipe données du programme.")
    composants.pied()
    st.stop()

confirmation = st.session_state.pop("import_confirmation", None)
if confirmation:
    st.success(confirmation, icon=":material/check_circle:")

st.markdown(
    "Déposez le **classeur de relève** (XLSX, une feuille par table) ou les **fichiers CSV** d'une même "
    "relève ou d'un comité de pilotage. Rien n'est écrit avant **Publier** : vous voyez d'abord le rapport "
    "de validation et, s'il n'y a pas d'erreur, exactement ce qui changera. Chaque publication crée une "
    "version, que l'on peut toujours restaurer (page Historique)."
)


@st.cache_data(show_spinner=False)
def _modele() -> bytes:
    with tempfile.TemporaryDirectory() as dossier:
        chemin = Path(dossier) / "modele.xlsx"
        ecrire_modele(chemin)
        return chemin.read_bytes()


st.download_button(
    "Télécharger le modèle vide (XLSX, avec sa notice)",
    data=_modele(),
    file_name="modele-releve-rebond.xlsx",
    icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)

generation = st.session_state.setdefault("import_generation", 0)
deposes = st.file_uploader(
    "Classeur XLSX ou fichiers CSV (50 Mo au plus chacun)",
    type=["xlsx", "csv"],
    accept_multiple_files=True,
    key=f"televersement_{generation}",
)
if not deposes:
    composants.pied()
    st.stop()

fichiers = [televersement.Televerse(f.name, f.getvalue()) for f in deposes]
try:
    televersement.controler(fichiers)
except FichierIllisible as erreur:
    st.error(brut(erreur.message_fr))
    composants.pied()
    st.stop()

cle = televersement.cle_fichiers(fichiers)
verification: televersement.Verification | None = st.session_state.get("import_verification")
if verification is None or verification.cle != cle or verification.version != contexte.version:
    barre = st.progress(0.0, text="Lecture des fichiers…")
    try:
        resultat = televersement.executer(donnees.base(), fichiers, "", simulation=True, barre=barre)
    except FichierIllisible as erreur:
        barre.empty()
        st.error(brut(erreur.message_fr))
        composants.pied()
        st.stop()
    barre.empty()
    verification = televersement.Verification(
        cle, contexte.version, resultat.rapport, resultat, [(f.nom, f.sha256) for f in resultat.fichiers]
    )
    st.session_state["import_verification"] = verification

rapport, resultat = verification.rapport, verification.resultat
st.subheader("Rapport de validation")
colonnes = st.columns(3)
colonnes[0].metric("Erreurs", rapport.nombre_erreurs)
colonnes[1].metric("Avertissements", len(rapport.avertissements))
colonnes[2].metric("Fichiers", len(verification.fichiers))
st.caption(
    "Fichiers vérifiés : " + " ; ".join(f"{brut(nom)} (SHA-256 {sha[:12]}…)" for nom, sha in verification.fichiers)
)

if rapport.problemes:
    tableau = televersement.tableau_rapport(rapport)
    filtre_gauche, filtre_droite = st.columns(2)
    niveaux = filtre_gauche.multiselect(
        "Niveau", sorted(tableau["Niveau"].unique()), placeholder="Tous", key="rapport_niveaux"
    )
    feuilles = filtre_droite.multiselect(
        "Feuille", sorted(f for f in tableau["Feuille"].unique() if f), placeholder="Toutes", key="rapport_feuilles"
    )
    vue = tableau
    if niveaux:
        vue = vue[vue["Niveau"].isin(niveaux)]
    if feuilles:
        vue = vue[vue["Feuille"].isin(feuilles)]
    st.dataframe(vue, hide_index=True, width="stretch", key="tableau_rapport")
    composants.telechargements(
        tableau,
        "rapport-validation",
        [
            "Rebond industriel — rapport de validation",
            "Fichiers : " + " ; ".join(nom for nom, _ in verification.fichiers),
        ],
        "rapport",
    )

if not rapport.valide:
    st.error(
        "**Import impossible : corrigez le fichier et déposez-le à nouveau. Rien n'a été écrit.**  \n"
        + brut(televersement.resume(rapport) or ""),
        icon=":material/block:",
    )
    composants.pied()
    st.stop()

st.subheader("Changements prévus")
if not resultat.a_des_changements:
    st.info("Aucune modification : la base contient déjà exactement ces données. Aucune version ne sera créée.")
    composants.pied()
    st.stop()
for table in definitions():
    plan = resultat.plan[table]
    if not (plan.ajoutees or plan.modifiees or plan.inchangees):
        continue
    titre = (
        f"{table} : {len(plan.ajoutees)} ligne(s) ajoutée(s), {len(plan.modifiees)} modifiée(s), "
        f"{plan.inchangees} inchangée(s)"
    )
    with st.expander(titre, expanded=bool(plan.modifiees)):
        if plan.modifiees:
            st.markdown("**Lignes modifiées** (ancienne → nouvelle valeur de chaque cellule changée)")
            st.dataframe(televersement.tableau_modifications(resultat, table), hide_index=True, width="stretch")
        if plan.ajoutees:
            st.markdown("**Lignes ajoutées**")
            st.dataframe(televersement.tableau_ajouts(resultat, table), hide_index=True, width="stretch")

st.subheader("Publier")
auteur = st.text_input("Votre nom (auteur de la version)", key="import_auteur", max_chars=120)
if st.button("Publier", type="primary", disabled=not auteur.strip(), icon=":material/publish:"):
    barre = st.progress(0.0, text="Publication…")
    try:
        publie = televersement.executer(
            donnees.base(),
            fichiers,
            auteur.strip(),
            simulation=False,
            version_attendue=verification.version,
            barre=barre,
        )
    except (BaseModifiee, FichierIllisible) as erreur:
        barre.empty()
        st.session_state.pop("import_verification", None)
        st.error(brut(erreur.message_fr))
        composants.pied()
        st.stop()
    st.session_state.pop("import_verification", None)
    st.session_state["import_generation"] = generation + 1
    st.session_state["import_confirmation"] = (
        f"Version {publie.version} publiée par {brut(auteur.strip())}. Toutes les pages montrent désormais ces données."
    )
    st.rerun()
if not auteur.strip():
    st.caption("Indiquez votre nom pour pouvoir publier.")
composants.pied()
