"""A write killed half-way: a child process that dies (SIGKILL, no cleanup) inside the write transaction.

The child replaces the private `rebond_core.ecriture._appliquer` (which applies one table's closed and
inserted rows) with a version that kills the process right after `table` was applied, before the
commit. A rename of that function makes these tests fail loudly, which is the wanted outcome.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent.parent

_ENFANT = """
import os, signal, sys
from pathlib import Path
from rebond_core import ecriture
from rebond_core.db import Base

original = ecriture._appliquer
TABLE = sys.argv[3]

def appliquer_puis_mourir(curseur, table, fermees, inserees, numero):
    original(curseur, table, fermees, inserees, numero)
    if table == TABLE:
        os.kill(os.getpid(), signal.SIGKILL)

ecriture._appliquer = appliquer_puis_mourir
base = Base.ouvrir(Path(sys.argv[1]))
fichier = Path(sys.argv[2])
"""


def tuer_pendant_l_ecriture(chemin_base: Path, fichier: Path, ecrire: str, table: str = "projets") -> None:
    """Run `ecrire` (Python statements that write `fichier` into `base`, a `Base` open on `chemin_base`) in
    a child process killed once the rows of `table` are applied; check it did die by that SIGKILL (an
    error before the write would leave the base intact for the wrong reason)."""
    processus = subprocess.run(
        [sys.executable, "-c", _ENFANT + ecrire, str(chemin_base), str(fichier), table],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert processus.returncode == -signal.SIGKILL, processus.stderr
