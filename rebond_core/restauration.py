"""Restoring an earlier version: its state becomes the current one, as a new version."""

from __future__ import annotations

from typing import Any

from rebond_core import instantanes
from rebond_core.db import Base
from rebond_core.ecriture import Changements, ecrire_version
from rebond_core.erreurs import VersionInconnue
from rebond_core.etat import lire_etat
from rebond_core.importation.definitions import definitions


def restaurer(base: Base, numero: int, auteur: str) -> int | None:
    """Write the state of version `numero` as a new version, and publish it for the readers (a snapshot,
    rebond_core/instantanes.py); None when it is already the current state."""
    existe = base.scalaire("select count(*) from versions where numero = $n", {"n": numero})
    if not existe:
        raise VersionInconnue(f"Version {numero} inconnue : voyez la liste avec « versions ».")
    version_lue = base.version_courante()
    cible = lire_etat(base, numero)
    courant = lire_etat(base, version_lue)
    changements: Changements = {}
    comptes: dict[str, dict[str, int]] = {}
    for table in definitions():
        ajoutees = [c for c in cible[table] if c not in courant[table]]
        modifiees = [c for c in cible[table] if c in courant[table] and cible[table][c] != courant[table][c]]
        retirees = [c for c in courant[table] if c not in cible[table]]
        if not (ajoutees or modifiees or retirees):
            continue
        fermees: list[Any] = modifiees + retirees
        changements[table] = (fermees, [cible[table][c] for c in ajoutees + modifiees])
        comptes[table] = {"ajoutees": len(ajoutees), "modifiees": len(modifiees)}
        if retirees:
            comptes[table]["retirees"] = len(retirees)
    if not changements:
        return None
    nouvelle = ecrire_version(base, changements, auteur, [], comptes, numero, version_lue)
    instantanes.publier(base)
    return nouvelle
