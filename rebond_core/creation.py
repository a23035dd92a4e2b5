"""Creating a base: schema, referential, published laureates, the relève calendar, and optionally the
demonstration data."""

from __future__ import annotations

import os
from pathlib import Path

from rebond_core.config import CLASSEUR_DEMO, calendrier_releves
from rebond_core.db import Base, sql
from rebond_core.erreurs import BaseExistante, RebondError
from rebond_core.importation.pipeline import importer, sans_ramasse_miettes
from rebond_core.referentiel import charger_laureats_publics, charger_referentiel

AUTEUR_DEMO = "Données de démonstration"


def creer_base(chemin: Path, demo: bool, force: bool = False) -> Base:
    """Create the base at `chemin` (built aside, then moved in place: never half-written)."""
    if chemin.exists() and not force:
        raise BaseExistante(f"La base {chemin} existe déjà : ajoutez --force pour la remplacer.")
    chemin.parent.mkdir(parents=True, exist_ok=True)
    provisoire = chemin.with_name(chemin.name + ".creation")
    for reste in (provisoire, Path(str(provisoire) + ".wal")):
        reste.unlink(missing_ok=True)
    base = Base.ouvrir(provisoire, creer=True)
    try:
        _initialiser(base, demo)
        base.connexion.execute("checkpoint")
    finally:
        base.fermer()
    for ancien in (chemin, Path(str(chemin) + ".wal")):
        ancien.unlink(missing_ok=True)
    os.replace(provisoire, chemin)
    return Base.ouvrir(chemin)


def _initialiser(base: Base, demo: bool) -> None:
    with base.transaction() as curseur:
        curseur.execute(sql("schema"))
        charger_referentiel(curseur)
        charger_laureats_publics(curseur)  # published results and which public facts are hypotheses
        for numero, date_limite in calendrier_releves():
            curseur.execute(
                "insert into releves values ($numero, $date_limite, null, 0, null)",
                {"numero": numero, "date_limite": date_limite},
            )
        curseur.execute("insert into meta values ('donnees_demo', $demo)", {"demo": "oui" if demo else "non"})
    if demo:
        with sans_ramasse_miettes():
            resultat = importer(base, [CLASSEUR_DEMO], AUTEUR_DEMO)
        if not resultat.rapport.valide:
            lignes = "\n".join(p.en_ligne() for p in resultat.rapport.erreurs[:20])
            raise RebondError(f"Le classeur de démonstration est refusé :\n{lignes}")
