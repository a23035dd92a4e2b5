"""Immutable snapshots of the published state, for the dashboard's readers (issue 13).

Every publish (import, restore, creation, habilitations) copies the working base into a new file of the
snapshots folder, then switches the one-line `CURRENT` file to it:

1. `ATTACH '<dossier>/rebond-<n>.duckdb.building'`, `COPY FROM DATABASE` (tables, indexes, the table
   macros `projets_a(v)`…), `CHECKPOINT`, `DETACH`, fsync;
2. `os.replace` to `rebond-<n>.duckdb` (made read-only), fsync of the folder;
3. `CURRENT` written aside, fsynced and `os.replace`d, fsync of the folder.

A reader (a dashboard started with REBOND_IMPORT=desactive) reads `CURRENT` at each rerun and opens the
file it names read-only (`ouvrir`): it sees the old snapshot or the new one, never a half-written file,
and never waits for the writer, which may import from the command line while the dashboards run. A
snapshot is never written again once named: a reader holds a lock that would refuse it anyway.

`n` is a publication counter (not the data version: a change of habilitations publishes too), taken
under a lock file of the folder, so that two publishes (two sessions of the workshop, or the command
line) never pick the same number. Old snapshots are pruned (`elaguer`): the `GARDER` latest and the
current one are kept, and an older one only goes once its successor has been current for `DELAI_S`
seconds (a reader that read `CURRENT` just before a switch still finds the file; one that has it open
keeps reading it after the unlink, as POSIX allows).

The folder is $REBOND_INSTANTANES, else `<base folder>/<base stem>.instantanes/`."""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from rebond_core import db
from rebond_core.db import Base
from rebond_core.erreurs import BaseIndisponible, RebondError

COURANT = "CURRENT"
VERROU = ".verrou"
PREFIXE, SUFFIXE, EN_COURS = "rebond-", ".duckdb", ".building"
_NOM = re.compile(r"rebond-([0-9]+)\.duckdb")
GARDER = 3  # snapshots kept whatever their age (the current one is always kept)
DELAI_S = 600.0  # an older snapshot goes once its successor has been published this long

# DuckDB settings of a reader: per process, so that N replicas on one host do not each take 80 % of the
# memory and every core (DuckDB's defaults). Each may be set in the environment.
MEMOIRE = "REBOND_DUCKDB_MEMOIRE"  # e.g. "1GB"
THREADS = "REBOND_DUCKDB_THREADS"  # e.g. "1"
TEMPORAIRE = "REBOND_DUCKDB_TEMP"  # where DuckDB may spill (not next to the snapshot: it may be read-only)
MEMOIRE_PAR_DEFAUT, THREADS_PAR_DEFAUT = "1GB", "1"


class ErreurPublication(RebondError):
    """The snapshot for the readers could not be written (disk full, folder read-only…). The working
    base is untouched by it; the readers keep showing the previous snapshot."""


def dossier(chemin_base: Path) -> Path:
    """The snapshots folder of the base at `chemin_base`: $REBOND_INSTANTANES, else
    `<base folder>/<base stem>.instantanes/`."""
    env = os.environ.get("REBOND_INSTANTANES", "").strip()
    return Path(env) if env else chemin_base.with_name(chemin_base.stem + ".instantanes")


def numero(chemin: Path) -> int | None:
    """The publication number of a snapshot file name (`rebond-000012.duckdb` → 12), else None."""
    trouve = _NOM.fullmatch(chemin.name)
    return int(trouve.group(1)) if trouve else None


# CURRENT as last read in this process, per folder: (inode, mtime, size) → the snapshot it named. A rerun
# asks for it several times; a `stat` tells whether it changed (os.replace gives it a new inode).
_lus: dict[Path, tuple[tuple[int, int, int], Path | None]] = {}


def courant(dossier: Path) -> Path | None:
    """The current snapshot of the folder: the file `CURRENT` names, when it exists; else None (nothing
    published yet, or the folder is missing)."""
    fichier = dossier / COURANT
    try:
        etat = fichier.stat()
    except OSError:
        return None
    cle = (etat.st_ino, etat.st_mtime_ns, etat.st_size)
    deja = _lus.get(dossier)
    if deja is not None and deja[0] == cle:
        instantane = deja[1]
    else:
        try:
            nom = fichier.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        instantane = dossier / nom if _NOM.fullmatch(nom) else None
        _lus[dossier] = (cle, instantane)
    return instantane if instantane is not None and instantane.is_file() else None


def instantanes(dossier: Path) -> list[Path]:
    """The finished snapshots of the folder, oldest first."""
    if not dossier.is_dir():
        return []
    trouves = [(n, f) for f in dossier.iterdir() if (n := numero(f)) is not None]
    return [f for _, f in sorted(trouves)]


@contextmanager
def _verrou(dossier: Path) -> Iterator[None]:
    """The folder's lock (flock on `.verrou`): one publish or prune at a time, across threads and processes."""
    with open(dossier / VERROU, "a+b") as fichier:
        fcntl.flock(fichier.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichier.fileno(), fcntl.LOCK_UN)


def _fsync(chemin: Path) -> None:
    descripteur = os.open(chemin, os.O_RDONLY)
    try:
        os.fsync(descripteur)
    finally:
        os.close(descripteur)


def _suivant(dossier: Path) -> int:
    """The next publication number: after every snapshot of the folder, finished or not, and CURRENT's."""
    numeros = [0]
    for fichier in dossier.iterdir():
        nom = fichier.name.removesuffix(".wal").removesuffix(EN_COURS)
        if (n := _NOM.fullmatch(nom)) is not None:
            numeros.append(int(n.group(1)))
    try:
        nom_courant = (dossier / COURANT).read_text(encoding="utf-8").strip()
    except OSError:
        nom_courant = ""
    if (n := _NOM.fullmatch(nom_courant)) is not None:
        numeros.append(int(n.group(1)))
    return max(numeros) + 1


def chemin_de(base: Base) -> Path:
    """The file of an open base (its main database)."""
    chemin = base.scalaire("select path from duckdb_databases() where database_name = current_database()")
    if not chemin:
        raise ErreurPublication("Publication impossible : cette base n'est pas un fichier (base en mémoire).")
    return Path(chemin)


def publier(base: Base, chemin_base: Path | None = None) -> Path:
    """Write a snapshot of the base's committed state and make it the current one; return its path.
    `chemin_base`: the base's file (which names the folder), read from the connection when None. Raises
    ErreurPublication (French message) when the folder cannot be written; the working base is untouched."""
    cible_dossier = dossier(chemin_base if chemin_base is not None else chemin_de(base))
    try:
        cible_dossier.mkdir(parents=True, exist_ok=True)
        with _verrou(cible_dossier):
            n = _suivant(cible_dossier)
            instantane = cible_dossier / f"{PREFIXE}{n:06d}{SUFFIXE}"
            _copier(base, instantane)
            _ecrire_courant(cible_dossier, instantane.name)
            _elaguer(cible_dossier, GARDER, DELAI_S, time.time())
    except (OSError, duckdb.Error) as erreur:
        raise ErreurPublication(
            f"Les données sont enregistrées, mais leur publication pour les serveurs de consultation a échoué "
            f"(dossier {cible_dossier}) : ils montrent encore la publication précédente. Corrigez la cause puis "
            f"lancez « python -m rebond_core publier ». Détail : {erreur}"
        ) from erreur
    return instantane


def _copier(base: Base, instantane: Path) -> None:
    """Copy the base into `<instantane>.building`, then move it to `instantane` (read-only file)."""
    en_cours = instantane.with_name(instantane.name + EN_COURS)
    for reste in (en_cours, Path(f"{en_cours}.wal")):
        reste.unlink(missing_ok=True)
    alias = f"rebond_publication_{os.getpid()}_{instantane.stem.replace('-', '_')}"
    with base.connexion.cursor() as curseur:
        source = curseur.execute("select current_database()").fetchone()
        assert source is not None
        # ATTACH and COPY take no bound identifier: the alias is ours (letters, digits, _), the source name
        # is quoted as an identifier; the path is a bound parameter. READ_WRITE: also from a read-only base.
        curseur.execute(f"attach $chemin as {alias} (read_write)", {"chemin": str(en_cours)})
        try:
            nom_source = '"' + str(source[0]).replace('"', '""') + '"'
            curseur.execute(f"copy from database {nom_source} to {alias}")
            curseur.execute(f"checkpoint {alias}")
        finally:
            curseur.execute(f"detach {alias}")
    Path(f"{en_cours}.wal").unlink(missing_ok=True)  # empty after the checkpoint
    _fsync(en_cours)
    os.chmod(en_cours, 0o444)
    os.replace(en_cours, instantane)
    _fsync(instantane.parent)


def _ecrire_courant(dossier: Path, nom: str) -> None:
    """Point CURRENT at `nom`, atomically (written aside, fsynced, renamed, folder fsynced)."""
    provisoire = dossier / f"{COURANT}.{os.getpid()}.tmp"
    with open(provisoire, "w", encoding="utf-8") as fichier:
        fichier.write(nom + "\n")
        fichier.flush()
        os.fsync(fichier.fileno())
    os.replace(provisoire, dossier / COURANT)
    _fsync(dossier)


def elaguer(
    dossier: Path, garder: int = GARDER, delai_s: float = DELAI_S, maintenant: float | None = None
) -> list[Path]:
    """Delete the snapshots no reader can still be about to open; return them. Kept: the current one, the
    `garder` latest, and any whose successor was published less than `delai_s` seconds ago. Unfinished
    copies (`.building`, left by a crash) older than `delai_s` go too."""
    if not dossier.is_dir():
        return []
    with _verrou(dossier):
        return _elaguer(dossier, garder, delai_s, time.time() if maintenant is None else maintenant)


def _elaguer(dossier: Path, garder: int, delai_s: float, maintenant: float) -> list[Path]:
    liste = instantanes(dossier)
    actuel = courant(dossier)
    supprimes = []
    for rang, instantane in enumerate(liste[: max(0, len(liste) - garder)]):
        if instantane == actuel:
            continue
        successeur = liste[rang + 1]
        if successeur.stat().st_mtime <= maintenant - delai_s:
            instantane.unlink(missing_ok=True)
            supprimes.append(instantane)
    for reste in dossier.iterdir():  # a publish holds the lock: any unfinished copy here is a crash's
        if reste.name.endswith((EN_COURS, f"{EN_COURS}.wal", ".tmp")) and reste.stat().st_mtime <= maintenant - delai_s:
            reste.unlink(missing_ok=True)
            supprimes.append(reste)
    return supprimes


def reglages_lecteur() -> dict[str, str]:
    """The DuckDB settings of a reader (memory limit, threads, spill folder), from the environment."""
    temporaire = os.environ.get(TEMPORAIRE, "").strip() or str(
        Path(tempfile.gettempdir()) / f"rebond-duckdb-{os.getpid()}"
    )
    return {
        "memory_limit": os.environ.get(MEMOIRE, "").strip() or MEMOIRE_PAR_DEFAUT,
        "threads": os.environ.get(THREADS, "").strip() or THREADS_PAR_DEFAUT,
        "temp_directory": temporaire,
    }


def ouvrir(instantane: Path) -> Base | None:
    """The snapshot opened read-only with the reader's settings; None when it is of an older schema than
    this code (published before an upgrade: the caller reads the working base instead, which is upgraded
    on opening). Raises BaseIndisponible (French message) when it cannot be opened."""
    try:
        reglages: dict[str, str | bool | int | float | list[str]] = dict(reglages_lecteur())
        connexion = duckdb.connect(str(instantane), read_only=True, config=reglages)
    except duckdb.Error as erreur:
        raise BaseIndisponible(
            f"Impossible d'ouvrir la publication {instantane} en lecture. Détail : {erreur}"
        ) from erreur
    try:
        a_jour = db.version_schema(connexion) >= db.VERSION_SCHEMA
    except duckdb.Error:
        a_jour = False
    if not a_jour:
        connexion.close()
        return None
    return Base(connexion, lecture_seule=True, immuable=True)  # a snapshot is never written again
