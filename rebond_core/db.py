"""The database: opening it, creating it, and the one gateway through which every query runs."""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import duckdb

from rebond_core.erreurs import BaseIndisponible, ErreurStockage

if TYPE_CHECKING:
    import pandas as pd

DOSSIER_SQL = Path(__file__).parent / "sql"
# DuckDB advises its relational API (`sql(…).to_arrow_table()`) over Arrow output of an executed query, which
# copies the rows: for the one small row `Base.dfs_de_listes` reads, the copy is nothing, while a relation
# binds the query twice (the overview's series: 20 ms against 11).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning)
Parametres = Mapping[str, Any] | Sequence[Any] | None


@functools.cache
def sql(nom: str) -> str:
    """The text of a named SQL file of rebond_core/sql/ (read once per process, as the code is)."""
    return (DOSSIER_SQL / f"{nom}.sql").read_text(encoding="utf-8")


def ouvrir(chemin: Path, lecture_seule: bool = False, creer: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file (a missing one only when `creer`), each failure with its own French message:
    missing, used by another process, read-only, damaged or not a Rebond base."""
    if not creer and not chemin.exists():
        raise BaseIndisponible(f"Base introuvable : {chemin}. Créez-la avec « python -m rebond_core init ».")
    if not creer and chemin.is_file() and chemin.stat().st_size == 0:
        raise BaseIndisponible(f"La base {chemin} est un fichier vide : restaurez-la depuis une sauvegarde.")
    try:
        connexion = duckdb.connect(str(chemin), read_only=lecture_seule)
    except duckdb.Error as erreur:
        raise BaseIndisponible(
            f"Impossible d'ouvrir la base {chemin} : {_cause_ouverture(erreur)} Détail : {erreur}"
        ) from erreur
    if not creer and not _est_une_base_rebond(connexion):
        connexion.close()
        raise BaseIndisponible(
            f"Le fichier {chemin} est une base DuckDB, mais pas une base Rebond (aucune table versions)."
        )
    if not creer and version_schema(connexion) < VERSION_SCHEMA:
        connexion = _mise_a_niveau_a_l_ouverture(chemin, connexion, lecture_seule)
    return connexion


# The shape of rebond_core/sql/schema.sql (its meta key `version_schema`); a base without the key is of
# schema 1 (contract 1: no `versements`, no `projets.date_statut`); schema 2 has no `habilitations`.
# Each upgrade is sql/mise_a_niveau_<n>.sql.
VERSION_SCHEMA = 3


def version_schema(connexion: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open base (1 for a base made before the key existed)."""
    with connexion.cursor() as curseur:
        ligne = curseur.execute("select valeur from meta where cle = 'version_schema'").fetchone()
    return int(ligne[0]) if ligne else 1


def mettre_a_niveau(connexion: duckdb.DuckDBPyConnection) -> int:
    """Bring a base opened for writing to VERSION_SCHEMA, each step in one transaction (all or nothing);
    return the schema version it had. Its rows and versions are kept as they were."""
    depart = version_schema(connexion)
    for cible in range(depart + 1, VERSION_SCHEMA + 1):
        with connexion.cursor() as curseur:
            curseur.execute("begin transaction")
            try:
                curseur.execute(sql(f"mise_a_niveau_{cible}"))
                curseur.execute("commit")
            except BaseException:
                _annuler(curseur)
                raise
    if depart < VERSION_SCHEMA:
        connexion.execute("checkpoint")
    return depart


def _mise_a_niveau_a_l_ouverture(
    chemin: Path, connexion: duckdb.DuckDBPyConnection, lecture_seule: bool
) -> duckdb.DuckDBPyConnection:
    """Upgrade an older base the first time it is opened. Opened read-only, it is upgraded through a brief
    read-write opening, then opened read-only again (the readers know only the current shape)."""
    depart = version_schema(connexion)
    try:
        if lecture_seule:
            connexion.close()
            with duckdb.connect(str(chemin)) as ecriture:
                mettre_a_niveau(ecriture)
            return duckdb.connect(str(chemin), read_only=True)
        mettre_a_niveau(connexion)
        return connexion
    except duckdb.Error as erreur:
        connexion.close()
        raise BaseIndisponible(
            f"La base {chemin} a été créée {_avant_quoi(depart)} et doit être mise à niveau, ce qui est "
            f"impossible : {_cause_ouverture(erreur)} Ouvrez-la une fois avec les droits d'écriture. "
            f"Détail : {erreur}"
        ) from erreur


def _avant_quoi(depart: int) -> str:
    if depart < 2:
        return "avant le contrat 2 du classeur (versements)"
    return "avant les habilitations (accès par rôle et périmètre)"


# What the system says when a file may not be written: read-only mount (EROFS), immutable file (EPERM),
# permissions (EACCES).
_LECTURE_SEULE = ("read-only", "read only", "permission denied", "operation not permitted")


def _cause_ouverture(erreur: duckdb.Error) -> str:
    texte = str(erreur).lower()
    if "lock" in texte:
        return "elle est utilisée par un autre processus (tableau de bord ou import en cours)."
    if any(signe in texte for signe in _LECTURE_SEULE):
        return "le fichier ou son dossier est en lecture seule pour ce processus."
    if "different configuration" in texte:
        return "ce processus l'a déjà ouverte autrement (lecture seule et écriture à la fois)."
    if any(signe in texte for signe in ("not a valid duckdb", "corrupt", "invalid", "serializ", "enough bytes")):
        return "le fichier est endommagé ou n'est pas une base DuckDB."
    return "erreur du système de fichiers."


def ecriture_possible(chemin: Path) -> bool:
    """Whether this process may write the base file and its folder (where DuckDB puts its journal, the
    .wal file): False for a read-only mount, an immutable file or missing permissions, root included
    (os.access reports EROFS and the immutable flag even to root)."""
    dossier = chemin.parent if str(chemin.parent) else Path(".")
    return os.access(chemin, os.W_OK) and os.access(dossier, os.W_OK | os.X_OK)


def _est_une_base_rebond(connexion: duckdb.DuckDBPyConnection) -> bool:
    with connexion.cursor() as curseur:
        requete = "select count(*) from information_schema.tables where table_name = 'versions'"
        ligne = curseur.execute(requete).fetchone()
    return bool(ligne and ligne[0])


def _cause_ecriture(erreur: duckdb.Error) -> str:
    texte = str(erreur).lower()
    if "no space" in texte:
        return "le disque est plein"
    if "file too large" in texte:
        return "le fichier a atteint la taille maximale permise"
    if any(signe in texte for signe in _LECTURE_SEULE):
        return "la base est en lecture seule"
    return "le système de fichiers a refusé l'écriture, ou la base est endommagée"


class Base:
    """A database connection; every query goes through `lignes`, `df`, `dfs_de_listes` or `scalaire` (a
    cursor per call). `lecture_seule`: opened read-only (every write is refused by DuckDB). `restreinte`: a
    scoped base (rebond_core/acces/portee.py), holding only the rows of a user's scope and, in
    `reference_nationale`, the national sums that the indicators read instead of summing the whole base.
    `immuable`: nothing will ever be written to it (a published snapshot, a scoped copy), so its current
    version is read once."""

    def __init__(
        self,
        connexion: duckdb.DuckDBPyConnection,
        lecture_seule: bool = False,
        restreinte: bool = False,
        immuable: bool = False,
    ) -> None:
        self.connexion = connexion
        self.lecture_seule = lecture_seule
        self.restreinte = restreinte
        self.immuable = immuable
        self._version: int | None = None

    @classmethod
    def ouvrir(cls, chemin: Path, lecture_seule: bool = False, creer: bool = False) -> Base:
        return cls(ouvrir(chemin, lecture_seule, creer), lecture_seule)

    def fermer(self) -> None:
        self.connexion.close()

    def lignes(self, requete: str, parametres: Parametres = None) -> list[tuple[Any, ...]]:
        """All rows of a parameterised query, drained inside the cursor."""
        with self.connexion.cursor() as curseur:
            return curseur.execute(requete, parametres).fetchall()

    def dictionnaire(self, requete: str, parametres: Parametres = None) -> dict[str, Any]:
        """The first row of a parameterised query as {column: value} (empty when no row)."""
        with self.connexion.cursor() as curseur:
            resultat = curseur.execute(requete, parametres)
            ligne = resultat.fetchone()
            colonnes = [d[0] for d in resultat.description or []]
        return dict(zip(colonnes, ligne, strict=True)) if ligne else {}

    def df(self, requete: str, parametres: Parametres = None) -> pd.DataFrame:
        """A parameterised query as a DataFrame (pandas is imported only when a page needs it)."""
        with self.connexion.cursor() as curseur:
            return curseur.execute(requete, parametres).df()

    def dfs_de_listes(self, requete: str, parametres: Parametres, listes: Sequence[str]) -> dict[str, pd.DataFrame]:
        """A query of one row whose columns `listes` are each a list of rows (`list(s order by …)` over a
        subquery `s`), as one DataFrame per column: the DataFrame the subquery alone gives through `df` (same
        columns, types and rows, in the list's order). Several results in one query, bound and planned once."""
        import pyarrow as pa  # noqa: PLC0415 (as pandas: only when a page needs it)

        with self.connexion.cursor() as curseur:
            ligne: pa.Table = cast("pa.Table", curseur.execute(requete, parametres).to_arrow_table())
            # Each list of structs → its rows, read back by DuckDB itself so that the types convert as in `df`
            # (an empty result is a null list: no row, same columns).
            return {
                colonne: curseur.from_arrow(
                    pa.Table.from_struct_array(ligne.column(colonne).combine_chunks().flatten())
                ).df()
                for colonne in listes
            }

    def scalaire(self, requete: str, parametres: Parametres = None) -> Any:
        """The first column of the first row, or None."""
        lignes = self.lignes(requete, parametres)
        return lignes[0][0] if lignes else None

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One all-or-nothing transaction on its own cursor: commit on success, rollback on error."""
        with self.connexion.cursor() as curseur:
            curseur.execute("begin transaction")
            try:
                yield curseur
                curseur.execute("commit")
            except duckdb.Error as erreur:
                _annuler(curseur)
                raise ErreurStockage(
                    f"Écriture dans la base impossible : {_cause_ecriture(erreur)}. Rien n'a été écrit, la base "
                    f"est restée dans son état précédent. Détail : {erreur}"
                ) from erreur
            except BaseException:
                _annuler(curseur)
                raise

    def version_courante(self) -> int:
        """The number of the latest version (0 when nothing was imported); read once on an immutable base."""
        if self._version is not None:
            return self._version
        version = int(self.scalaire("select coalesce(max(numero), 0) from versions"))
        if self.immuable:
            self._version = version
        return version

    def meta(self, cle: str) -> str | None:
        return self.scalaire("select valeur from meta where cle = $cle", {"cle": cle})


def _annuler(curseur: duckdb.DuckDBPyConnection) -> None:
    """Roll back what is pending; after a failed commit there may be nothing left to roll back."""
    try:
        curseur.execute("rollback")
    except duckdb.Error:
        pass
