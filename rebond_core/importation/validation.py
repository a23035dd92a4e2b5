"""Validating the raw tables of an import: headers, cells (through the pydantic models' fields), keys.

The result is the list of valid imported rows per table, and every problem in the report.
Rules that need the base (existence, cross-table sums) live in regles.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from rebond_core.domaine import replier
from rebond_core.formats import valeur_lisible_cellule
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


@dataclass
class ColonneLue:
    """One column of a sheet after validation: its values by row rank (None where in error) and, for
    the ranks in error, pydantic's error details."""

    nom: str
    indice: int  # in the sheet's cells
    valeurs: list[Any]
    erreurs: dict[int, list[dict[str, Any]]]


@dataclass
class _Vus:
    """The keys met so far in this import, per table, in the form keys are compared in."""

    par_table: dict[str, dict[Any, tuple[int, str]]] = field(default_factory=dict)


def forme_comparee(cle: Any) -> Any:
    """The form in which two keys are one (contract rule 1): Unicode NFC, letter case ignored.
    `PRJ-A-1` and `prj-a-1` are one project, and so are a key typed with a precomposed é and with e + ◌́."""
    if isinstance(cle, str):
        return unicodedata.normalize("NFC", cle).casefold()
    return cle


def valider_fichiers(fichiers: list[Fichier], referentiel: Referentiel, rapport: Rapport) -> Import:
    """Check every table of the files; report what is wrong; keep the valid rows."""
    tables = definitions()
    resultat = Import({t: [] for t in tables}, {t: set() for t in tables}, {t: [] for t in tables})
    vus = _Vus({t: {} for t in tables})
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
            _valider_table(brute, tables[brute.table], referentiel, rapport, resultat, vus)
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
    definition: DefinitionTable,
    referentiel: Referentiel,
    rapport: Rapport,
    resultat: Import,
    vus: _Vus,
) -> None:
    """Check every cell through the model's field validators, column by column, each distinct value once.

    A relève file repeats most of its values (statuses, filières, dates, territories): validating a
    column's distinct values once and reading the rows from that memory keeps a 100 000-row import to
    a few seconds. The rules are the model's, field by field; a row's errors come in the model's order.
    """
    indices = _correspondance_entetes(brute, definition, rapport)
    contexte = {"referentiel": referentiel, "virgule_admise": brute.virgule_admise}
    ordre = {colonne: rang for rang, colonne in enumerate(definition.colonnes)}
    largeur = max(indices, default=-1) + 1
    lignes = [(numero, c if len(c) >= largeur else c + [None] * (largeur - len(c))) for numero, c in brute.lignes]
    retenues = _sans_doublons(lignes, indices, definition, brute.source, vus, rapport)
    colonnes = [
        _lire_colonne(definition.modele, nom, indice, [c[indice] for _, c in retenues], contexte)
        for indice, nom in sorted(indices.items(), key=lambda paire: ordre[paire[1]])
    ]
    for colonne in colonnes:
        if colonne.nom in definition.decimales:
            _arrondir(colonne, definition, retenues, rapport)
    en_erreur = set().union(*(colonne.erreurs for colonne in colonnes))
    for rang in sorted(en_erreur):
        numero, cellules = retenues[rang]
        _signaler(rang, numero, cellules, colonnes, definition, rapport, resultat)
        valides = {c.nom: c.valeurs[rang] for c in colonnes if rang not in c.erreurs}
        resultat.partielles[definition.nom].append(LigneImportee(definition.nom, numero, brute.source, valides))
    if any(colonne not in indices.values() for colonne in definition.colonnes_requises):
        return  # a required column is missing (reported): no row of this sheet can be kept
    noms = [colonne.nom for colonne in colonnes]
    lues = [colonne.valeurs for colonne in colonnes]
    for rang, ((numero, _), *valeurs) in enumerate(zip(retenues, *lues, strict=True)):
        if rang not in en_erreur:
            ligne = LigneImportee(definition.nom, numero, brute.source, dict(zip(noms, valeurs, strict=True)))
            resultat.lignes[definition.nom].append(ligne)


def _sans_doublons(
    lignes: list[tuple[int, list[Any]]],
    indices: dict[int, str],
    definition: DefinitionTable,
    source: str,
    vus: _Vus,
    rapport: Rapport,
) -> list[tuple[int, list[Any]]]:
    """The rows whose key was not seen before in this import (the others are reported)."""
    indice_cle = next((i for i, colonne in indices.items() if colonne == definition.cle), None)
    if indice_cle is None:
        return lignes
    retenues = []
    vues = vus.par_table[definition.nom]
    for numero, cellules in lignes:
        cle = _cle_brute(cellules[indice_cle], definition)
        if cle is None or not _doublon(forme_comparee(cle), cle, numero, source, vues, definition, rapport):
            retenues.append((numero, cellules))
    return retenues


def _lire_colonne(
    modele: type[BaseModel], colonne: str, indice: int, brutes: list[Any], contexte: dict[str, Any]
) -> ColonneLue:
    """Validate a column, each distinct value once."""
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
        return ColonneLue(colonne, indice, [resultats[cle][1] for cle in cles], {})
    lus = [resultats[cle] for cle in cles]
    erreurs = {rang: details for rang, (ok, details) in enumerate(lus) if not ok}
    return ColonneLue(colonne, indice, [valeur if ok else None for ok, valeur in lus], erreurs)


def _arrondir(
    colonne: ColonneLue, definition: DefinitionTable, retenues: list[tuple[int, list[Any]]], rapport: Rapport
) -> None:
    """Values with more decimals than the column keeps are rounded (half up), with a warning each."""
    decimales = definition.decimales[colonne.nom]
    pas = Decimal(1).scaleb(-decimales)
    for rang, valeur in enumerate(colonne.valeurs):
        if isinstance(valeur, Decimal) and valeur.as_tuple().exponent < -decimales:  # type: ignore[operator]
            arrondi = valeur.quantize(pas, rounding=ROUND_HALF_UP)
            colonne.valeurs[rang] = arrondi
            numero, cellules = retenues[rang]
            rapport.ajouter(
                "valeur-arrondie",
                feuille=definition.nom,
                ligne=numero,
                colonne=colonne.nom,
                valeur=cellules[colonne.indice],
                decimales=decimales,
                arrondi=valeur_lisible_cellule(arrondi),
            )


def _signaler(
    rang: int,
    numero: int,
    cellules: list[Any],
    colonnes: list[ColonneLue],
    definition: DefinitionTable,
    rapport: Rapport,
    resultat: Import,
) -> None:
    """Report a row's errors, column by column in the model's order; remember its key."""
    for colonne in colonnes:
        for detail in colonne.erreurs.get(rang, []):
            rapport.ajouter(
                detail["type"],
                feuille=definition.nom,
                ligne=numero,
                colonne=colonne.nom,
                valeur=cellules[colonne.indice],
                message_fr=detail["msg"],
            )
    cle = next((colonne for colonne in colonnes if colonne.nom == definition.cle), None)
    if cle is not None:
        brute = _cle_brute(cellules[cle.indice], definition)
        if brute is not None:
            resultat.cles_invalides[definition.nom].add(brute)


@cache
def _adaptateur(modele: type[BaseModel], colonne: str) -> TypeAdapter[Any]:
    """The validator of one field of the model, with all its annotated rules."""
    champ = modele.model_fields[colonne]
    return TypeAdapter(Annotated[(champ.annotation, *champ.metadata)])  # type: ignore[arg-type]


def _cle_brute(valeur: Any, definition: DefinitionTable) -> Any:
    """The key as the model will read it (14, 14.0 and "14,0" are one relève), to detect duplicates
    even on rows that fail validation."""
    try:
        return lire_entier(valeur) if definition.cle == "numero" else lire_texte(valeur)
    except CelluleInvalide:
        return None


def _doublon(
    comparee: Any,
    cle: Any,
    numero: int,
    source: str,
    vues: dict[Any, tuple[int, str]],
    definition: DefinitionTable,
    rapport: Rapport,
) -> bool:
    if comparee not in vues:
        vues[comparee] = (numero, source)
        return False
    ligne_precedente, source_precedente = vues[comparee]
    table = definition.nom
    feuille_precedente = table if source_precedente == source else f"{table} ({source_precedente})"
    rapport.ajouter(
        "cle-dupliquee",
        feuille=table,
        ligne=numero,
        colonne=definition.cle,
        valeur=cle,
        ligne_precedente=ligne_precedente,
        feuille_precedente=feuille_precedente,
    )
    return True
