"""The PDF reports: a territory's report for its comité de pilotage (COPIL), the batch of every territory's
report before a committee round, and the national note for the cabinet.

    contenu.py     what they say, from the same core calls as the pages, written in French
    graphiques.py  their charts and map, as SVG in the dashboard's palette
    moteur.py      the layout: Typst templates (modeles/) and the repository's fonts (polices/)
    historique.py  the reports already generated, for the "what changed since the previous COPIL" part

    commande.py    the `rapport` command

The command line and the pages' "Rapport PDF" buttons call the functions below."""

from __future__ import annotations

from datetime import date

from rebond_core.db import Base
from rebond_core.indicateurs import Filtres
from rebond_core.rapports import contenu, historique, moteur
from rebond_core.rapports.historique import LIGNE_DE_COMMANDE, TABLEAU_DE_BORD
from rebond_core.versions import version_a_lire

__all__ = [
    "LIGNE_DE_COMMANDE",
    "TABLEAU_DE_BORD",
    "nom_fichier_national",
    "nom_fichier_territoire",
    "note_nationale",
    "rapport_territoire",
]


def rapport_territoire(
    base: Base,
    code: str,
    au: date | None = None,
    depuis_version: int | None = None,
    origine: str = LIGNE_DE_COMMANDE,
    enregistrer: bool = True,
    perimetre_utilisateur: str | None = None,
    registre: Base | None = None,
) -> bytes:
    """The COPIL report of territory `code` as PDF, at the current version and the reference date `au`
    (today when None); its "what changed" part from `depuis_version` (None: the version of the territory's
    previous report, else the first). When `enregistrer`, the report is recorded (historique) so that the
    next one compares with this version, in `registre` (default: `base`; the whole base when `base` is a
    user's scoped base). Raises ValeurFiltreInconnue (unknown territory) or VersionInconnue."""
    donnees = contenu.contenu_territoire(base, code, au, depuis_version, perimetre_utilisateur)
    document = moteur.pdf("territoire", donnees)
    if enregistrer:
        version = base.version_courante()
        depuis = historique_depuis(base, code, version, depuis_version)
        historique.enregistrer(registre or base, code, version, depuis, au or date.today(), origine)
    return document


def historique_depuis(base: Base, code: str, version: int, depuis_version: int | None) -> int:
    """The version the report's "what changed" part compares with (as `rapport_territoire` chooses it)."""
    if depuis_version is not None:
        return version_a_lire(base, depuis_version)
    return historique.comparaison_par_defaut(base, code, version).version


def note_nationale(base: Base, filtres: Filtres) -> bytes:
    """The national note for the cabinet, on the overview's filters (printed on it), as PDF."""
    return moteur.pdf("national", contenu.contenu_national(base, filtres))


def nom_fichier_territoire(code: str, au: date | None = None) -> str:
    return f"rapport-copil-{code}-{(au or date.today()).isoformat()}.pdf"


def nom_fichier_national(au: date | None = None) -> str:
    return f"note-cabinet-rebond-{(au or date.today()).isoformat()}.pdf"
