"""Validating the raw tables of an import: headers, cells (through the pydantic models' fields), keys.

The result is the list of valid imported rows per table, and every problem in the report.
Rules that need the base (existence, cross-table sums) live in regles.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from rebond_core.domaine import replier
from rebond_core.importation.cellules import CelluleInvalide, lire_entier, lire_texte
from rebond_core.importation.classeur_xml import lettres_colonne
from rebond_core.importation.definitions import definitions
from rebond_core.importation.lecture import Fichier, TableBrute
from rebond_core.importation.modeles import DefinitionTable
from rebond_core.importation.rapport import Rapport
from rebond_core.referentiel import Referentiel


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
    """The valid rows per table (in file order), the keys of rows that failed validation, and those
    rows' valid cells (so that their references can still be checked and reported)."""

    lignes: dict[str, list[LigneImportee]]
    cles_invalides: dict[str, set[Any]]
    partielles: dict[str, list[LigneImportee]] = field(default_factory=dict)


def valider_fichiers(fichiers: list[Fichier], referentiel: Referentiel, rapport: Rapport) -> Import:
    """Check every table of the files; report what is wrong; keep the valid rows."""
    resultat = Import({t: [] for t in definitions()}, {t: set() for t in definitions()}, {t: [] for t in definitions()})
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
            _signaler_formules(brute, rapport)
            _valider_table(brute, referentiel, rapport, resultat, vues[brute.table])
    if tables_lues == 0:
        rapport.ajouter("aucune-table")
    elif lignes_lues == 0:
        rapport.ajouter("aucune-ligne")
    return resultat


def _signaler_formules(brute: TableBrute, rapport: Rapport) -> None:
    """One warning per sheet whose cells hold formulas (their cached values are imported)."""
    if not brute.formules:
        return
    ligne, colonne = min(brute.formules)
    relative = colonne - brute.colonne_debut
    entete = brute.entetes[relative] if 0 <= relative < len(brute.entetes) else None
    premiere = f"{lettres_colonne(colonne)}{ligne}"
    rapport.ajouter(
        "formules", feuille=brute.table, ligne=ligne, colonne=entete, nombre=len(brute.formules), premiere=premiere
    )


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
                "colonne-dupliquee",
                feuille=definition.nom,
                ligne=brute.ligne_entete,
                colonne=colonne,
                valeur=entete,
                premiere=premieres[colonne],
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
    """Check every cell through the model's field validators, column by column, each distinct value once.

    A relève file repeats most of its values (statuses, filières, dates, territories): validating a
    column's distinct values once and reading the rows from that memory keeps a 100 000-row import to
    a few seconds. The rules are the model's, field by field; a row's errors come in the model's order.
    """
    assert brute.table is not None
    definition = definitions()[brute.table]
    indices = _correspondance_entetes(brute, definition, rapport)
    contexte = {"referentiel": referentiel, "virgule_admise": brute.virgule_admise}
    ordre = {colonne: rang for rang, colonne in enumerate(definition.colonnes)}
    paires = sorted(indices.items(), key=lambda paire: ordre[paire[1]])
    largeur = max(indices, default=-1) + 1
    lignes = [(numero, c if len(c) >= largeur else c + [None] * (largeur - len(c))) for numero, c in brute.lignes]
    retenues = _sans_doublons(lignes, indices, definition, brute.source, vues, rapport)
    noms = [colonne for _, colonne in paires]
    colonnes = [
        _lire_colonne(definition.modele, colonne, [c[i] for _, c in retenues], contexte) for i, colonne in paires
    ]
    en_erreur = set().union(*(erreurs for _, erreurs in colonnes)) if colonnes else set()
    for rang, (numero, cellules) in enumerate(retenues):
        if rang in en_erreur:
            _signaler(rang, numero, cellules, paires, colonnes, definition, rapport, resultat)
            valides = {
                nom: valeurs[rang]
                for nom, (valeurs, erreurs) in zip(noms, colonnes, strict=True)
                if rang not in erreurs
            }
            resultat.partielles[definition.nom].append(LigneImportee(definition.nom, numero, brute.source, valides))
    if any(colonne not in indices.values() for colonne in definition.colonnes_requises):
        return  # a required column is missing (reported): no row of this sheet can be kept
    lues = [valeurs for valeurs, _ in colonnes]
    for rang, ((numero, _), *valeurs) in enumerate(zip(retenues, *lues, strict=True)):
        if rang not in en_erreur:
            ligne = LigneImportee(definition.nom, numero, brute.source, dict(zip(noms, valeurs, strict=True)))
            resultat.lignes[definition.nom].append(ligne)


def _sans_doublons(
    lignes: list[tuple[int, list[Any]]],
    indices: dict[int, str],
    definition: DefinitionTable,
    source: str,
    vues: dict[Any, tuple[int, str]],
    rapport: Rapport,
) -> list[tuple[int, list[Any]]]:
    """The rows whose key was not seen before in this import (the others are reported)."""
    indice_cle = next((i for i, colonne in indices.items() if colonne == definition.cle), None)
    if indice_cle is None:
        return lignes
    entiere = definition.cle == "numero"
    retenues = []
    for numero, cellules in lignes:
        cle = _cle_brute(cellules[indice_cle], entiere=entiere)
        if cle is None or not _doublon(cle, numero, source, vues, definition.nom, rapport):
            retenues.append((numero, cellules))
    return retenues


def _lire_colonne(
    modele: type[BaseModel], colonne: str, brutes: list[Any], contexte: dict[str, Any]
) -> tuple[list[Any], dict[int, list[dict[str, Any]]]]:
    """The column's values (None where in error) and, by row rank, the pydantic error details."""
    adaptateur = _adaptateur(modele, colonne)
    cles = [v if type(v) is str else (type(v), v) for v in brutes]
    resultats: dict[Any, tuple[bool, Any]] = {}
    for cle, brut in zip(cles, brutes, strict=True):
        if cle in resultats:
            continue
        try:
            resultats[cle] = (True, adaptateur.validate_python(brut, context=contexte))
        except ValidationError as erreur:
            resultats[cle] = (False, erreur.errors(include_url=False))
    if all(ok for ok, _ in resultats.values()):
        return [resultats[cle][1] for cle in cles], {}
    lus = [resultats[cle] for cle in cles]
    erreurs = {rang: details for rang, (ok, details) in enumerate(lus) if not ok}
    return [valeur if ok else None for ok, valeur in lus], erreurs


def _signaler(
    rang: int,
    numero: int,
    cellules: list[Any],
    paires: list[tuple[int, str]],
    colonnes: list[tuple[list[Any], dict[int, list[dict[str, Any]]]]],
    definition: DefinitionTable,
    rapport: Rapport,
    resultat: Import,
) -> None:
    """Report a row's errors, column by column in the model's order; remember its key."""
    for (i, colonne), (_, erreurs) in zip(paires, colonnes, strict=True):
        for detail in erreurs.get(rang, []):
            rapport.ajouter(
                detail["type"],
                feuille=definition.nom,
                ligne=numero,
                colonne=colonne,
                valeur=cellules[i],
                message_fr=detail["msg"],
            )
    indice_cle = next((i for i, colonne in paires if colonne == definition.cle), None)
    cle = _cle_brute(cellules[indice_cle], entiere=definition.cle == "numero") if indice_cle is not None else None
    if cle is not None:
        resultat.cles_invalides[definition.nom].add(cle)


@cache
def _adaptateur(modele: type[BaseModel], colonne: str) -> TypeAdapter[Any]:
    """The validator of one field of the model, with all its annotated rules."""
    champ = modele.model_fields[colonne]
    return TypeAdapter(Annotated[(champ.annotation, *champ.metadata)])  # type: ignore[arg-type]


def _cle_brute(valeur: Any, entiere: bool) -> Any:
    """The key as the model will read it (14, 14.0 and "14,0" are one relève), to detect duplicates
    even on rows that fail validation."""
    try:
        return lire_entier(valeur) if entiere else lire_texte(valeur)
    except CelluleInvalide:
        return None


def _doublon(
    cle: Any, numero: int, source: str, vues: dict[Any, tuple[int, str]], table: str, rapport: Rapport
) -> bool:
    if cle in vues:
        ligne_precedente, source_precedente = vues[cle]
        feuille_precedente = table if source_precedente == source else f"{table} ({source_precedente})"
        rapport.ajouter(
            "cle-dupliquee",
            feuille=table,
            ligne=numero,
            colonne=definitions()[table].cle,
            valeur=cle,
            ligne_precedente=ligne_precedente,
            feuille_precedente=feuille_precedente,
        )
        return True
    vues[cle] = (numero, source)
    return False
