"""Enumerations of the import contract (code → French label) and the folding used to match them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

FILIERES: dict[str, str] = {
    "automobile": "Automobile",
    "aeronautique": "Aéronautique",
    "ferroviaire": "Ferroviaire",
    "naval": "Naval",
    "vehicules_industriels": "Véhicules industriels et bus",
    "mobilites_legeres": "Cycles et mobilités légères",
    "hors_transport": "Hors transport",
}
STATUTS_MISSION: dict[str, str] = {
    "a_lancer": "À lancer",
    "en_cours": "En cours",
    "terminee": "Terminée",
}
STATUTS_PROJET: dict[str, str] = {
    "identifie": "Identifié",
    "priorise": "Priorisé",
    "depose": "Déposé",
    "accorde": "Accordé",
    "refuse": "Refusé",
    "abandonne": "Abandonné",
}
ORIGINES: dict[str, str] = {"endogene": "Endogène", "exogene": "Exogène"}
TYPES_FONCIER: dict[str, str] = {
    "friche": "Friche",
    "densification": "Densification",
    "extension": "Extension",
}
MAITRISES_FONCIERES: dict[str, str] = {
    "publique": "Publique",
    "privee": "Privée",
    "a_securiser": "À sécuriser",
}
# Contract 2: the nature of a movement of the `versements` sheet.
NATURES_VERSEMENT: dict[str, str] = {
    "subvention": "Versement de subvention",
    "avance": "Versement d'avance remboursable",
    "remboursement": "Remboursement d'avance",
}
# An active project is neither refused nor abandoned; the pipeline is what awaits a decision.
STATUTS_ACTIFS = ("identifie", "priorise", "depose", "accorde")
STATUTS_PIPELINE = ("priorise", "depose")
STATUT_ACCORDE = "accorde"
STATUT_REFUSE = "refuse"


def aide_du_projet(subvention_eur: Any, avance_remboursable_eur: Any) -> Any:
    """A project's aid: its grant plus its repayable advance (missing = 0). The SQL computes the same
    `aide_eur` once, in the `projets_version` part of sql/perimetre.sql."""
    return (subvention_eur or 0) + (avance_remboursable_eur or 0)


def plafond_territoire(enveloppe_eur: Any, cofinancement_local_eur: Any) -> Any:
    """A territory's ceiling for the aid it grants: its envelope plus the local co-funding (missing = 0).
    Works on numbers and on pandas Series alike."""
    if cofinancement_local_eur is None:
        return enveloppe_eur
    if hasattr(cofinancement_local_eur, "fillna"):
        return enveloppe_eur + cofinancement_local_eur.fillna(0)
    return enveloppe_eur + cofinancement_local_eur


_SEPARATEURS = re.compile(r"[\s\-_]+")


@lru_cache(maxsize=4096)
def replier(texte: str) -> str:
    """Fold for matching: lower case, no accents, spaces/hyphens/underscores as one underscore."""
    sans_accents = "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))
    return _SEPARATEURS.sub("_", sans_accents.strip().lower()).strip("_")


def index_enumeration(valeurs: dict[str, str]) -> dict[str, str]:
    """Folded code and folded label → code."""
    index: dict[str, str] = {}
    for code, libelle in valeurs.items():
        index[replier(code)] = code
        index[replier(libelle)] = code
    return index


ENUMERATIONS: dict[str, dict[str, str]] = {
    "filiere": FILIERES,
    "statut_mission": STATUTS_MISSION,
    "statut": STATUTS_PROJET,
    "origine": ORIGINES,
    "type_foncier": TYPES_FONCIER,
    "maitrise_fonciere": MAITRISES_FONCIERES,
    "nature": NATURES_VERSEMENT,
}
_INDEX = {nom: index_enumeration(valeurs) for nom, valeurs in ENUMERATIONS.items()}


def trouver_code(enumeration: str, texte: str) -> str | None:
    """The code of `enumeration` whose code or label matches `texte` after folding, or None."""
    return _INDEX[enumeration].get(replier(texte))


# Demonstration SIRENs (data/demo/generer_demo.py): 9 digits starting with 0000, i.e. below 000 100 000, with a
# valid Luhn key. A SIREN is a sequence number with no meaning except the Luhn key, and every first digit is
# in use (public bodies 1… and 2…, other units 0… and 3… to 9…); but the smallest SIREN of INSEE's Sirene stock
# file (StockUniteLegale, 2025 extracts, ceased units included) is 000 325 175: no unit of the directory holds a
# number of this range. 000000000 is left out: files use it for "SIREN unknown".
PREFIXE_SIREN_DEMO = "0000"


def est_siren_demo(siren: str) -> bool:
    """True for a SIREN of the demonstration range (see PREFIXE_SIREN_DEMO); the Luhn key is not checked here."""
    return len(siren) == 9 and siren.isdigit() and siren.startswith(PREFIXE_SIREN_DEMO) and siren != "000000000"
