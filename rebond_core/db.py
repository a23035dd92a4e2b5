"""The database: opening it, creating it, and the one gateway through which every query runs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from rebond_core.erreurs import BaseIndisponible

if TYPE_CHECKING:
    import pandas as pd

DOSSIER_SQL = Path(__file__).parent / "sql"
Parametres = Mapping[str, Any] | Sequence[Any] | None


def sql(nom: str) -> str:
    """The text of a named SQL file of rebond_core/sql/."""
    return (DOSSIER_SQL / f"{nom}.sql").read_text(encoding="utf-8")


def ouvrir(chemin: Path, lecture_seule: bool = False, creer: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file (a missing one only when `creer`), turning lock and I/O errors into a
    French message."""
    if not creer and not chemin.exists():
        raise BaseIndisponible(f"Base introuvable : {chemin}. Créez-la avec « python -m rebond_core init ».")
    try:
        return duckdb.connect(str(chemin), read_only=lecture_seule)
    except duckdb.IOException as erreur:
        raise BaseIndisponible(
            f"Impossible d'ouvrir la base {chemin} : elle est peut-être utilisée par un autre "
            f"processus (tableau de bord ou import en cours). Détail : {erreur}"
        ) from erreur


class Base:
    """A database connection; every query goes through `lignes`, `df` or `scalaire` (a cursor per call)."""

    def __init__(self, connexion: duckdb.DuckDBPyConnection) -> None:
        self.connexion = connexion

    @classmethod
    def ouvrir(cls, chemin: Path, lecture_seule: bool = False, creer: bool = False) -> Base:
        return cls(ouvrir(chemin, lecture_seule, creer))

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
            except BaseException:
                curseur.execute("rollback")
                raise
            curseur.execute("commit")

    def version_courante(self) -> int:
        """The number of the latest version (0 when nothing was imported)."""
        return int(self.scalaire("select coalesce(max(numero), 0) from versions"))

    def meta(self, cle: str) -> str | None:
        return self.scalaire("select valeur from meta where cle = $cle", {"cle": cle})
