"""A sheet's cells column by column, each column dictionary-encoded: its distinct cells, and per row
the index of the row's cell among them.

A relève file repeats most of its values, and validation reads each distinct cell once: holding the
columns this way from the start spares a pass of Python code over every cell. A CSV file that Python's
csv module would read plainly (no quotes…) is read by Arrow's CSV reader straight into such columns,
without a Python object per cell (`lire_csv_arrow`); a workbook, or any other CSV file, is read row by
row and its rows encoded here (`encoder`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from rebond_core.config import CELLULES_MAX_FEUILLE

if TYPE_CHECKING:
    import pyarrow as pa

Codes = npt.NDArray[np.intp]


@dataclass
class ColonneBrute:
    """One column of a sheet's data rows: its distinct cells, and row by row the index of the row's cell
    among them. Cells are told apart by type as well as value (1, 1.0 and True are equal in Python but
    not the same cell); of equal cells, the first is kept."""

    distinctes: list[Any]
    codes: Codes

    def cellule(self, rang: int) -> Any:
        """The cell of the data row of rank `rang`."""
        return self.distinctes[self.codes[rang]]

    def repartir(self, valeurs: list[Any]) -> list[Any]:
        """Row by row, the value given for the row's distinct cell (`valeurs`: one per distinct cell)."""
        return list(map(valeurs.__getitem__, self.codes.tolist()))

    def garder(self, lignes: npt.NDArray[np.bool_]) -> ColonneBrute:
        """The column restricted to the rows marked True (the distinct cells are kept as they are)."""
        return ColonneBrute(self.distinctes, self.codes[lignes])


@dataclass(frozen=True)
class ValeursCodees:
    """A column of values held as its values for the distinct cells and, per row, the index of the row's
    one among them (a validated ColonneBrute: `valeurs[codes[rang]]` is the value of the row of rank
    `rang`). The writer turns it into an Arrow array without a Python object per row."""

    valeurs: list[Any]
    codes: Codes

    def __len__(self) -> int:
        return len(self.codes)

    def par_ligne(self) -> list[Any]:
        """The value of each row, in row order."""
        return list(map(self.valeurs.__getitem__, self.codes.tolist()))


_NOMBRES = frozenset({bool, int, float})  # 1, 1.0 and True are equal


def cle_de_cellule(cellule: Any) -> Any:
    """What tells two cells apart: the text itself, or (type, value) for a cell typed by a workbook."""
    return cellule if type(cellule) is str else (type(cellule), cellule)


def encoder(cellules: list[Any], textes: bool = False) -> ColonneBrute:
    """A column of cells as read, encoded. `textes`: every cell is a text or None (a CSV file). The cells
    themselves tell each other apart unless the column mixes numbers of two types."""
    par_valeur = textes or len(_NOMBRES.intersection(map(type, cellules))) <= 1
    cles = cellules if par_valeur else list(map(cle_de_cellule, cellules))
    rangs: dict[Any, Any] = dict.fromkeys(cles)  # in order of first appearance, the first of equal cells
    if par_valeur:
        distinctes = list(rangs)
    else:
        premieres = dict(zip(reversed(cles), reversed(cellules), strict=True))  # reversed: the first is kept
        distinctes = [premieres[cle] for cle in rangs]
    for rang, cle in enumerate(rangs):
        rangs[cle] = rang
    return ColonneBrute(distinctes, np.fromiter(map(rangs.__getitem__, cles), dtype=np.intp, count=len(cles)))


def encoder_lignes(lignes: list[list[Any]], largeur: int, textes: bool = False) -> list[ColonneBrute]:
    """The rows' cells as `largeur` columns at least (as many as the longest row); a row shorter than
    that has None in its missing cells."""
    largeur = max(largeur, max(map(len, lignes), default=0))
    if lignes and min(map(len, lignes)) < largeur:
        lignes = [c if len(c) >= largeur else c + [None] * (largeur - len(c)) for c in lignes]
    if not lignes:
        return [ColonneBrute([], np.zeros(0, dtype=np.intp)) for _ in range(largeur)]
    return [encoder(list(cellules), textes) for cellules in zip(*lignes, strict=True)]


# --- CSV files read by Arrow ---------------------------------------------------------------------


def lisible_par_arrow(utf8: bytes, separateur: str) -> bool:
    """True when Arrow's CSV reader, without quoting, splits the text into the records and cells that
    Python's csv module gives: no quote character (Python's reader gives it a meaning), no NUL byte (it
    refuses them), and not so many cells that Python's reader must refuse the file (it then says where)."""
    if b'"' in utf8 or b"\x00" in utf8:
        return False
    cellules_au_plus = utf8.count(separateur.encode()) + utf8.count(b"\n") + utf8.count(b"\r") + 1
    return cellules_au_plus <= CELLULES_MAX_FEUILLE


def lire_csv_arrow(utf8: bytes, separateur: str) -> pa.Table | None:
    """Every record of the text as a table of texts (columns f0, f1…), or None when Arrow cannot read it
    as Python's csv module would (see `lisible_par_arrow`; also rows of unequal length, which Arrow
    refuses, and a cell longer than Python's field size limit, which Python refuses)."""
    import pyarrow as pa  # noqa: PLC0415 — only an import of a CSV file needs it
    import pyarrow.compute as pc  # noqa: PLC0415
    import pyarrow.csv as pcsv  # noqa: PLC0415

    if not lisible_par_arrow(utf8, separateur):
        return None
    fin_de_ligne = min((i for i in (utf8.find(b"\n"), utf8.find(b"\r")) if i >= 0), default=len(utf8))
    largeur = utf8.count(separateur.encode(), 0, fin_de_ligne) + 1  # cells of the first record
    try:
        table = pcsv.read_csv(
            pa.py_buffer(utf8),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pcsv.ParseOptions(
                delimiter=separateur,
                quote_char=False,
                double_quote=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,  # an empty line is a record of empty cells: a blank row, counted
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={f"f{rang}": pa.string() for rang in range(largeur)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    limite = csv.field_size_limit()
    if any((pc.max(pc.utf8_length(colonne)).as_py() or 0) > limite for colonne in table.columns):
        return None
    return table


def premieres_lignes(table: pa.Table, nombre: int) -> list[list[str]]:
    """The first `nombre` records of an Arrow table, as rows of Python texts."""
    debut = table.slice(0, nombre)
    return [list(ligne) for ligne in zip(*(colonne.to_pylist() for colonne in debut.columns), strict=True)]


def colonnes_arrow(table: pa.Table, debut: int) -> tuple[list[int], list[ColonneBrute]]:
    """The records from rank `debut` on, blank ones left out: their spreadsheet row numbers (rank + 1)
    and their columns. A record is blank when every cell is empty or spaces (as `lecture._vide` says)."""
    colonnes = []
    for colonne in table.columns:
        encodee = colonne.slice(debut).combine_chunks().dictionary_encode()
        colonnes.append(ColonneBrute(encodee.dictionary.to_pylist(), encodee.indices.to_numpy().astype(np.intp)))
    remplies = np.zeros(table.num_rows - debut, dtype=np.bool_)
    for colonne in sorted(colonnes, key=lambda c: len(c.distinctes)):  # few distinct cells: soon settled
        non_vides = np.fromiter(map(bool, map(str.strip, colonne.distinctes)), dtype=np.bool_)
        remplies |= non_vides[colonne.codes]
        if remplies.all():
            break
    numeros = (np.flatnonzero(remplies) + debut + 1).tolist()
    return numeros, [colonne.garder(remplies) for colonne in colonnes]
