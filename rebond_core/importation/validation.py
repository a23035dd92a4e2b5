"""Validating the raw tables of an import: headers, cells (through the pydantic models' fields), keys.

The result is the list of valid imported rows per table, and every problem in the report. Each column's
distinct cells are validated once, in bulk where clearly valid (en_bloc.py), by the field's pydantic
validator otherwise: the report only ever quotes pydantic's errors.
Rules that need the base (existence, cross-table sums) live in regles.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, partial
from itertools import compress, repeat
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError

from rebond_core.domaine import replier
from rebond_core.formats import valeur_lisible_cellule
from rebond_core.importation.cellules import CelluleInvalide, lire_entier, lire_texte
from rebond_core.importation.classeur_xml import lettres_colonne
from rebond_core.importation.colonnes import ColonneBrute, ValeursCodees
from rebond_core.importation.definitions import definitions
from rebond_core.importation.en_bloc import DOUTEUX, lire_cellules, lire_en_bloc
from rebond_core.importation.lecture import Fichier, TableBrute
from rebond_core.importation.modeles import DefinitionTable
from rebond_core.importation.rapport import Rapport
from rebond_core.referentiel import Referentiel

# False: every distinct value goes through pydantic, as before the bulk reading (tests compare both paths).
LECTURE_EN_BLOC = True
# False: every valid row is made a dict by validation, as before blocks (BlocNeuf) existed (tests compare both).
LIGNES_EN_BLOC = True


@dataclass(slots=True)
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
    rows' valid cells (so that their references can still be checked and reported).

    A table's valid rows are either made (`rangees`) or, for a table whose one sheet is clean and
    complete, held as its validated columns (`blocs`, see BlocNeuf) until a step asks for them as rows:
    read them through `lignes(table)`, `nombre(table)` and `cles(table)`, never `rangees` directly."""

    rangees: dict[str, list[LigneImportee]]
    cles_invalides: dict[str, set[Any]]
    partielles: dict[str, list[LigneImportee]] = field(default_factory=dict)
    # Per table, the rows of `lignes` sheet by sheet as columns (column → the very values the rows were
    # made from, coded when possible: the writer inserts them without going through the rows); None for
    # a sheet that had rows in error (the import is then refused anyway).
    colonnes: dict[str, list[dict[str, list[Any] | ValeursCodees] | None]] = field(default_factory=dict)
    blocs: dict[str, BlocNeuf] = field(default_factory=dict)

    def lignes(self, table: str) -> list[LigneImportee]:
        """Every valid row of `table` in file order; a block's rows are made now (once)."""
        bloc = self.blocs.pop(table, None)
        if bloc is not None:
            self.rangees[table] = bloc.lignes() + self.rangees[table]
        return self.rangees[table]

    def nombre(self, table: str) -> int:
        bloc = self.blocs.get(table)
        return len(self.rangees[table]) + (len(bloc) if bloc is not None else 0)

    def cles(self, table: str) -> list[Any]:
        """The keys of the valid rows of `table`, in file order (a block's without making its rows)."""
        bloc = self.blocs.get(table)
        rangees = [ligne.cle for ligne in self.rangees[table]]
        return rangees if bloc is None else bloc.cles() + rangees


@dataclass
class BlocNeuf:
    """The valid rows of a table's one sheet when none of them is in error and the sheet carries every
    column of the table, kept as validation left them: column by column (ColonneLue, in the model's
    order). The rules that know blocks read the columns (regles.py, masques.py), the writer takes them
    as they are, and the rows are made only if a step needs them (`lignes`), as validation would have."""

    table: str
    source: str
    numeros: list[int]
    colonnes: list[ColonneLue]

    def __len__(self) -> int:
        return len(self.numeros)

    def colonne(self, nom: str) -> ColonneLue:
        return next(colonne for colonne in self.colonnes if colonne.nom == nom)

    def cles(self) -> list[Any]:
        return self.colonne(definitions()[self.table].cle).valeurs

    def lignes(self) -> list[LigneImportee]:
        lignes: list[LigneImportee] = []
        _ajouter_lignes(lignes, self.table, self.source, self.numeros, self.colonnes, set())
        return lignes

    def ligne(self, rang: int) -> LigneImportee:
        """The row of rank `rang` alone (a new object each time: for reporting a rule on that row)."""
        valeurs = {colonne.nom: colonne.valeurs[rang] for colonne in self.colonnes}
        return LigneImportee(self.table, self.numeros[rang], self.source, valeurs)


@dataclass
class ColonneLue:
    """One column of a sheet after validation: its cells as read, its values by row rank (None where in
    error), for the ranks in error pydantic's error details, and the same values coded as the cells are
    (`codees`, None once a value was changed by rounding: `valeurs` alone is then right)."""

    nom: str
    brute: ColonneBrute
    valeurs: list[Any]
    erreurs: dict[int, list[dict[str, Any]]]
    codees: ValeursCodees | None = None


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
    resultat = Import(
        {t: [] for t in tables}, {t: set() for t in tables}, {t: [] for t in tables}, {t: [] for t in tables}
    )
    vus = _Vus({t: {} for t in tables})
    tables_lues = 0
    lignes_lues = 0
    for fichier in fichiers:
        for brute in fichier.tables:
            if brute.table is None:
                if brute.entetes or brute.numeros:
                    rapport.ajouter("feuille-inconnue", feuille=brute.feuille)
                continue
            tables_lues += 1
            lignes_lues += len(brute.numeros)
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

    A relève file repeats most of its values (statuses, filières, dates, territories): the sheet comes
    column by column with each column's distinct cells (colonnes.ColonneBrute), which are validated
    once each, in bulk where clearly valid (en_bloc.py); the rows are then rebuilt by Python's built-in
    iterators. The rules are the model's, field by field; a row's errors come in the model's order.
    """
    indices = _correspondance_entetes(brute, definition, rapport)
    contexte = {"referentiel": referentiel, "virgule_admise": brute.virgule_admise}
    ordre = {colonne: rang for rang, colonne in enumerate(definition.colonnes)}
    numeros, brutes = _sans_doublons(brute, indices, definition, vus, rapport)
    colonnes = [
        _lire_colonne(definition.modele, nom, brutes[indice], contexte)
        for indice, nom in sorted(indices.items(), key=lambda paire: ordre[paire[1]])
    ]
    for colonne in colonnes:
        if colonne.nom in definition.decimales:
            _arrondir(colonne, definition, numeros, rapport)
    en_erreur = set().union(*(colonne.erreurs for colonne in colonnes))
    for rang in sorted(en_erreur):
        _signaler(rang, numeros[rang], colonnes, definition, rapport, resultat)
        valides = {c.nom: c.valeurs[rang] for c in colonnes if rang not in c.erreurs}
        resultat.partielles[definition.nom].append(LigneImportee(definition.nom, numeros[rang], brute.source, valides))
    if any(colonne not in indices.values() for colonne in definition.colonnes_requises):
        return  # a required column is missing (reported): no row of this sheet can be kept
    table = definition.nom
    if _en_bloc(resultat, definition, colonnes, en_erreur):
        resultat.blocs[table] = BlocNeuf(table, brute.source, numeros, colonnes)
    else:
        _ajouter_lignes(resultat.lignes(table), table, brute.source, numeros, colonnes, en_erreur)
    en_colonnes = None if en_erreur else {colonne.nom: colonne.codees or colonne.valeurs for colonne in colonnes}
    resultat.colonnes[table].append(en_colonnes)


def _en_bloc(resultat: Import, definition: DefinitionTable, colonnes: list[ColonneLue], en_erreur: set[int]) -> bool:
    """Whether a sheet's rows are kept as a block: the table's first sheet, no row in error, every
    column present, and no column naming another table's key (such references are respelled row by row,
    pipeline._references_comme_cles)."""
    return (
        LIGNES_EN_BLOC
        and not en_erreur
        and not definition.references
        and not resultat.rangees[definition.nom]
        and definition.nom not in resultat.blocs
        and [colonne.nom for colonne in colonnes] == definition.colonnes
    )


def _ajouter_lignes(
    lignes: list[LigneImportee],
    table: str,
    source: str,
    numeros: list[int],
    colonnes: list[ColonneLue],
    en_erreur: set[int],
) -> None:
    """The valid rows as LigneImportee, built by Python's built-in iterators (no Python code runs per
    row but the making of its dict and of its LigneImportee)."""
    valeurs: Iterable[tuple[Any, ...]] = zip(*(colonne.valeurs for colonne in colonnes), strict=True)
    if en_erreur:
        gardees = [rang not in en_erreur for rang in range(len(numeros))]
        numeros, valeurs = list(compress(numeros, gardees)), compress(valeurs, gardees)
    dictionnaires = map(dict, map(partial(zip, [colonne.nom for colonne in colonnes]), valeurs))
    lignes.extend(map(LigneImportee, repeat(table), numeros, repeat(source), dictionnaires))


def _sans_doublons(
    brute: TableBrute, indices: dict[int, str], definition: DefinitionTable, vus: _Vus, rapport: Rapport
) -> tuple[list[int], list[ColonneBrute]]:
    """The row numbers and columns of the rows whose key was not seen before in this import (the others
    are reported). When no key is blank or repeated, the whole column is checked and remembered at once."""
    indice_cle = next((i for i, colonne in indices.items() if colonne == definition.cle), None)
    if indice_cle is None:
        return brute.numeros, brute.colonnes
    colonne = brute.colonnes[indice_cle]
    cles = _cles_brutes(colonne.distinctes, definition)  # per distinct cell
    formes = formes_comparees(cles)
    vues = vus.par_table[definition.nom]
    formes_des_lignes = colonne.repartir(formes)
    if (
        None not in formes_des_lignes
        and len(set(formes_des_lignes)) == len(formes_des_lignes)
        and vues.keys().isdisjoint(formes_des_lignes)
    ):
        vues.update(zip(formes_des_lignes, ((numero, brute.source) for numero in brute.numeros), strict=True))
        return brute.numeros, brute.colonnes
    gardees = np.ones(len(brute.numeros), dtype=np.bool_)
    for rang, (numero, code) in enumerate(zip(brute.numeros, colonne.codes.tolist(), strict=True)):
        cle = cles[code]
        if cle is not None and _doublon(formes[code], cle, numero, brute.source, vues, definition, rapport):
            gardees[rang] = False
    numeros = list(compress(brute.numeros, gardees.tolist()))
    return numeros, [c.garder(gardees) for c in brute.colonnes]


def _cles_brutes(cellules: list[Any], definition: DefinitionTable) -> list[Any]:
    """`_cle_brute` of each cell (in bulk, see en_bloc.lire_cellules)."""
    if not LECTURE_EN_BLOC:
        return [_cle_brute(cellule, definition) for cellule in cellules]
    parseur = lire_entier if definition.cle == "numero" else lire_texte
    return [None if cle is DOUTEUX else cle for cle in lire_cellules(parseur, cellules)]


def formes_comparees(cles: list[Any]) -> list[Any]:
    """`forme_comparee` of each key (None stays None). Keys all in ASCII are done at once: NFC leaves them
    as they are, and their case folding is their lower case."""
    if all(type(cle) is str for cle in cles) and "".join(cles).isascii():
        return list(map(str.lower, cles))
    return [None if cle is None else forme_comparee(cle) for cle in cles]


def _lire_colonne(modele: type[BaseModel], colonne: str, brute: ColonneBrute, contexte: dict[str, Any]) -> ColonneLue:
    """Validate a column, each distinct cell once: in bulk where clearly valid (en_bloc.lire_en_bloc),
    through the field's pydantic validator otherwise, which alone writes the error details."""
    if LECTURE_EN_BLOC:
        lues = lire_en_bloc(modele, colonne, brute.distinctes, contexte)
    else:
        lues = [DOUTEUX] * len(brute.distinctes)
    erreurs_par_code: dict[int, Any] = {}  # pydantic's error details
    if DOUTEUX in lues:
        adaptateur = _adaptateur(modele, colonne)
        lues = list(lues)  # never the distinct cells themselves, which the report quotes
        for code, (cellule, lue) in enumerate(zip(brute.distinctes, lues, strict=True)):
            if lue is not DOUTEUX:
                continue
            try:
                lues[code] = adaptateur.validate_python(cellule, context=contexte)
            except ValidationError as erreur:
                lues[code] = None
                erreurs_par_code[code] = erreur.errors(include_url=False)
    valeurs = brute.repartir(lues)
    if not erreurs_par_code:
        return ColonneLue(colonne, brute, valeurs, {}, ValeursCodees(lues, brute.codes))
    rangs = np.flatnonzero(np.isin(brute.codes, list(erreurs_par_code))).tolist()
    return ColonneLue(colonne, brute, valeurs, {rang: erreurs_par_code[int(brute.codes[rang])] for rang in rangs})


def _arrondir(colonne: ColonneLue, definition: DefinitionTable, numeros: list[int], rapport: Rapport) -> None:
    """Values with more decimals than the column keeps are rounded (half up), with a warning each."""
    decimales = definition.decimales[colonne.nom]
    pas = Decimal(1).scaleb(-decimales)
    for rang, valeur in enumerate(colonne.valeurs):
        if isinstance(valeur, Decimal) and valeur.as_tuple().exponent < -decimales:  # type: ignore[operator]
            arrondi = valeur.quantize(pas, rounding=ROUND_HALF_UP)
            colonne.valeurs[rang] = arrondi
            colonne.codees = None
            rapport.ajouter(
                "valeur-arrondie",
                feuille=definition.nom,
                ligne=numeros[rang],
                colonne=colonne.nom,
                valeur=colonne.brute.cellule(rang),
                decimales=decimales,
                arrondi=valeur_lisible_cellule(arrondi),
            )


def _signaler(
    rang: int,
    numero: int,
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
                valeur=colonne.brute.cellule(rang),
                message_fr=detail["msg"],
            )
    cle = next((colonne for colonne in colonnes if colonne.nom == definition.cle), None)
    if cle is not None:
        brute = _cle_brute(cle.brute.cellule(rang), definition)
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
