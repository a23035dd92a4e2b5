"""Writing a new version: close the replaced rows, insert the new ones, record the version; one transaction."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from rebond_core.db import Base
from rebond_core.erreurs import BaseModifiee
from rebond_core.etat import Ligne, colonnes_stockees, lignes_stockees
from rebond_core.importation.definitions import definitions

_ECRITURE = threading.Lock()

# Per table: the keys whose current row is closed, and the rows inserted as the new current state.
Changements = dict[str, tuple[list[Any], list[Ligne]]]

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


def _lot_arrow(curseur: duckdb.DuckDBPyConnection, table: str, lignes: list[Ligne]) -> pa.Table:
    """The rows to insert as an Arrow table typed like the database table."""
    colonnes = colonnes_stockees(table)
    types = dict(curseur.execute(f"select column_name, column_type from (describe {table})").fetchall())
    stockees = lignes_stockees(table, lignes)
    schema = pa.schema([(c, _type_arrow(types[c])) for c in colonnes])
    # Column by column: much faster than a dict per row for a large import.
    return pa.table(
        {c: pa.array([ligne.get(c) for ligne in stockees], type=schema.field(c).type) for c in colonnes}, schema=schema
    )


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
    curseur: duckdb.DuckDBPyConnection, table: str, fermees: list[Any], inserees: list[Ligne], numero: int
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
