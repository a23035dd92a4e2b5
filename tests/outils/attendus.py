"""What the indicator tiles should show, from the core alone: `calculer`, then `formats.indicateur` by unit
(followed by the unit of a ratio, e.g. '€/€' for the leverage).

It never uses the UI's own formatting, so a page test built on it checks both the wiring and the format.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rebond_core import formats
from rebond_core.db import Base
from rebond_core.indicateurs import PAR_CLE, Filtres, calculer


def tuiles_attendues(chemin_base: Path, filtres: Filtres, cles: Iterable[str] | None = None) -> dict[str, str]:
    """Tile label → expected text, for the indicators `cles` (all of them by default) of `filtres` on the base
    file `chemin_base`. The base is opened like the app opens it (read-write configuration: DuckDB then shares
    the instance with an app running in this process)."""
    base = Base.ouvrir(chemin_base)
    try:
        valeurs = calculer(base, filtres).valeurs
    finally:
        base.fermer()
    textes = {}
    for cle in cles or PAR_CLE:
        indicateur = PAR_CLE[cle]
        texte = formats.indicateur(valeurs[cle], indicateur.unite)
        if indicateur.precision and valeurs[cle] is not None:
            texte += f"{formats.ESPACE_UNITE}{indicateur.precision}"
        textes[indicateur.libelle] = texte
    return textes
