"""The access journal (shared/spec/acces.md): every login, refusal, import, publish, restore, habilitation
change, download and PDF report, with its date, the user's e-mail, the action, its object and the scope.

It is a file, not a table: the read-only replicas of the dashboard cannot write the base, and the
journal must not change when a data version is restored. One JSON object per line in `journal.jsonl`, in
the journal folder ($REBOND_JOURNAL, else `<base folder>/<base stem>.journal/`), appended only:

- every entry is one `write` on a descriptor opened with O_APPEND, under an exclusive `flock` of the file,
  so that entries of several processes (replicas, the command line) never interleave nor overwrite;
- a line cut short by a crash is left as it is; the next entry starts on a new line, and `lire` skips the
  broken line (it is logged).

Dates are the local time of the machine that wrote the entry, with its UTC offset, to the second
(`2026-11-29T14:03:12+01:00`): readable by a person and comparable across machines. `lire(depuis=...)`
compares the day of that local time.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rebond_core.config import chemin_base
from rebond_core.erreurs import ErreurStockage

ACTIONS: dict[str, str] = {
    "connexion": "Connexion",
    "refus": "Accès refusé",
    "import": "Import",
    "publication": "Publication",
    "restauration": "Restauration",
    "habilitations": "Habilitations",
    "telechargement": "Téléchargement",
    "rapport_pdf": "Rapport PDF",
}
FICHIER = "journal.jsonl"
PERMISSIONS = 0o660  # the dashboard's service account and the data team's group (umask applies)
traces = logging.getLogger("rebond.journal")


def dossier_journal(base: str | os.PathLike[str] | None = None) -> Path:
    """The journal folder: $REBOND_JOURNAL, else `<base folder>/<base stem>.journal/` of the base `base`
    (else of config.chemin_base(): --db, $REBOND_DB or the default base)."""
    env = os.environ.get("REBOND_JOURNAL", "").strip()
    if env:
        return Path(env)
    chemin = chemin_base(base)
    return chemin.parent / f"{chemin.stem}.journal"


@dataclass(frozen=True)
class Entree:
    """One entry: when (local time with offset), who (e-mail), what (action, object), on which scope."""

    date: datetime
    email: str
    action: str
    objet: str
    portee: str

    def en_json(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat(timespec="seconds"),
            "email": self.email,
            "action": self.action,
            "objet": self.objet,
            "portee": self.portee,
        }


def consigner(
    email: str, action: str, objet: str, portee: str = "national", dossier: str | os.PathLike[str] | None = None
) -> Entree:
    """Append one entry to the journal of `dossier` (None: the folder of config.chemin_base()). An unknown
    action is a programming error (ValueError); a journal that cannot be written raises ErreurStockage."""
    if action not in ACTIONS:
        raise ValueError(f"action de journal inconnue : {action!r} (attendu l'une de {', '.join(ACTIONS)})")
    entree = Entree(datetime.now().astimezone().replace(microsecond=0), email, action, objet, portee)
    ligne = (json.dumps(entree.en_json(), ensure_ascii=False) + "\n").encode("utf-8")
    ajouter_ligne(chemin_dans(dossier, FICHIER), ligne)
    return entree


def ajouter_ligne(chemin: Path, ligne: bytes) -> None:
    """Append `ligne` (ending with a newline) to `chemin`, safely across processes: O_APPEND, exclusive
    flock, one write; a previous line left without its newline (a crash mid-write) is ended first."""
    try:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        with _verrou(chemin, os.O_RDWR | os.O_APPEND | os.O_CREAT, fcntl.LOCK_EX) as fd:
            taille = os.fstat(fd).st_size
            if taille and os.pread(fd, 1, taille - 1) != b"\n":
                ligne = b"\n" + ligne
            ecrit = os.write(fd, ligne)
            while ecrit < len(ligne):  # a regular file takes the whole write; a full disk raises instead
                ecrit += os.write(fd, ligne[ecrit:])
    except OSError as erreur:
        raise ErreurStockage(
            f"Écriture impossible dans le journal {chemin} : {erreur.strerror or erreur}. Vérifiez que le "
            "dossier du journal existe et que ce processus peut y écrire (variable REBOND_JOURNAL)."
        ) from erreur


def lire_lignes(chemin: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, in order (missing file: none). A line that is not a whole
    JSON object — the last one cut short by a crash, or being written right now — is skipped."""
    if not chemin.exists():
        return []
    try:
        with _verrou(chemin, os.O_RDONLY, fcntl.LOCK_SH) as fd:
            with os.fdopen(os.dup(fd), "rb") as fichier:
                contenu = fichier.read()
    except OSError as erreur:
        raise ErreurStockage(f"Lecture impossible du journal {chemin} : {erreur.strerror or erreur}.") from erreur
    objets = []
    for numero, ligne in enumerate(contenu.split(b"\n"), start=1):
        if not ligne.strip():
            continue
        try:
            objet = json.loads(ligne)
        except (ValueError, UnicodeDecodeError):
            traces.warning("%s, ligne %d : ligne incomplète ou illisible, ignorée", chemin, numero)
            continue
        if isinstance(objet, dict):
            objets.append(objet)
    return objets


def lire(dossier: str | os.PathLike[str] | None = None, depuis: date | None = None) -> list[Entree]:
    """The entries of the journal, oldest first; with `depuis`, those of that day (local time of the entry)
    and after."""
    entrees = []
    for objet in lire_lignes(chemin_dans(dossier, FICHIER)):
        try:
            entree = Entree(
                datetime.fromisoformat(objet["date"]),
                str(objet["email"]),
                str(objet["action"]),
                str(objet["objet"]),
                str(objet.get("portee", "")),
            )
        except (KeyError, TypeError, ValueError):
            traces.warning("journal : entrée incomplète ignorée (%r)", objet)
            continue
        if depuis is None or entree.date.date() >= depuis:
            entrees.append(entree)
    return entrees


def filtrer(entrees: Iterable[Entree], actions: Iterable[str] = (), email: str = "") -> list[Entree]:
    """The entries of these actions (all when none) whose e-mail contains `email` (case ignored), in order."""
    choisies = set(actions)
    cherche = email.strip().lower()
    return [e for e in entrees if (not choisies or e.action in choisies) and cherche in e.email.lower()]


def chemin_dans(dossier: str | os.PathLike[str] | None, nom: str) -> Path:
    """The file `nom` of the journal folder `dossier` (None: the folder of config.chemin_base())."""
    return (Path(dossier) if dossier is not None else dossier_journal()) / nom


@contextmanager
def _verrou(chemin: Path, drapeaux: int, mode: int) -> Iterator[int]:
    fd = os.open(chemin, drapeaux, PERMISSIONS)
    try:
        fcntl.flock(fd, mode)
        try:
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
