"""Reading XLSX workbooks and CSV files into raw tables (cells as read, with spreadsheet row numbers),
column by column (colonnes.py; a plain CSV file is read by Arrow's CSV reader, as Python's csv module
would read it).

Structural failures (empty file, not a workbook, not text, too large) raise `FichierIllisible`.
Everything else is left to validation, which reports it with its position.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from rebond_core.config import CELLULES_MAX_FEUILLE, EXTENSIONS_ACCEPTEES, TAILLE_MAX_FICHIER_OCTETS
from rebond_core.domaine import replier
from rebond_core.erreurs import FichierIllisible
from rebond_core.formats import nombre
from rebond_core.importation.cellules import FORMULE_SANS_VALEUR
from rebond_core.importation.classeur_xml import Particularites, inspecter
from rebond_core.importation.colonnes import (
    ColonneBrute,
    colonnes_arrow,
    encoder_lignes,
    lire_csv_arrow,
    premieres_lignes,
)

NOMS_TABLES = ("releves", "territoires", "projets", "sites", "versements")
_SIGNATURE_ZIP = b"PK\x03\x04"
_SIGNATURE_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOM_UTF8 = b"\xef\xbb\xbf"
LIGNES_ENTETE_EXPLOREES = 10
ENREGISTREMENTS_ENTETE = 64  # records of a CSV file read by Arrow in which its header row is looked for
# False: every CSV file read by the csv module, as before Arrow's reader (tests compare both readers).
LECTURE_ARROW = True


@dataclass
class TableBrute:
    """One sheet or CSV file: its data rows after the header row, as their spreadsheet row numbers
    (`numeros`) and their cells column by column (`colonnes`, at least as many as headers; a row shorter
    than the others has None in its missing cells)."""

    table: str | None
    source: str
    feuille: str
    ligne_entete: int
    entetes: list[str]
    numeros: list[int]
    colonnes: list[ColonneBrute]
    masquee: bool = False
    virgule_admise: bool = False
    formules: list[tuple[int, int]] = field(default_factory=list)  # (row, absolute column index) with a value
    colonne_debut: int = 0  # absolute index of the sheet's first used column (cells are relative to it)
    textes: bool = False  # every cell is a str or None (a CSV file): cells are told apart by value alone


@dataclass
class Fichier:
    """A file given to an import: its name, SHA-256 and the raw tables it holds."""

    nom: str
    sha256: str
    tables: list[TableBrute] = field(default_factory=list)


Source = Path | tuple[str, bytes]


def lire_fichier(source: Source, nom: str | None = None) -> Fichier:
    """Read one file given to an import (XLSX or CSV, told apart by content and extension): a path,
    or (name, bytes) for an upload, which is then never written to disk."""
    nom, contenu = octets(source, _verifier_taille, nom)
    fichier = Fichier(nom=nom, sha256=hashlib.sha256(contenu).hexdigest())
    fichier.tables = _lire_contenu(contenu, nom)
    return fichier


def octets(source: Source, verifier: Callable[[str, int], None], nom: str | None = None) -> tuple[str, bytes]:
    """The name and bytes of a path, or of (name, bytes) for an upload (never written to disk), checked by
    `verifier(nom, taille)` before a path is read (a too-large file is refused without being read)."""
    if isinstance(source, tuple):
        nom, contenu = nom or source[0], source[1]
        verifier(nom, len(contenu))
        return nom, contenu
    nom = nom or source.name
    try:
        taille = source.stat().st_size
    except OSError as erreur:
        raise FichierIllisible(f"{nom} : fichier introuvable ou illisible ({erreur.strerror}).") from erreur
    verifier(nom, taille)
    return nom, source.read_bytes()


def _verifier_taille(nom: str, taille: int) -> None:
    if taille == 0:
        raise FichierIllisible(f"{nom} : le fichier est vide.")
    if taille > TAILLE_MAX_FICHIER_OCTETS:
        raise FichierIllisible(
            f"{nom} : fichier trop volumineux ({nombre(taille / 1_000_000, 1)} Mo, "
            f"{nombre(TAILLE_MAX_FICHIER_OCTETS / 1_000_000)} Mo au plus)."
        )


def _lire_contenu(contenu: bytes, nom: str) -> list[TableBrute]:
    extension = Path(nom).suffix.lower()
    if contenu.startswith(_SIGNATURE_OLE):
        raise FichierIllisible(
            f"{nom} : classeur protégé par mot de passe ou au format Excel 97-2003 (.xls) ; "
            "enregistrez-le sans mot de passe au format .xlsx."
        )
    if contenu.startswith(_SIGNATURE_ZIP):
        return lire_xlsx(contenu, nom)
    if extension in (".xlsx", ".xlsm", ".xls"):
        raise FichierIllisible(f"{nom} : ce n'est pas un classeur Excel (.xlsx) valide.")
    return [lire_csv(contenu, nom)]


def table_du_nom(nom: str, prefixe: bool) -> str | None:
    """The table a sheet name designates (`Projets` — the whole name) or a CSV file stem starts with
    (`territoires_releve3`). A copied sheet such as `projets (2)` designates no table."""
    replie = replier(nom)
    if not prefixe:
        return replie if replie in NOMS_TABLES else None
    return next((table for table in NOMS_TABLES if replie.startswith(table)), None)


def lire_xlsx(contenu: bytes, nom: str) -> list[TableBrute]:
    """Every sheet of a workbook, with values as calamine reads them (dates as dates), once the
    workbook has passed the limits of `classeur_xml.inspecter`."""
    try:
        speciales = inspecter(contenu, nom)
    except (zipfile.BadZipFile, KeyError, ValueError) as erreur:
        raise FichierIllisible(f"{nom} : classeur Excel illisible ou endommagé ({erreur}).") from erreur
    try:
        classeur = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(contenu))
    except Exception as erreur:  # calamine raises several unrelated types for corrupt zips
        raise FichierIllisible(f"{nom} : classeur Excel illisible ou endommagé ({erreur}).") from erreur
    tables = []
    for meta in classeur.sheets_metadata:
        try:
            feuille = classeur.get_sheet_by_name(meta.name)
            masquee = meta.visible != python_calamine.SheetVisibleEnum.Visible
            debut_colonne = feuille.start[1] if feuille.start else 0
            lignes = feuille.iter_rows()
        except Exception as erreur:
            raise FichierIllisible(f"{nom} : feuille « {meta.name} » illisible ({erreur}).") from erreur
        # calamine yields the rows from the sheet's first row, the cells from its first used column.
        cas = speciales.get(meta.name)
        if cas is not None:
            lignes = _avec_cellules_speciales(lignes, 1, debut_colonne, cas)
        table = _table_depuis_lignes(lignes, nom, meta.name, 1, table_du_nom(meta.name, prefixe=False))
        table.masquee = masquee
        table.virgule_admise = True
        table.colonne_debut = debut_colonne
        if cas is not None:
            table.formules = list(cas.formules_calculees)
        tables.append(table)
    return tables


def _avec_cellules_speciales(
    lignes: Iterable[list[Any]], premiere_ligne: int, debut_colonne: int, cas: Particularites
) -> Iterator[list[Any]]:
    """The rows with Excel error values (read as blanks by calamine) and uncomputed formulas put back."""
    remplacements: dict[int, list[tuple[int, Any]]] = {}
    for (ligne, colonne), valeur in cas.erreurs.items():
        remplacements.setdefault(ligne, []).append((colonne - debut_colonne, valeur))
    for ligne, colonne in cas.formules_sans_valeur:
        remplacements.setdefault(ligne, []).append((colonne - debut_colonne, FORMULE_SANS_VALEUR))
    numero = premiere_ligne - 1
    for numero, cellules in enumerate(lignes, start=premiere_ligne):
        yield _remplacer(list(cellules), remplacements.get(numero, []))
    # calamine ends the sheet at its last non-empty cell: special cells may lie below it.
    for suivante in range(numero + 1, max(remplacements, default=numero) + 1):
        yield _remplacer([], remplacements.get(suivante, []))


def _remplacer(cellules: list[Any], remplacements: list[tuple[int, Any]]) -> list[Any]:
    for indice, valeur in remplacements:
        if indice >= len(cellules):
            cellules.extend([""] * (indice + 1 - len(cellules)))
        cellules[indice] = valeur
    return cellules


def decoder_texte(contenu: bytes, nom: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; NUL bytes mean a binary file."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FichierIllisible(
            f"{nom} : fichier texte en UTF-16 (« Texte Unicode » d'Excel), encodage non accepté ; enregistrez-le "
            "en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »."
        )
    if b"\x00" in contenu[:65536]:
        raise FichierIllisible(f"{nom} : ce n'est pas un fichier texte (CSV) ni un classeur .xlsx.")
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return contenu.decode("cp1252", errors="replace")


# The runs of characters between line boundaries, as str.splitlines() cuts them (\r\n, \r, \n, \v, \f,
# \x1c-\x1e, \x85, \u2028, \u2029).
_SEGMENT_DE_LIGNE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def detecter_separateur(texte: str) -> str:
    """';' or ',' (or tab), whichever splits the first non-empty line into the most cells."""
    premiere = next((ligne for ligne in map(re.Match.group, _SEGMENT_DE_LIGNE.finditer(texte)) if ligne.strip()), "")
    comptes = {sep: len(next(csv.reader([premiere], delimiter=sep))) for sep in ";,\t"}
    return max(comptes, key=lambda sep: (comptes[sep], sep == ";"))


def lire_csv(contenu: bytes, nom: str) -> TableBrute:
    """One CSV file; the table is named by the file stem. Read by Arrow when it reads it as Python's csv
    module does (colonnes.lire_csv_arrow), else by the csv module."""
    texte = decoder_texte(contenu, nom)
    separateur = detecter_separateur(texte)
    table = table_du_nom(Path(nom).stem, prefixe=True)
    if LECTURE_ARROW:
        lue = _table_arrow(_en_utf8(contenu, texte), separateur, nom, table)
        if lue is not None:
            return lue
    lecteur = csv.reader(_lignes_du_texte(texte), delimiter=separateur)
    lignes: list[list[str]] = []
    cellules = 0
    try:
        for ligne in lecteur:
            cellules += len(ligne)
            if cellules > CELLULES_MAX_FEUILLE:  # 50 Mo of "1;" would be 25 million cells
                raise FichierIllisible(
                    f"{nom} : fichier refusé — plus de {nombre(CELLULES_MAX_FEUILLE)} cellules (atteint à la "
                    f"ligne {nombre(len(lignes) + 1)}) : ce n'est pas un fichier de relève."
                )
            lignes.append(ligne)
    except csv.Error as erreur:
        raise FichierIllisible(f"{nom} : CSV illisible ({erreur}).") from erreur
    return _table_depuis_lignes(lignes, nom, nom, 1, table, textes=True)


def _en_utf8(contenu: bytes, texte: str) -> bytes:
    """The text `decoder_texte` read from `contenu`, in UTF-8 without BOM: `contenu` itself when it was
    read as UTF-8 (fewer characters than bytes, or only ASCII bytes), else the text encoded."""
    if len(texte) < len(contenu) or contenu.isascii():
        return contenu.removeprefix(_BOM_UTF8)
    return texte.encode("utf-8")


def _table_arrow(utf8: bytes, separateur: str, nom: str, table: str | None) -> TableBrute | None:
    """The CSV file (`utf8`: its text in UTF-8) read by Arrow, or None when Arrow would not read it as the
    csv module does, or when its header row is not among its first ENREGISTREMENTS_ENTETE records."""
    lue = lire_csv_arrow(utf8, separateur)
    if lue is None:
        return None
    premieres = list(enumerate(premieres_lignes(lue, ENREGISTREMENTS_ENTETE), start=1))
    entete, _, tranchee = _entete(iter(premieres), table)
    if entete is None or (not tranchee and lue.num_rows > ENREGISTREMENTS_ENTETE):
        return None
    numeros, colonnes = colonnes_arrow(lue, entete[0])
    entetes = [_texte_entete(c) for c in entete[1]]
    return TableBrute(table, nom, nom, entete[0], entetes, numeros, colonnes, textes=True)


_LIGNE_TEXTE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lignes_du_texte(texte: str) -> Iterator[str]:
    """The lines of the text with their ends (\\r\\n, \\r or \\n), one at a time: what `io.StringIO(texte,
    newline="")` gives the csv reader, without its copy of the whole text at 4 bytes a character."""
    for ligne in _LIGNE_TEXTE.finditer(texte):
        yield ligne.group()


def _vide(cellules: Iterable[Any]) -> bool:
    for cellule in cellules:
        if cellule is None or cellule == "" or (isinstance(cellule, str) and not cellule.strip()):
            continue
        return False
    return True


def _table_depuis_lignes(
    lignes: Iterable[list[Any]], source: str, feuille: str, premiere_ligne: int, table: str | None, textes: bool = False
) -> TableBrute:
    """Keep the data rows after the header row (see `_entete`), column by column."""
    numerotees = enumerate(lignes, start=premiere_ligne)
    entete, suivantes, _ = _entete(numerotees, table)
    donnees = suivantes + [(numero, list(cellules)) for numero, cellules in numerotees if not _vide(cellules)]
    numero_entete, entetes = entete if entete else (premiere_ligne, [])
    return TableBrute(
        table=table,
        source=source,
        feuille=feuille,
        ligne_entete=numero_entete,
        entetes=[_texte_entete(c) for c in entetes],
        numeros=[numero for numero, _ in donnees],
        colonnes=encoder_lignes([cellules for _, cellules in donnees], len(entetes), textes),
        textes=textes,
    )


def _entete(
    lignes: Iterator[tuple[int, list[Any]]], table: str | None
) -> tuple[tuple[int, list[Any]] | None, list[tuple[int, list[Any]]], bool]:
    """The header row: among the first non-empty rows, the first that names at least two known columns
    (a title or merged group row above it is skipped), else the first. Reads `lignes` no further than
    needed; returns the header (None when every row is empty), the non-empty rows read after it, and
    whether it was settled before the end of `lignes`."""
    from rebond_core.importation.definitions import colonnes_connues  # local: tables imports the grids

    connues = colonnes_connues(table) if table else set()
    candidates: list[tuple[int, list[Any]]] = []
    for numero, cellules in lignes:
        if _vide(cellules):
            continue
        candidates.append((numero, list(cellules)))
        if sum(1 for c in cellules if replier(str(c)) in connues) >= 2:
            return candidates[-1], [], True
        if len(candidates) == LIGNES_ENTETE_EXPLOREES:
            return candidates[0], candidates[1:], True
    return (candidates[0] if candidates else None), candidates[1:], False


def _texte_entete(cellule: Any) -> str:
    if isinstance(cellule, float) and cellule.is_integer():
        cellule = int(cellule)
    return " ".join(str(cellule).split())


def verifier_televersement(nom: str, taille: int) -> None:
    """Server-side check of an uploaded file: accepted type (by extension) and size limit."""
    extension = Path(nom).suffix.lower()
    if extension not in EXTENSIONS_ACCEPTEES:
        raise FichierIllisible(
            f"{nom} : type de fichier refusé ({extension or 'sans extension'}) ; "
            "seuls les classeurs .xlsx et les fichiers .csv sont acceptés."
        )
    _verifier_taille(nom, taille)
