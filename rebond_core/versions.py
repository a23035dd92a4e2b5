"""The versions of the data: their list, how their row counts read, and what the header says of the
current one (number, date, author, demonstration or not)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rebond_core import domaine
from rebond_core.db import Base
from rebond_core.erreurs import VersionInconnue

LEGENDE_COMPTES = "+ ajoutées, ~ modifiées, − retirées"


def liste_versions(base: Base) -> list[dict[str, Any]]:
    """Every version, oldest first, as the `versions --json` command prints it."""
    lignes = base.lignes("select numero, date, auteur, fichiers, comptes, restaure from versions order by numero")
    return [
        {
            "numero": numero,
            "date": date.isoformat(timespec="seconds") if isinstance(date, datetime) else str(date),
            "auteur": auteur,
            "fichiers": json.loads(fichiers),
            "comptes": json.loads(comptes),
            "restaure": restaure,
        }
        for numero, date, auteur, fichiers, comptes, restaure in lignes
    ]


def texte_comptes(comptes: dict[str, dict[str, int]]) -> str:
    """A version's row counts in one line: 'projets : +3 ~1 −2 ; sites : +0 ~4' (− only when rows left)."""
    return " ; ".join(
        f"{table} : +{c['ajoutees']} ~{c['modifiees']}" + (f" −{c['retirees']}" if c.get("retirees") else "")
        for table, c in comptes.items()
    )


def origine(version: dict[str, Any]) -> str:
    """Where a version comes from: the restored version, or its files with a short SHA-256."""
    if version["restaure"] is not None:
        return f"Restauration de la version {version['restaure']}"
    return " ; ".join(f"{f['nom']} ({f['sha256'][:12]})" for f in version["fichiers"])


@dataclass(frozen=True)
class StatutDonnees:
    """What the header says of the data: version, its date and author, demonstration or not."""

    version: int
    date: datetime | None
    auteur: str | None
    demo: bool


def statut_donnees(base: Base) -> StatutDonnees:
    ligne = base.lignes("select numero, date, auteur from versions order by numero desc limit 1")
    demo = est_demonstration(base)
    if not ligne:
        return StatutDonnees(0, None, None, demo)
    numero, date_, auteur = ligne[0]
    return StatutDonnees(int(numero), date_, auteur, demo)


def est_demonstration(base: Base, version: int | None = None) -> bool:
    """Whether the base shows demonstration data: created with it (`init --demo`), or holding a project of
    the demonstration workbook (a demonstration SIREN, domaine.est_siren_demo) — the demonstration workbook
    imported into an empty base is demonstration data too."""
    if base.meta("donnees_demo") == "oui":
        return True
    requete = "select distinct siren from projets_a($v) where siren is not null"
    return any(domaine.est_siren_demo(siren) for (siren,) in base.lignes(requete, {"v": version_a_lire(base, version)}))


def version_a_lire(base: Base, version: int | None) -> int:
    """The version a query reads: the current one when None; raises VersionInconnue if out of range."""
    courante = base.version_courante()
    if version is None:
        return courante
    if not 0 <= version <= courante:
        raise VersionInconnue(f"Version {version} inconnue : la dernière est la version {courante}.")
    return version
