"""The "Rapport PDF" buttons: a territory's report for its comité de pilotage (territory page) and the
national note for the cabinet (overview, with the filters shown on it). The PDF is made when the button is
clicked (rebond_core.rapports), from the same core calls as the page: its figures are the page's."""

from __future__ import annotations

import functools

import streamlit as st

from rebond_core import formats, instantanes, rapports
from rebond_core.acces import journal
from rebond_core.acces.habilitations import Habilitation
from rebond_core.acces.portee import Portee
from rebond_core.db import Base
from rebond_core.perimetre import Filtres
from rebond_core.rapports import historique
from rebond_ui import donnees
from rebond_ui.contexte import Contexte
from rebond_ui.surete import echapper

MIME_PDF = "application/pdf"


def _pdf_territoire(base: Base, code: str, filtres: Filtres, qui: Habilitation) -> bytes:
    """Made when the button is clicked, from the user's (scoped) base, and written to the journal. Where this
    server may write, the report is recorded in the working base and published, so that the next report
    compares with it (a read-only server makes it without recording it)."""
    if not donnees.ecriture_permise():
        pdf = rapports.rapport_territoire(base, code, filtres.au, origine=historique.TABLEAU_DE_BORD, enregistrer=False)
    else:
        with donnees.ecriture() as travail:
            pdf = rapports.rapport_territoire(
                base, code, filtres.au, origine=historique.TABLEAU_DE_BORD, registre=travail
            )
            instantanes.publier(travail)
    journal.consigner(qui.email, "rapport_pdf", f"rapport COPIL {code}", Portee.de(qui).libelle())
    return pdf


def bouton_territoire(contexte: Contexte, code: str) -> None:
    """The COPIL report of the territory: the territory alone (whatever the other filters), at the page's
    version and reference date; what changed since the version of its previous report, else the first."""
    base = donnees.lecture()
    seul = contexte.seulement_territoire(code)
    comparaison = historique.comparaison_par_defaut(base, code, contexte.version)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.download_button(
            "Rapport PDF",
            data=functools.partial(_pdf_territoire, base, code, seul, contexte.habilitation),
            file_name=rapports.nom_fichier_territoire(code, contexte.au),
            mime=MIME_PDF,
            on_click="ignore",
            key=f"rapport_pdf_{code}",
            icon=":material/picture_as_pdf:",
            type="primary",
            help="Le rapport pour le comité de pilotage : chiffres clés, ce qui a changé, projets à décider ou à "
            "payer, graphiques, carte, liste des projets, modes de calcul.",
        )
        autres = contexte.filtres.region or contexte.filtres.releve or contexte.filtres.filiere
        etendue = " (quels que soient les autres filtres)" if autres else ""
        st.caption(
            f"Pour le comité de pilotage : tout le territoire{etendue}, "
            f"chiffres au {formats.date_fr(contexte.au)} ; changements depuis la version {comparaison.version} "
            f"({echapper(comparaison.motif)})."
        )


def _pdf_national(base: Base, filtres: Filtres, qui: Habilitation) -> bytes:
    pdf = rapports.note_nationale(base, filtres)
    journal.consigner(qui.email, "rapport_pdf", "note nationale", Portee.de(qui).libelle())
    return pdf


def bouton_national(contexte: Contexte) -> None:
    """The national note for the cabinet, on the page's filters (printed on the note); not for a COPIL
    member, whose report is its territory's (territory page)."""
    if not contexte.portee.nationale:
        return
    st.download_button(
        "Rapport PDF",
        data=functools.partial(_pdf_national, donnees.lecture(), contexte.filtres, contexte.habilitation),
        file_name=rapports.nom_fichier_national(contexte.au),
        mime=MIME_PDF,
        on_click="ignore",
        key="rapport_pdf_national",
        icon=":material/picture_as_pdf:",
        type="primary",
        help="La note pour le cabinet : bilan de l'appel, les 90 M€, rythme des décisions, filières, territoires, "
        "avec les filtres choisis imprimés en tête.",
    )
