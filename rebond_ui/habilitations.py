"""The sections of the « Accès » page (administrators): the habilitations in force, the replacement of the
whole list by a CSV file (report, preview of the changes, confirmation), and the access journal.

The right to administer is checked on the server when the page opens and again right before the
replacement runs (rebond_ui.acces.exiger), whatever the navigation showed. The uploaded bytes stay in
memory. A file with an error changes nothing; a valid one replaces the list only on « Remplacer la
liste », and only if the list is still the one shown (otherwise ListeModifiee, nothing written)."""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

from rebond_core import apercu_import, exports, formats, instantanes
from rebond_core.acces import habilitations, journal
from rebond_core.acces.habilitations import HABILITATION_LOCALE, Habilitation, ResultatHabilitations
from rebond_core.db import Base
from rebond_core.erreurs import RebondError
from rebond_core.importation.rapport import a_corriger_d_abord
from rebond_ui import acces, composants, donnees
from rebond_ui.cadre import erreurs_affichees
from rebond_ui.surete import echapper

ANNONCE = "habilitations"
GENERATION = "habilitations_generation"  # a new, empty uploader after each replacement
EMPREINTE_VUE = "habilitations_empreinte_vue"  # the list shown when « Remplacer la liste » was clicked
TAILLE_PAGE = 50
ROLES = {"cabinet": "Cabinet", "copil": "COPIL", "donnees": "Données", "admin": "Administration"}
MODELE_CSV = (
    "email;role;regions;territoires;expire_le\r\n"
    "prenom.nom@exemple.gouv.fr;copil;32;douaisis,cambrai;31/12/2026\r\n"
    "autre.personne@exemple.gouv.fr;cabinet;;;\r\n"
).encode("utf-8-sig")
EXPLICATION = (
    "Le fichier CSV (UTF-8 ou Windows-1252, séparateur « ; » ou « , ») contient **une ligne par personne** "
    "et les colonnes `email`, `role` (cabinet, copil, donnees ou admin), `regions` et `territoires` (codes "
    "séparés par « , » dans un fichier à « ; », par « ; » dans un fichier à « , » ; seulement pour le rôle "
    "copil) et `expire_le` (dernier jour de validité, facultatif). **Le fichier remplace toute la liste** : "
    "une personne absente du fichier perd son accès. Un fichier comportant une erreur ne change rien."
)


# --- the list ----------------------------------------------------------------------------------------


def tableau(liste: list[Habilitation], regions: dict[str, str], au: date) -> pd.DataFrame:
    """One row per habilitation, as the administrator reads it; expired ones marked."""
    return pd.DataFrame(
        [
            {
                "Adresse électronique": h.email,
                "Rôle": ROLES.get(h.role, h.role),
                "Régions": ", ".join(f"{code} {regions.get(code, '')}".strip() for code in h.regions),
                "Territoires": ", ".join(h.territoires),
                "Expire le": formats.date_fr(h.expire_le) if h.expire_le else "sans fin",
                "État": "valide" if h.valide(au) else "EXPIRÉE",
            }
            for h in liste
        ],
        columns=["Adresse électronique", "Rôle", "Régions", "Territoires", "Expire le", "État"],
    )


def liste() -> None:
    """The habilitations in force, with who imported them and when."""
    composants.annonce(ANNONCE)
    st.subheader("Habilitations")
    base = donnees.base()
    habilitations_ = habilitations.lister(base)
    if not habilitations_:
        st.info(
            "Aucune habilitation n'est enregistrée : en mode authentifié, personne n'a accès au tableau de bord. "
            "Déposez la liste ci-dessous (ou avec « python -m rebond_core habilitations importer »)."
        )
        return
    aujourd_hui = date.today()
    expirees = sum(1 for h in habilitations_ if not h.valide(aujourd_hui))
    regions = dict(base.lignes("select code_region, nom from ref_regions"))
    st.dataframe(tableau(habilitations_, regions, aujourd_hui), hide_index=True, width="stretch")
    importee = habilitations.derniere_importation(base)
    texte = f"{formats.nombre(len(habilitations_))} habilitation(s), dont {formats.nombre(expirees)} expirée(s)"
    if importee:
        texte += f" ; liste importée le {formats.date_fr(importee[0])} par {echapper(importee[1])}"
    st.caption(texte + ". Une habilitation est valide jusqu'à son jour d'expiration inclus.")


# --- the replacement ---------------------------------------------------------------------------------


def remplacement() -> None:
    """Upload, report, preview and confirmation; its errors are shown here, the journal still below."""
    st.subheader("Remplacer la liste")
    st.markdown(EXPLICATION)
    with st.container(horizontal=True):
        st.download_button(
            "Modèle (CSV)",
            data=MODELE_CSV,
            file_name="modele-habilitations.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="habilitations_modele",
        )
        st.download_button(
            "Liste actuelle (CSV, à modifier puis déposer)",
            data=functools.partial(_liste_csv, tuple(habilitations.lister(donnees.base()))),
            file_name="habilitations.csv",
            mime="text/csv",
            on_click=_journaliser_telechargement,
            args=("liste des habilitations (CSV)",),
            icon=":material/download:",
            key="habilitations_liste_csv",
        )
    if not acces.import_autorise() or donnees.en_lecture_seule():
        st.info(donnees.LECTURE_SEULE.format(quoi="modification des habilitations"), icon=":material/lock:")
        return
    generation = st.session_state.setdefault(GENERATION, 0)
    depose = st.file_uploader(
        "Liste des habilitations (fichier .csv, 50 Mo au plus)", type=["csv"], key=f"habilitations_fichier_{generation}"
    )
    if depose is None:
        return
    with erreurs_affichees():  # an unreadable file, a list changed meanwhile: French message, journal below
        _verifier_et_remplacer(depose.name, depose.getvalue())


def _liste_csv(liste: tuple[Habilitation, ...]) -> bytes:
    """The list as a file this page accepts back (`;`, lists with `,`, dates jj/mm/aaaa), formulas neutralised."""
    df = pd.DataFrame(
        [
            {
                "email": h.email,
                "role": h.role,
                "regions": ",".join(h.regions),
                "territoires": ",".join(h.territoires),
                "expire_le": formats.date_fr(h.expire_le) if h.expire_le else "",
            }
            for h in liste
        ],
        columns=list(habilitations.COLONNES),
    )
    return exports.csv_excel_fr(df)


def _journaliser_telechargement(objet: str) -> None:
    acces.consigner("telechargement", objet)


def _retenir_empreinte(empreinte: str) -> None:
    """Button callback (before the rerun): the fingerprint of the list on screen at the click."""
    st.session_state[EMPREINTE_VUE] = empreinte


def _verifier_et_remplacer(nom: str, contenu: bytes) -> None:
    base = donnees.base()
    resultat = habilitations.importer(base, (nom, contenu), "", simulation=True)
    _rapport(resultat)
    if not resultat.rapport.valide:
        st.error(
            "**Liste refusée : corrigez le fichier et déposez-le à nouveau. Les habilitations n'ont pas changé.**"
            "  \n" + echapper(a_corriger_d_abord(resultat.rapport) or ""),
            icon=":material/block:",
        )
        return
    _changements(resultat)
    utilisateur = acces.utilisateur()
    if utilisateur.email != HABILITATION_LOCALE.email and not any(
        h.email == utilisateur.email and h.role == "admin" for h in resultat.habilitations
    ):
        st.error(
            f"Cette liste vous retirerait le droit d'administrer ({echapper(utilisateur.email)} n'y a pas le rôle "
            "admin) : ajoutez-vous au fichier, ou faites déposer la liste par un autre administrateur.",
            icon=":material/block:",
        )
        return
    vue = habilitations.empreinte(habilitations.lister(base))
    clic = st.button(
        "Remplacer la liste",
        type="primary",
        icon=":material/published_with_changes:",
        key="habilitations_remplacer",
        on_click=_retenir_empreinte,
        args=(vue,),
    )
    if not clic:
        return
    attendue = st.session_state.pop(EMPREINTE_VUE, vue)
    administrateur = acces.exiger("administrer")  # checked again now, whatever the page showed
    with donnees.ecriture() as travail:
        fait = habilitations.importer(travail, (nom, contenu), administrateur.email, empreinte_attendue=attendue)
        publication = _publier(travail) if fait.remplacees else None
    if not fait.remplacees:  # the base changed since the check (a territory gone): the new report
        _rapport(fait)
        st.error("**Liste refusée : les habilitations n'ont pas changé.**", icon=":material/block:")
        return
    journal.consigner(administrateur.email, "habilitations", fait.objet_journal(), "national")
    st.session_state[GENERATION] += 1
    resume = fait.changements.resume() if fait.changements else ""
    texte = f"Liste des habilitations remplacée : {echapper(resume)}."
    if publication:  # replaced in the base; the readers keep the previous snapshot
        texte += "  \n" + echapper(publication)
    composants.annoncer_apres_relance(ANNONCE, texte)
    st.rerun()


def _publier(base: Base) -> str | None:
    """A snapshot for the dashboard's readers, which read the habilitations from it
    (rebond_core/instantanes.py); the French message when it failed, else None."""
    try:
        instantanes.publier(base)
    except RebondError as erreur:
        return erreur.message_fr
    return None


def _rapport(resultat: ResultatHabilitations) -> None:
    rapport = resultat.rapport
    colonnes = st.columns(3)
    colonnes[0].metric("Erreurs", rapport.nombre_erreurs)
    colonnes[1].metric("Avertissements", len(rapport.avertissements))
    colonnes[2].metric("Personnes", len(resultat.habilitations) if rapport.valide else formats.VIDE)
    st.caption(f"Fichier vérifié : {echapper(resultat.nom)} (SHA-256 {resultat.sha256[:12]}…)")
    if rapport.problemes:
        st.dataframe(apercu_import.tableau_rapport(rapport), hide_index=True, width="stretch")


def _changements(resultat: ResultatHabilitations) -> None:
    changements = resultat.changements
    if changements is None:
        return
    st.markdown(f"**Changements prévus** : {echapper(changements.resume())}.")
    for titre, emails in (
        ("Ajoutées", changements.ajoutees),
        ("Retirées (ces personnes perdront leur accès)", changements.retirees),
        ("Modifiées (rôle, périmètre ou expiration)", changements.modifiees),
    ):
        if emails:
            with st.expander(f"{titre} : {formats.nombre(len(emails))}"):
                st.dataframe(pd.DataFrame({"Adresse électronique": list(emails)}), hide_index=True, width="stretch")


# --- the journal -------------------------------------------------------------------------------------


def tableau_journal(entrees: list[journal.Entree]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Date": e.date.strftime(f"{formats.FORMAT_DATE} %H:%M:%S"),
                "Adresse électronique": e.email,
                "Action": journal.ACTIONS.get(e.action, e.action),
                "Objet": e.objet,
                "Périmètre": e.portee,
            }
            for e in entrees
        ],
        columns=["Date", "Adresse électronique", "Action", "Objet", "Périmètre"],
    )


def journal_des_acces() -> None:
    """The journal, most recent first, filtered by action and e-mail, by pages; its CSV download."""
    st.subheader("Journal des accès")
    entrees = list(reversed(journal.lire()))
    if not entrees:
        st.info("Le journal est vide : aucune connexion ni action n'a encore été enregistrée.")
        return
    gauche, droite = st.columns(2)
    actions = gauche.multiselect(
        "Action",
        list(journal.ACTIONS),
        format_func=lambda a: journal.ACTIONS[a],
        placeholder="Toutes",
        key="journal_actions",
    )
    email = droite.text_input("Adresse électronique (contient)", key="journal_email", max_chars=254)
    choisies = journal.filtrer(entrees, actions, email)
    if not choisies:
        st.info("Aucune entrée ne correspond à ces filtres.")
        return
    pages = (len(choisies) + TAILLE_PAGE - 1) // TAILLE_PAGE
    page = 1
    if pages > 1:
        if st.session_state.get("journal_page", 1) > pages:  # the filters left fewer pages
            st.session_state["journal_page"] = pages
        colonne = st.columns([1, 4])[0]
        page = int(colonne.number_input("Page", min_value=1, max_value=pages, step=1, key="journal_page"))
    debut = (page - 1) * TAILLE_PAGE
    st.dataframe(tableau_journal(choisies[debut : debut + TAILLE_PAGE]), hide_index=True, width="stretch")
    st.caption(
        f"Entrées {formats.nombre(debut + 1)} à {formats.nombre(min(debut + TAILLE_PAGE, len(choisies)))} sur "
        f"{formats.nombre(len(choisies))}, la plus récente en haut. Heure locale du serveur qui a écrit l'entrée."
    )
    st.download_button(
        "Journal filtré (CSV pour Excel)",
        data=functools.partial(
            exports.csv_excel_fr, tableau_journal(choisies), ["Rebond industriel — journal des accès"]
        ),
        file_name="journal-acces.csv",
        mime="text/csv",
        on_click=_journaliser_telechargement,
        args=(f"journal des accès (CSV, {len(choisies)} entrée(s))",),
        icon=":material/download:",
        key="journal_csv",
    )
