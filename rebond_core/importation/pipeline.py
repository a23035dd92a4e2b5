"""An import from end to end: read, validate, plan the changes, and commit them as one version."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import attrgetter, is_
from typing import Any, cast

from rebond_core.db import Base
from rebond_core.ecriture import Changements, EnColonnes, ecrire_version
from rebond_core.erreurs import BaseModifiee
from rebond_core.etat import Ligne, colonnes_stockees, lire_etat
from rebond_core.importation.colonnes import ValeursCodees
from rebond_core.importation.definitions import definitions
from rebond_core.importation.lecture import Fichier, Source, lire_fichier
from rebond_core.importation.rapport import Rapport
from rebond_core.importation.regles import Fusion, fusionner, verifier_regles
from rebond_core.importation.validation import (
    BlocNeuf,
    Import,
    LigneImportee,
    forme_comparee,
    formes_comparees,
    valider_fichiers,
)
from rebond_core.referentiel import Referentiel

# False: the writer always gets the rows as dicts, as before it took the validated columns (to compare both).
ECRITURE_EN_COLONNES = True


@dataclass
class Modification:
    """An updated row: its key, where it stands in the file, and (column, old, new) per changed cell."""

    cle: Any
    ligne: int
    cellules: list[tuple[str, Any, Any]]


@dataclass
class PlanTable:
    ajoutees: list[tuple[Any, int]] = field(default_factory=list)
    modifiees: list[Modification] = field(default_factory=list)
    inchangees: int = 0


@dataclass
class ResultatImport:
    """What an import found and did: the report, the planned changes, and the version written."""

    rapport: Rapport
    plan: dict[str, PlanTable]
    fichiers: list[Fichier]
    version: int | None = None

    @property
    def a_des_changements(self) -> bool:
        return any(p.ajoutees or p.modifiees for p in self.plan.values())

    def comptes(self) -> dict[str, dict[str, int]]:
        return {
            table: {"ajoutees": len(p.ajoutees), "modifiees": len(p.modifiees)}
            for table, p in self.plan.items()
            if p.ajoutees or p.modifiees
        }


def _planifier(avant: dict[str, dict[Any, Ligne]], fusion: Fusion) -> tuple[dict[str, PlanTable], Changements]:
    """Per table, what the import adds, modifies and leaves unchanged against `avant` (the current
    version), and the changes to write: the merged rows added or modified, by key in file order. A
    block of new rows (validation.BlocNeuf) is added whole, its columns handed to the writer as they are."""
    plan: dict[str, PlanTable] = {}
    changements: Changements = {}
    for table, definition in definitions().items():
        bloc = fusion.bloc(table)
        if bloc is not None and avant[table].keys().isdisjoint(bloc.cles()):
            plan[table] = PlanTable(ajoutees=list(zip(bloc.cles(), bloc.numeros, strict=True)))
            changements[table] = ([], _ecrites_du_bloc(table, bloc, fusion))
            continue
        plan[table] = plan_table = PlanTable()
        ecrites = _comparer(fusion.fusionnees(table), definition.cle, avant[table], plan_table)
        # Only a modified row has a current row to close: an added key has none in version `avant`.
        changements[table] = ([m.cle for m in plan_table.modifiees], list(ecrites.values()))
    return plan, changements


def _ecrites_du_bloc(table: str, bloc: BlocNeuf, fusion: Fusion) -> list[Ligne] | EnColonnes:
    """A block's rows to write: its validated columns when the table stores each column as is (no JSON
    column), else its rows (made now)."""
    if ECRITURE_EN_COLONNES and set(colonnes_stockees(table)) == set(definitions()[table].colonnes):
        return EnColonnes({colonne.nom: colonne.codees or colonne.valeurs for colonne in bloc.colonnes})
    return [nouvelle for _, nouvelle in fusion.fusionnees(table)]


def _comparer(
    fusion_table: list[tuple[LigneImportee, Ligne]], nom_cle: str, avant_table: dict[Any, Ligne], plan_table: PlanTable
) -> dict[Any, Ligne]:
    """Each merged row against the stored one, counted in `plan_table`; the rows to write by key."""
    ecrites: dict[Any, Ligne] = {}
    for ligne, nouvelle in fusion_table:
        cle = ligne.valeurs[nom_cle]
        ancienne = avant_table.get(cle)
        if ancienne is None:
            plan_table.ajoutees.append((cle, ligne.ligne))
            ecrites[cle] = nouvelle
            continue
        cellules = [(c, ancienne.get(c), v) for c, v in nouvelle.items() if ancienne.get(c) != v]
        if cellules:
            plan_table.modifiees.append(Modification(cle, ligne.ligne, cellules))
            ecrites[cle] = nouvelle
        else:
            plan_table.inchangees += 1
    return ecrites


def _en_colonnes(changements: Changements, importe: Import, retouchees: set[str]) -> None:
    """Hand the writer the validated columns instead of the rows, for each table where the rows to write
    are exactly the import's rows as validation made them (see `_lignes_intactes`); the same values,
    without a pass over the rows to turn them back into columns."""
    for table, (fermees, ecrites) in changements.items():
        if isinstance(ecrites, EnColonnes) or table in retouchees or not ECRITURE_EN_COLONNES:
            continue  # a block's columns already (_planifier), or rows that changed since validation
        if not _lignes_intactes(table, ecrites, importe):
            continue
        lots = cast(list[dict[str, list[Any] | ValeursCodees]], importe.colonnes[table])
        colonnes = {nom: _bout_a_bout([lot[nom] for lot in lots]) for nom in colonnes_stockees(table)}
        changements[table] = (fermees, EnColonnes(colonnes))


def _bout_a_bout(parties: list[list[Any] | ValeursCodees]) -> list[Any] | ValeursCodees:
    """The sheets' values of a column one after the other (as they are when there is one sheet)."""
    if len(parties) == 1:
        return parties[0]
    return list(chain.from_iterable(p.par_ligne() if isinstance(p, ValeursCodees) else p for p in parties))


def _lignes_intactes(table: str, ecrites: list[Ligne] | EnColonnes, importe: Import) -> bool:
    """Whether the rows to write are the import's rows of `table`, all of them, in file order, each the
    very dict validation built from the columns it kept (`Import.colonnes`): no sheet had a row in error,
    each sheet carried every column (so a new row is its own merged row, regles.fusionner) and each
    column is stored as is (no JSON column), and every row is written. The caller checks no value was
    changed since (keys or references respelled)."""
    lignes, lots = importe.lignes(table), importe.colonnes[table]
    colonnes = definitions()[table].colonnes
    return (
        isinstance(ecrites, list)
        and bool(lignes)
        and len(ecrites) == len(lignes)
        and set(colonnes_stockees(table)) == set(colonnes)
        and all(lot is not None and lot.keys() == set(colonnes) for lot in lots)
        and sum(len(next(iter(lot.values()))) for lot in lots if lot) == len(lignes)
        and all(map(is_, ecrites, map(attrgetter("valeurs"), lignes)))
    )


def _cles_comme_stockees(avant: dict[str, dict[Any, Ligne]], importe: Import) -> set[str]:
    """Contract rule 1: a key that reads as a stored one (same letters, case and Unicode composition
    aside) designates that row, whose stored spelling is kept. Returns the tables whose rows changed.
    A block (validation.BlocNeuf) stays one only while none of its keys reads as a stored one."""
    retouchees = set()
    for table, definition in definitions().items():
        nom_cle = definition.cle
        stockees = {forme_comparee(cle): cle for cle in avant[table] if isinstance(cle, str)}
        if not stockees:
            continue
        if table in importe.blocs and stockees.keys().isdisjoint(formes_comparees(importe.cles(table))):
            continue
        for ligne in importe.lignes(table):
            stockee = stockees.get(forme_comparee(ligne.valeurs[nom_cle]))
            if stockee is not None:
                if stockee != ligne.valeurs[nom_cle]:
                    retouchees.add(table)
                ligne.valeurs[nom_cle] = stockee
    return retouchees


def _references_comme_cles(avant: dict[str, dict[Any, Ligne]], importe: Import) -> set[str]:
    """Contract rule 1 for references (a payment's `id_projet`): a reference that reads as a key of the
    base or of the file (case and Unicode composition aside) is written as that key is. Returns the
    tables whose rows changed."""
    retouchees = set()
    for table, definition in definitions().items():
        if not definition.references:
            continue
        lignes = importe.lignes(table) + importe.partielles[table]
        if not lignes:
            continue
        for colonne, cible in definition.references.items():
            orthographes = {forme_comparee(c): c for c in importe.cles_invalides[cible] if isinstance(c, str)}
            orthographes.update({forme_comparee(c): c for c in avant[cible] if isinstance(c, str)})
            orthographes.update({forme_comparee(cle): cle for cle in importe.cles(cible)})
            for ligne in lignes:
                valeur = ligne.valeurs.get(colonne)
                if isinstance(valeur, str):
                    ligne.valeurs[colonne] = orthographe = orthographes.get(forme_comparee(valeur), valeur)
                    if orthographe != valeur:
                        retouchees.add(table)
    return retouchees


def importer(
    base: Base,
    chemins: Sequence[Source],
    auteur: str,
    simulation: bool = False,
    noms: list[str] | None = None,
    version_attendue: int | None = None,
    suivi: Callable[[str, float], None] | None = None,
    aujourd_hui: date | None = None,
) -> ResultatImport:
    """Validate the files and, when there is no error and something changes, commit a new version.

    `version_attendue`: the version the user previewed; the import is refused (BaseModifiee) if the
    base has moved since. `suivi(étape, avancement de 0 à 1)` is told each step, for a progress bar.
    Raises FichierIllisible for a file that cannot be read at all. Nothing is written in either case.
    A one-shot process (the command line, the demo build, the bench) runs it under `sans_ramasse_miettes`.
    `aujourd_hui`: the day of the import for rule 12 (payments dated after it), today unless a test says.
    """
    return _importer(
        base, chemins, auteur, simulation, noms, version_attendue, suivi or (lambda _e, _a: None), aujourd_hui
    )


@contextmanager
def sans_ramasse_miettes() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the time of an import, in a process that does nothing
    else (never in the dashboard's server, where it would pause it for every session). An import builds
    hundreds of thousands of small objects that all live until it ends: the collector would scan them
    again and again for nothing (a third of the time)."""
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()


def _importer(
    base: Base,
    chemins: Sequence[Source],
    auteur: str,
    simulation: bool,
    noms: list[str] | None,
    version_attendue: int | None,
    suivi: Callable[[str, float], None],
    aujourd_hui: date | None,
) -> ResultatImport:
    fichiers = []
    noms = noms or [c[0] if isinstance(c, tuple) else c.name for c in chemins]
    for rang, (chemin, nom) in enumerate(zip(chemins, noms, strict=True)):
        suivi(f"Lecture de {nom}", 0.3 * rang / len(chemins))
        fichiers.append(lire_fichier(chemin, nom))
    suivi("Vérification des cellules", 0.3)
    rapport = Rapport()
    importe = valider_fichiers(fichiers, Referentiel.depuis_base(base), rapport)
    for fichier in fichiers:
        fichier.tables = []  # the raw cells are no longer needed: free them
    suivi("Règles entre les tables", 0.7)
    version_lue = base.version_courante()
    if version_attendue is not None and version_lue != version_attendue:
        raise BaseModifiee(version_attendue, version_lue)
    avant = lire_etat(base, version_lue)
    retouchees = _cles_comme_stockees(avant, importe) | _references_comme_cles(avant, importe)
    fusion = fusionner(avant, importe)
    verifier_regles(fusion, importe, rapport, aujourd_hui)
    rapport.trier()
    suivi("Calcul des changements", 0.85)
    plan, changements = _planifier(avant, fusion)
    _en_colonnes(changements, importe, retouchees)
    resultat = ResultatImport(rapport, plan, fichiers)
    if not rapport.valide or simulation or not resultat.a_des_changements:
        return resultat
    suivi("Écriture de la nouvelle version", 0.9)
    fichiers_json = [{"nom": f.nom, "sha256": f.sha256} for f in fichiers]
    resultat.version = ecrire_version(base, changements, auteur, fichiers_json, resultat.comptes(), None, version_lue)
    return resultat
