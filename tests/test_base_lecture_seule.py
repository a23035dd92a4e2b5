"""A base file this process may not write (a read-only deployment) is read, never written; a write on it,
and every other unusable base (missing, empty, damaged, not Rebond's, locked by another process, too old to
be read without an upgrade), is refused with its own French message, on the command line (exit status 2,
no traceback) as in the core."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from rebond_core.db import Base, ecriture_possible
from rebond_core.erreurs import BaseIndisponible
from tests.outils.bases import base_schema_1 as _base_schema_1
from tests.outils.bases import copie_de
from tests.outils.lecture_seule import en_lecture_seule, verrouillee

RACINE = Path(__file__).parent.parent
DEMO = RACINE / "data" / "demo" / "releve-demo.xlsx"
LECTURE_SEULE = "le fichier ou son dossier est en lecture seule pour ce processus."


def _commande(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rebond_core", *arguments], cwd=RACINE, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def base_protegee(modele_base_minimale: Path, tmp_path: Path) -> Path:
    """A copy of the minimal base (version 1, territory douaisis), alone in its folder."""
    dossier = tmp_path / "protegee"
    dossier.mkdir()
    return copie_de(modele_base_minimale, dossier)


def test_base_en_lecture_seule_lue_jamais_ecrite(base_protegee: Path) -> None:
    octets = base_protegee.read_bytes()
    with en_lecture_seule(base_protegee):
        assert not ecriture_possible(base_protegee)
        base = Base.ouvrir(base_protegee, lecture_seule=True)
        try:
            assert base.lecture_seule and base.version_courante() == 1
        finally:
            base.fermer()
        with pytest.raises(BaseIndisponible) as erreur:
            Base.ouvrir(base_protegee)
        assert LECTURE_SEULE in erreur.value.message_fr
        # The command line: reading commands work, an import says why it cannot write.
        sortie = _commande("versions", "--json", "--db", str(base_protegee))
        assert sortie.returncode == 0, sortie.stderr
        assert [v["numero"] for v in json.loads(sortie.stdout)] == [1]
        sortie = _commande("importer", str(DEMO), "--auteur", "t", "--db", str(base_protegee))
        assert sortie.returncode == 2
        assert sortie.stderr.startswith(f"Impossible d'ouvrir la base {base_protegee} : {LECTURE_SEULE}")
        assert "Traceback" not in sortie.stderr
    assert ecriture_possible(base_protegee)
    assert base_protegee.read_bytes() == octets
    assert not Path(f"{base_protegee}.wal").exists()


def test_ancienne_base_en_lecture_seule_demande_une_ouverture_en_ecriture(
    modele_base_minimale: Path, tmp_path: Path
) -> None:
    """A base of schema 1 on a read-only file cannot be upgraded, so cannot be read: the message says why
    and what to do (open it once with write access)."""
    dossier = tmp_path / "ancienne"
    dossier.mkdir()
    ancienne = _base_schema_1(modele_base_minimale, dossier / "ancienne.duckdb")
    with en_lecture_seule(ancienne):
        with pytest.raises(BaseIndisponible) as erreur:
            Base.ouvrir(ancienne, lecture_seule=True)
        sortie = _commande("versions", "--db", str(ancienne))
    message = erreur.value.message_fr
    assert "créée avant le contrat 2" in message and LECTURE_SEULE in message
    assert "Ouvrez-la une fois avec les droits d'écriture" in message
    assert sortie.returncode == 2 and "créée avant le contrat 2" in sortie.stderr and "Traceback" not in sortie.stderr


def _autre_base(chemin: Path) -> None:
    connexion = duckdb.connect(str(chemin))
    connexion.execute("create table autre (x integer)")
    connexion.close()


@pytest.mark.parametrize(
    ("etat", "debut_du_message"),
    [
        ("absente", "Base introuvable : "),
        ("vide", "La base {chemin} est un fichier vide"),
        ("tronquee", "Impossible d'ouvrir la base {chemin} : le fichier est endommagé ou n'est pas une base DuckDB."),
        ("texte", "Impossible d'ouvrir la base {chemin} : le fichier est endommagé ou n'est pas une base DuckDB."),
        ("autre", "Le fichier {chemin} est une base DuckDB, mais pas une base Rebond"),
        ("verrouillee", "Impossible d'ouvrir la base {chemin} : elle est utilisée par un autre processus"),
        ("lecture_seule", "Impossible d'ouvrir la base {chemin} : " + LECTURE_SEULE),
    ],
)
def test_chaque_base_inutilisable_a_son_message(
    etat: str, debut_du_message: str, base_protegee: Path, modele_base_minimale: Path
) -> None:
    """The import command on each kind of unusable base: exit 2, its own message, no traceback."""
    chemin = base_protegee
    if etat == "absente":
        chemin = base_protegee.parent / "absente.duckdb"
    elif etat == "vide":
        chemin.write_bytes(b"")
    elif etat == "tronquee":
        chemin.write_bytes(modele_base_minimale.read_bytes()[:100_000])
    elif etat == "texte":
        chemin.write_text("pas une base")
    elif etat == "autre":
        chemin.unlink()
        _autre_base(chemin)

    def importer() -> subprocess.CompletedProcess[str]:
        return _commande("importer", str(DEMO), "--auteur", "t", "--db", str(chemin))

    if etat == "verrouillee":
        with verrouillee(chemin):
            sortie = importer()
    elif etat == "lecture_seule":
        with en_lecture_seule(chemin):
            sortie = importer()
    else:
        sortie = importer()
    assert sortie.returncode == 2, sortie.stderr
    assert sortie.stderr.startswith(debut_du_message.format(chemin=chemin)), sortie.stderr
    assert "Traceback" not in sortie.stderr
