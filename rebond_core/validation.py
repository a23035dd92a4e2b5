"""Validating the raw tables of an import: headers, cells (through the pydantic models), keys.

The result is the list of valid imported rows per table, and every problem in the report.
Rules that need the base (existence, cross-table sums) live in regles.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from rebond_core.cellules import CelluleInvalide, entier, texte
from rebond_core.domaine import replier
from rebond_core.lecture import Fichier, TableBrute
from rebond_core.modeles import DefinitionTable
from rebond_core.rapport import Rapport
from rebond_core.referentiel import Referentiel
from rebond_core.tables import definitions


@dataclass
class LigneImportee:
    """A valid row of the import: where it stands in its file, and the columns it carries."""

    table: str
    ligne: int
    source: str
    valeurs: dict[str, Any]

    @property
    def cle(self) -> Any:
        return self.valeurs[definitions()[self.table].cle]


@dataclass
class Import:
    """The valid rows per table (in file order), and the keys of rows that failed validation."""

    lignes: dict[str, list[LigneImportee]]
    cles_invalides: dict[str, set[Any]]

    @property
    def nombre_lignes(self) -> int:
        return sum(len(v) for v in self.lignes.values())


def valider_fichiers(fichiers: list[Fichier], referentiel: Referentiel, rapport: Rapport) -> Import:
    """Check every table of the files; report what is wrong; keep the valid rows."""
    resultat = Import({t: [] for t in definitions()}, {t: set() for t in definitions()})
    vues: dict[str, dict[Any, tuple[int, str]]] = {t: {} for t in definitions()}
    tables_lues = 0
    lignes_lues = 0
    for fichier in fichiers:
        for brute in fichier.tables:
            if brute.table is None:
                if brute.entetes or brute.lignes:
                    rapport.ajouter("feuille-inconnue", feuille=brute.feuille)
                continue
            tables_lues += 1
            lignes_lues += len(brute.lignes)
            if brute.masquee:
                rapport.ajouter("feuille-masquee", feuille=brute.table)
            _valider_table(brute, referentiel, rapport, resultat, vues[brute.table])
    if tables_lues == 0:
        rapport.ajouter("aucune-table")
    elif lignes_lues == 0:
        rapport.ajouter("aucune-ligne")
    return resultat


def _correspondance_entetes(brute: TableBrute, definition: DefinitionTable, rapport: Rapport) -> dict[int, str]:
    """Column index → contract column; unknown, duplicated and missing columns reported."""
    connues = {replier(c): c for c in definition.colonnes}
    indices: dict[int, str] = {}
    premieres: dict[str, str] = {}
    for indice, entete in enumerate(brute.entetes):
        if not entete.strip():
            continue
        colonne = connues.get(replier(entete))
        if colonne is None:
            rapport.ajouter("colonne-inconnue", feuille=definition.nom, ligne=brute.ligne_entete, colonne=entete)
        elif colonne in premieres:
            rapport.ajouter(
                "colonne-dupliquee", feuille=definition.nom, ligne=brute.ligne_entete, colonne=colonne,
                valeur=entete, premiere=premieres[colonne],
            )
        else:
            premieres[colonne] = entete
            indices[indice] = colonne
    for colonne in definition.colonnes_requises:
        if colonne not in premieres:
            rapport.ajouter("colonne-manquante", feuille=definition.nom, ligne=brute.ligne_entete, colonne=colonne)
    return indices


def _valider_table(
    brute: TableBrute,
    referentiel: Referentiel,
    rapport: Rapport,
    resultat: Import,
    vues: dict[Any, tuple[int, str]],
) -> None:
    assert brute.table is not None
    definition = definitions()[brute.table]
    indices = _correspondance_entetes(brute, definition, rapport)
    contexte = {"referentiel": referentiel, "virgule_admise": brute.virgule_admise}
    for numero, cellules in brute.lignes:
        brut = {colonne: (cellules[i] if i < len(cellules) else None) for i, colonne in indices.items()}
        brut = {c: (None if isinstance(v, str) and not v.strip() else v) for c, v in brut.items()}
        cle = _cle_brute(brut.get(definition.cle), entiere=definition.cle == "numero")
        if cle is not None and _doublon(cle, numero, brute.source, vues, definition.nom, rapport):
            continue
        try:
            modele = definition.modele.model_validate(brut, context=contexte)
        except ValidationError as erreurs:
            for erreur in erreurs.errors(include_url=False):
                colonne = str(erreur["loc"][0]) if erreur["loc"] else None
                rapport.ajouter(
                    erreur["type"], feuille=definition.nom, ligne=numero, colonne=colonne,
                    valeur=brut.get(colonne) if colonne else None, message_fr=erreur["msg"],
                )
            if cle is not None:
                resultat.cles_invalides[definition.nom].add(cle)
            continue
        valeurs = {c: getattr(modele, c) for c in brut}
        resultat.lignes[definition.nom].append(LigneImportee(definition.nom, numero, brute.source, valeurs))


def _cle_brute(valeur: Any, entiere: bool) -> Any:
    """The key as the model will read it (14, 14.0 and "14,0" are one relève), to detect duplicates
    even on rows that fail validation."""
    try:
        return entier(valeur) if entiere else texte(valeur)
    except CelluleInvalide:
        return None


def _doublon(
    cle: Any, numero: int, source: str, vues: dict[Any, tuple[int, str]], table: str, rapport: Rapport
) -> bool:
    if cle in vues:
        ligne_precedente, source_precedente = vues[cle]
        feuille_precedente = table if source_precedente == source else f"{table} ({source_precedente})"
        rapport.ajouter(
            "cle-dupliquee", feuille=table, ligne=numero, colonne=definitions()[table].cle, valeur=cle,
            ligne_precedente=ligne_precedente, feuille_precedente=feuille_precedente,
        )
        return True
    vues[cle] = (numero, source)
    return False
