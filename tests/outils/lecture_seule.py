"""A base file this process cannot write, and a base locked by another process, for the storage tests.

Read-only: the file and its folder lose their write permissions; as root (who ignores permissions) they
are also made immutable (`chattr +i`, which even root cannot write through; os.access reports it). When
neither works the test is skipped, saying why. Everything is given back at the end, so that pytest can
remove the folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _chattr(option: str, *chemins: Path) -> bool:
    outil = shutil.which("chattr")
    if outil is None:
        return False
    return subprocess.run([outil, option, *map(str, chemins)], capture_output=True).returncode == 0


@contextmanager
def en_lecture_seule(chemin: Path) -> Iterator[Path]:
    """The base file `chemin` (alone in its folder) made unwritable, folder included, for the block."""
    dossier = chemin.parent
    modes = (chemin.stat().st_mode, dossier.stat().st_mode)
    immuable = False
    try:
        chemin.chmod(0o444)
        dossier.chmod(0o555)
        if os.geteuid() == 0:
            immuable = _chattr("+i", chemin, dossier)
        if os.access(chemin, os.W_OK) or os.access(dossier, os.W_OK):
            pytest.skip("impossible de rendre un fichier non modifiable ici (root sans chattr)")
        try:  # the system itself refuses, not only os.access
            with open(chemin, "r+b"):
                pass
        except OSError:
            pass
        else:
            pytest.skip("le système laisse écrire le fichier malgré ses droits")
        yield chemin
    finally:
        if immuable:
            _chattr("-i", chemin, dossier)
        dossier.chmod(modes[1])
        chemin.chmod(modes[0])


VERROU = """
import sys, time, duckdb
connexion = duckdb.connect(sys.argv[1])
print("ouverte", flush=True)
time.sleep(120)
"""


@contextmanager
def verrouillee(chemin: Path) -> Iterator[None]:
    """Another process holds the base open for writing (DuckDB's file lock) for the block."""
    processus = subprocess.Popen(
        [sys.executable, "-c", VERROU, str(chemin)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert processus.stdout is not None
        echeance = time.monotonic() + 60
        while processus.stdout.readline().strip() != "ouverte":
            assert processus.poll() is None and time.monotonic() < echeance, "le processus n'a pas ouvert la base"
        yield
    finally:
        processus.kill()
        processus.wait(timeout=30)
