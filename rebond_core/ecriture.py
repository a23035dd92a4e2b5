"""Writing a new version: close the replaced rows, insert the new ones, record the version; one transaction."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

import duckdb
import pyarrow as pa

from rebond_core.db import Base
from rebond_core.erreurs import BaseModifiee
from rebond_core.etat import Ligne, colonnes_stockees, lignes_stockees
from rebond_core.importation.colonnes import ValeursCodees
from rebond_core.importation.definitions import definitions

_ECRITURE = threading.Lock()


@dataclass(frozen=True)
class EnColonnes:
    """Rows to insert given column by column, as validation left them: stored column → its values in
    row order. Invariant: every stored column of the table is there, all of one length, and row i of
    the columns is the row the writer would otherwise get as a dict."""

    valeurs: dict[str, list[Any] | ValeursCodees]

    def __len__(self) -> int:
        return len(next(iter(self.valeurs.values()), []))


# Per table: the keys whose current row is closed, and the rows inserted as the new current state
# (dicts, or the same rows in columns when the import still holds them so).
Changements = dict[str, tuple[list[Any], list[Ligne] | EnColonnes]]

_TYPES_ARROW = {
    "VARCHAR": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
    "INTEGER": pa.int32(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
}


def _type_arrow(type_duckdb: str) -> pa.DataType:
    if type_duckdb.startswith("DECIMAL"):
        precision, echelle = type_duckdb[len("DECIMAL(") : -1].split(",")
        return pa.decimal128(int(precision), int(echelle))
    return _TYPES_ARROW[type_duckdb]


# Rows converted per Arrow batch: bounds the memory of the transposed rows (a few megabytes per batch).
TAILLE_LOT = 32_768


def _schema_arrow(curseur: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    """The stored columns of `table` (etat.colonnes_stockees, in that order) typed as the database types them."""
    types = dict(curseur.execute(f"select column_name, column_type from (describe {table})").fetchall())
    return pa.schema([(c, _type_arrow(types[c])) for c in colonnes_stockees(table)])


def _lot_arrow(curseur: duckdb.DuckDBPyConnection, table: str, lignes: list[Ligne] | EnColonnes) -> pa.Table:
    """The rows to insert as an Arrow table typed like the database table, row order kept."""
    schema = _schema_arrow(curseur, table)
    if isinstance(lignes, EnColonnes):
        colonnes = [_tableau(lignes.valeurs[champ.name], champ.type) for champ in schema]
        return pa.Table.from_arrays(colonnes, schema=schema)
    # Dicts: each batch of rows transposed into columns in one pass (`operator.itemgetter` and `zip`, in
    # C), then each column converted by Arrow at once; no Python code runs per cell.
    stockees = lignes_stockees(table, lignes)
    lots = [
        pa.record_batch(_colonnes(stockees[debut : debut + TAILLE_LOT], schema), schema=schema)
        for debut in range(0, len(stockees), TAILLE_LOT)
    ]
    return pa.Table.from_batches(lots, schema=schema)


def _tableau(valeurs: list[Any] | ValeursCodees, type_arrow: pa.DataType) -> pa.Array:
    """One column as an Arrow array; a coded column by converting its few values, then indexing them."""
    if isinstance(valeurs, ValeursCodees):
        return pa.array(valeurs.valeurs, type=type_arrow).take(pa.array(valeurs.codes))
    return pa.array(valeurs, type=type_arrow)


def _colonnes(lignes: list[Ligne], schema: pa.Schema) -> list[pa.Array]:
    """The values of each column of `schema` in `lignes`, as Arrow arrays."""
    colonnes = _transposees(lignes, schema.names)
    return [pa.array(valeurs, type=champ.type) for valeurs, champ in zip(colonnes, schema, strict=True)]


def _transposees(lignes: list[Ligne], noms: list[str]) -> list[Sequence[Any]]:
    """The rows as columns, one per name; a column a row lacks is None there (the rows of an import carry
    them all: the slower reading is only a safety net)."""
    if lignes and len(noms) > 1:
        try:
            # itemgetter of several names gives a tuple per row, which zip turns into one tuple per column.
            return list(zip(*map(itemgetter(*noms), lignes), strict=True))
        except KeyError:
            pass
    return [[ligne.get(nom) for ligne in lignes] for nom in noms]


def ecrire_version(
    base: Base,
    changements: Changements,
    auteur: str,
    fichiers: list[dict[str, str]],
    comptes: dict[str, dict[str, int]],
    restaure: int | None,
    version_lue: int,
) -> int:
    """Write the changes as the next version, all or nothing; return its number.

    The changes were computed from version `version_lue`: if another writer committed since, the
    write is refused (BaseModifiee) rather than overwriting what it did. Writers of one process are
    serialised; DuckDB's file lock keeps other processes out."""
    with _ECRITURE, base.transaction() as curseur:
        ligne = curseur.execute("select coalesce(max(numero), 0) + 1 from versions").fetchone()
        numero = int(ligne[0]) if ligne else 1
        if numero != version_lue + 1:
            raise BaseModifiee(version_lue, numero - 1)
        curseur.execute(
            "insert into versions values ($numero, $date, $auteur, $fichiers, $comptes, $restaure)",
            {
                "numero": numero,
                "date": datetime.now().replace(microsecond=0),
                "auteur": auteur,
                "fichiers": json.dumps(fichiers, ensure_ascii=False),
                "comptes": json.dumps(comptes, ensure_ascii=False),
                "restaure": restaure,
            },
        )
        for table, (fermees, inserees) in changements.items():
            _appliquer(curseur, table, fermees, inserees, numero)
    return numero


def _appliquer(
    curseur: duckdb.DuckDBPyConnection, table: str, fermees: list[Any], inserees: list[Ligne] | EnColonnes, numero: int
) -> None:
    """Close the current rows of `fermees` and insert `inserees`, valid from version `numero`."""
    cle = definitions()[table].cle
    colonnes = ", ".join(colonnes_stockees(table))
    # Identifiers below come from definitions(); values are bound or passed as Arrow tables.
    if fermees:
        cles = pa.table({"cle": pa.array(fermees)})
        curseur.register("cles_fermees", cles)
        curseur.execute(
            f"update {table} set v_to = $numero where v_to is null and {cle} in (select cle from cles_fermees)",
            {"numero": numero},
        )
        curseur.unregister("cles_fermees")
    if inserees:
        curseur.register("lot", _lot_arrow(curseur, table, inserees))
        curseur.execute(
            f"insert into {table} ({colonnes}, v_from, v_to) select {colonnes}, $numero, null from lot",
            {"numero": numero},
        )
        curseur.unregister("lot")
