"""An XLSX workbook looked at before calamine parses it: its limits, and what calamine does not say.

A workbook is a zip of XML parts. Before anything is parsed, every part is checked against limits
derived from the upload limit (`config.py`): its uncompressed size (declared and real, read by chunks),
its compression ratio (a zip bomb unpacks thousands of times its size) and, for each sheet, the extent
of its cells — calamine allocates a cell for every position between the first and the last used cell,
so one stray cell at XFD1048576 would ask for hundreds of gigabytes. A file beyond a limit is refused
(`FichierIllisible`) after reading at most a few megabytes at a time.

The same pass finds the cells calamine reads silently: Excel error values (#N/A…), read as blanks, and
formulas, read as their cached value (or as blanks when Excel never computed them), so that the report
can name them.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import IO

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from rebond_core.config import (
    CELLULES_MAX_FEUILLE,
    COMPRESSION_MAX,
    TAILLE_MAX_PARTIE_XLSX,
    TAILLE_MAX_XLSX_DECOMPRESSE,
)
from rebond_core.erreurs import FichierIllisible
from rebond_core.formats import nombre

_MIO = 1024 * 1024
_BLOC = _MIO  # bytes decompressed at a time
_LIGNE_MAX_OCTETS = 64 * _MIO  # a sheet row longer than this is not a relève table
_P = r"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (<x:c>, <x:row>)
_FEUILLE = re.compile(r"<" + _P + r"sheet\b([^>]*)>")
_RELATION = re.compile(r"<" + _P + r"Relationship\b([^>]*)>")
_ATTRIBUT = re.compile(r'([\w:]+)="([^"]*)"')
_DIMENSION = re.compile(rb"<" + _P.encode() + rb'dimension\b[^>]*\bref="([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?"')
_REFERENCE = re.compile(rb"<" + _P.encode() + rb'c\b[^>]*?\br="([A-Z]{1,4})([0-9]{1,8})"')
_CELLULE = re.compile(
    rb"<" + _P.encode() + rb'c\b[^>]*?\br="([A-Z]{1,4})([0-9]{1,8})"([^>]*?)(?:/>|>(.*?)</' + _P.encode() + rb"c>)",
    re.DOTALL,
)
_VALEUR = re.compile(rb"<" + _P.encode() + rb"v>([^<]+)</" + _P.encode() + rb"v>")
_FIN_LIGNE = re.compile(rb"</" + _P.encode() + rb"row>")


@dataclass
class Particularites:
    """Per sheet: error cells {(row, column index from 0): '#N/A'}, formula cells with and without value."""

    erreurs: dict[tuple[int, int], str] = field(default_factory=dict)
    formules_calculees: list[tuple[int, int]] = field(default_factory=list)
    formules_sans_valeur: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.erreurs or self.formules_calculees or self.formules_sans_valeur)


def lettres_colonne(indice: int) -> str:
    """0 → 'A', 26 → 'AA'."""
    return str(xl_col_to_name(indice))


def inspecter(contenu: bytes, nom: str) -> dict[str, Particularites]:
    """Check the workbook against the limits (raises FichierIllisible) and return, by sheet name, its
    error and formula cells (sheets with neither are left out). `contenu` is a zip archive."""
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        _verifier_tailles(archive, nom)
        resultat: dict[str, Particularites] = {}
        for feuille, chemin in _feuilles(archive, nom):
            cas = _parcourir_feuille(archive, chemin, nom, feuille)
            if cas:
                resultat[feuille] = cas
        return resultat


def _verifier_tailles(archive: zipfile.ZipFile, nom: str) -> None:
    """Declared sizes and compression ratios, part by part, before anything is decompressed."""
    total = 0
    for info in archive.infolist():
        _verifier_partie(nom, info.filename, info.file_size, info.compress_size)
        total += info.file_size
    if total > TAILLE_MAX_XLSX_DECOMPRESSE:
        raise FichierIllisible(
            f"{nom} : classeur refusé — une fois décompressé, il occuperait {_mo(total)} Mo "
            f"({_mo(TAILLE_MAX_XLSX_DECOMPRESSE)} Mo au plus)."
        )


def _verifier_partie(nom: str, partie: str, taille: int, taille_compressee: int) -> None:
    if taille > TAILLE_MAX_PARTIE_XLSX:
        raise FichierIllisible(
            f"{nom} : classeur refusé — sa partie « {partie} » occupe {_mo(taille)} Mo une fois décompressée "
            f"({_mo(TAILLE_MAX_PARTIE_XLSX)} Mo au plus par partie)."
        )
    if taille > _MIO and taille > COMPRESSION_MAX * max(taille_compressee, 1):
        raise FichierIllisible(
            f"{nom} : classeur refusé — sa partie « {partie} » est comprimée "
            f"{nombre(taille / max(taille_compressee, 1))} "
            f"fois ({COMPRESSION_MAX} fois au plus) : ce n'est pas un classeur enregistré par un tableur."
        )


def _feuilles(archive: zipfile.ZipFile, nom: str) -> list[tuple[str, str]]:
    """(sheet name, path of its XML part) for every sheet the workbook declares."""
    noms = set(archive.namelist())
    relations = {}
    for attributs in _RELATION.findall(_lire_petit(archive, "xl/_rels/workbook.xml.rels", noms, nom)):
        valeurs = dict(_ATTRIBUT.findall(attributs))
        relations[valeurs.get("Id")] = valeurs.get("Target", "")
    feuilles = []
    for attributs in _FEUILLE.findall(_lire_petit(archive, "xl/workbook.xml", noms, nom)):
        valeurs = dict(_ATTRIBUT.findall(attributs))
        cible = relations.get(valeurs.get("r:id"), "")
        chemin = cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
        if chemin in noms:
            feuilles.append((html.unescape(valeurs.get("name", "")), chemin))
    return feuilles


def _lire_petit(archive: zipfile.ZipFile, chemin: str, noms: set[str], nom: str) -> str:
    """A small part (workbook, relations) read whole: its size was checked already."""
    if chemin not in noms:
        return ""
    return b"".join(_blocs(archive, chemin, nom)).decode("utf-8", errors="replace")


def _blocs(archive: zipfile.ZipFile, chemin: str, nom: str) -> Iterator[bytes]:
    """The part decompressed block by block, refused as soon as it outgrows the limit (a zip may lie
    about its sizes) or turns out corrupt."""
    lus = 0
    try:
        with archive.open(chemin) as flux:
            while bloc := _lire_bloc(flux):
                lus += len(bloc)
                if lus > TAILLE_MAX_PARTIE_XLSX:
                    _verifier_partie(nom, chemin, lus, archive.getinfo(chemin).compress_size)
                yield bloc
    except (zipfile.BadZipFile, OSError, EOFError) as erreur:
        raise FichierIllisible(f"{nom} : classeur Excel illisible ou endommagé ({erreur}).") from erreur


def _lire_bloc(flux: IO[bytes]) -> bytes:
    return flux.read(_BLOC)


def _parcourir_feuille(archive: zipfile.ZipFile, chemin: str, nom: str, feuille: str) -> Particularites:
    """One pass over a sheet, whole rows at a time: the extent of its cells against the limit, its
    error and formula cells."""
    etendue = _Etendue(nom, feuille)
    trouvees = Particularites()
    reste = b""
    premier = True
    for bloc in _blocs(archive, chemin, nom):
        tampon = reste + bloc
        if premier:
            etendue.declaree(tampon)
            premier = False
        coupure = _derniere_fin_de_ligne(tampon)
        if coupure is None:
            if len(tampon) > _LIGNE_MAX_OCTETS:
                raise FichierIllisible(
                    f"{nom} : classeur refusé — la feuille « {feuille} » contient une ligne de plus de "
                    f"{_mo(_LIGNE_MAX_OCTETS)} Mo."
                )
            reste = tampon
            continue
        _analyser(tampon[:coupure], etendue, trouvees)
        reste = tampon[coupure:]
    _analyser(reste, etendue, trouvees)
    return trouvees


def _derniere_fin_de_ligne(tampon: bytes) -> int | None:
    fin = None
    for fin_ligne in _FIN_LIGNE.finditer(tampon, max(0, len(tampon) - 2 * _BLOC)):
        fin = fin_ligne.end()
    return fin


def _analyser(xml: bytes, etendue: _Etendue, trouvees: Particularites) -> None:
    if b't="e"' not in xml and b"<f" not in xml and b":f" not in xml:
        etendue.ajouter(_REFERENCE.findall(xml))
        return
    references = []
    for lettres, ligne, attributs, interieur in _CELLULE.findall(xml):
        references.append((lettres, ligne))
        position = (int(ligne), xl_cell_to_rowcol(f"{lettres.decode()}1")[1])
        valeur = _VALEUR.search(interieur or b"")
        if b't="e"' in attributs and valeur:
            trouvees.erreurs[position] = html.unescape(valeur.group(1).decode("utf-8", errors="replace"))
        elif re.search(rb"<" + _P.encode() + rb"f\b", interieur or b""):
            (trouvees.formules_calculees if valeur else trouvees.formules_sans_valeur).append(position)
    etendue.ajouter(references)


class _Etendue:
    """The rectangle from the first to the last used cell of a sheet, checked as it grows."""

    def __init__(self, nom: str, feuille: str) -> None:
        self.nom, self.feuille = nom, feuille
        self.lignes: tuple[int, int] | None = None
        self.colonnes: tuple[int, int] | None = None

    def declaree(self, debut: bytes) -> None:
        """The <dimension ref="A1:XFD1048576"/> the sheet declares, at its top."""
        dimension = _DIMENSION.search(debut[:4096])
        if dimension:
            coins = [c.decode() for c in dimension.groups() if c]
            self._verifier([xl_cell_to_rowcol(c) for c in coins], declaree=True)

    def ajouter(self, references: list[tuple[bytes, bytes]]) -> None:
        if not references:
            return
        lignes = list(map(int, map(itemgetter(1), references)))
        indices = [xl_cell_to_rowcol(f"{c.decode()}1")[1] for c in set(map(itemgetter(0), references))]
        coins = [(min(lignes) - 1, min(indices)), (max(lignes) - 1, max(indices))]
        if self.lignes is not None and self.colonnes is not None:
            coins += [(self.lignes[0], self.colonnes[0]), (self.lignes[1], self.colonnes[1])]
        self._verifier(coins, declaree=False)

    def _verifier(self, coins: list[tuple[int, int]], declaree: bool) -> None:
        lignes = (min(r for r, _ in coins), max(r for r, _ in coins))
        colonnes = (min(c for _, c in coins), max(c for _, c in coins))
        cellules = (lignes[1] - lignes[0] + 1) * (colonnes[1] - colonnes[0] + 1)
        if cellules > CELLULES_MAX_FEUILLE:
            derniere = f"{lettres_colonne(colonnes[1])}{lignes[1] + 1}"
            verbe = "déclare s'étendre" if declaree else "s'étend"
            raise FichierIllisible(
                f"{self.nom} : classeur refusé — la feuille « {self.feuille} » {verbe} jusqu'à la cellule "
                f"{derniere}, soit {nombre(cellules)} cellules ({nombre(CELLULES_MAX_FEUILLE)} au plus). "
                "Supprimez les cellules isolées loin du tableau (Ctrl+Fin montre la dernière cellule utilisée), "
                "puis enregistrez à nouveau."
            )
        if not declaree:
            self.lignes, self.colonnes = lignes, colonnes


def _mo(octets: int) -> str:
    return nombre(octets / _MIO)
