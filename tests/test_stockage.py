"""Failures of the machine around the base: a full disk during a write, and a base file that is empty,
cut, not DuckDB or not Rebond's. Each gets its own French message and exit status 2; the base is intact."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.outils.bases import vidage

RACINE = Path(__file__).parent.parent
DEMO = RACINE / "data" / "demo" / "releve-demo.xlsx"


def _commande(*arguments: str, taille_max_fichier: int | None = None) -> subprocess.CompletedProcess[str]:
    def limiter() -> None:  # runs in the child: a write past the limit fails (EFBIG) instead of killing it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if taille_max_fichier is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (taille_max_fichier, taille_max_fichier))

    return subprocess.run(
        [sys.executable, "-m", "rebond_core", *arguments],
        cwd=RACINE,
        capture_output=True,
        text=True,
        preexec_fn=limiter,
        timeout=300,
    )


def test_ecriture_refusee_par_le_systeme_laisse_la_base_intacte(chemin_base_vide: Path) -> None:
    """The write of the demonstration workbook fails (files may not grow past 64 KiB: the journal cannot
    be written, as on a full disk): a French message, exit 2, no traceback, nothing written."""
    avant = vidage(chemin_base_vide)
    sortie = _commande("importer", str(DEMO), "--auteur", "t", "--db", str(chemin_base_vide), taille_max_fichier=65536)
    assert sortie.returncode == 2, sortie.stderr
    assert sortie.stderr.startswith(
        "Écriture dans la base impossible : le fichier a atteint la taille maximale permise. Rien n'a été écrit"
    )
    assert "Traceback" not in sortie.stderr
    assert vidage(chemin_base_vide) == avant
    # And the same import goes through once the machine lets it write.
    assert _commande("importer", str(DEMO), "--auteur", "t", "--db", str(chemin_base_vide)).returncode == 0


def _base_non_rebond(chemin: Path) -> None:
    connexion = duckdb.connect(str(chemin))
    connexion.execute("create table autre (x integer)")
    connexion.close()


@pytest.mark.parametrize(
    ("fabriquer", "message"),
    [
        (lambda chemin, modele: chemin.write_bytes(b""), "est un fichier vide"),
        (lambda chemin, modele: chemin.write_bytes(modele.read_bytes()[:100_000]), "le fichier est endommagé"),
        (lambda chemin, modele: chemin.write_text("pas une base"), "le fichier est endommagé ou n'est pas une base"),
        (lambda chemin, modele: _base_non_rebond(chemin), "est une base DuckDB, mais pas une base Rebond"),
    ],
    ids=["vide", "tronquee", "texte", "autre-base"],
)
def test_base_inutilisable_refusee_en_francais(fabriquer, message: str, chemin_base_vide: Path, tmp_path: Path) -> None:
    chemin = tmp_path / "abimee.duckdb"
    fabriquer(chemin, chemin_base_vide)
    octets = chemin.read_bytes()
    for arguments in (["versions"], ["importer", str(DEMO), "--simulation"]):
        sortie = _commande(*arguments, "--db", str(chemin))
        assert sortie.returncode == 2, sortie.stderr
        assert message in sortie.stderr and "Traceback" not in sortie.stderr
    assert chemin.read_bytes() == octets  # nothing written to it
