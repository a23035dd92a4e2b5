"""What calamine does not say of an XLSX sheet: Excel error values (#N/A…) and formulas.

calamine reads an error cell as empty and a formula as its cached value (or empty when the file was
never computed by Excel). We look into the sheet's XML for the cells that hold either, so that the
report can name them instead of silently reading a blank.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

_FEUILLE = re.compile(r"<sheet\b([^>]*)>")
_RELATION = re.compile(r"<Relationship\b([^>]*)>")
_ATTRIBUT = re.compile(r'([\w:]+)="([^"]*)"')
_CELLULE = re.compile(r'<c\b[^>]*?\br="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_VALEUR = re.compile(r"<v>([^<]+)</v>")


@dataclass
class Particularites:
    """Per sheet: error cells {(row, column index from 0): '#N/A'}, formula cells with and without value."""

    erreurs: dict[tuple[int, int], str] = field(default_factory=dict)
    formules_calculees: list[tuple[int, int]] = field(default_factory=list)
    formules_sans_valeur: list[tuple[int, int]] = field(default_factory=list)


def indice_colonne(lettres: str) -> int:
    """'A' → 0, 'Z' → 25, 'AA' → 26."""
    indice = 0
    for lettre in lettres:
        indice = indice * 26 + ord(lettre) - ord("A") + 1
    return indice - 1


def lettres_colonne(indice: int) -> str:
    """0 → 'A', 26 → 'AA'."""
    lettres = ""
    indice += 1
    while indice:
        indice, reste = divmod(indice - 1, 26)
        lettres = chr(ord("A") + reste) + lettres
    return lettres


def particularites(contenu: bytes) -> dict[str, Particularites]:
    """Sheet name → its error and formula cells (sheets with neither are left out)."""
    resultat: dict[str, Particularites] = {}
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        noms = set(archive.namelist())
        relations = {}
        for attributs in _RELATION.findall(_lire(archive, "xl/_rels/workbook.xml.rels", noms)):
            valeurs = dict(_ATTRIBUT.findall(attributs))
            relations[valeurs.get("Id")] = valeurs.get("Target", "")
        for attributs in _FEUILLE.findall(_lire(archive, "xl/workbook.xml", noms)):
            valeurs = dict(_ATTRIBUT.findall(attributs))
            nom, cible = valeurs.get("name", ""), relations.get(valeurs.get("r:id"), "")
            chemin = cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
            xml = _lire(archive, chemin, noms)
            if 't="e"' in xml or "<f" in xml:
                resultat[html.unescape(nom)] = _cellules_particulieres(xml)
    return resultat


def _lire(archive: zipfile.ZipFile, chemin: str, noms: set[str]) -> str:
    return archive.read(chemin).decode("utf-8", errors="replace") if chemin in noms else ""


def _cellules_particulieres(xml: str) -> Particularites:
    trouvees = Particularites()
    for lettres, ligne, attributs, interieur in _CELLULE.findall(xml):
        position = (int(ligne), indice_colonne(lettres))
        interieur = interieur or ""
        valeur = _VALEUR.search(interieur)
        if 't="e"' in attributs and valeur:
            trouvees.erreurs[position] = html.unescape(valeur.group(1))
        elif "<f" in interieur:
            (trouvees.formules_calculees if valeur else trouvees.formules_sans_valeur).append(position)
    return trouvees
