"""The access journal and the sub → e-mail bindings: append-only JSON-lines files next to the base, written
by several processes at once without losing a line, read oldest first, tolerant of a line cut short by a
crash; the command line's `journal` and the entries its import and restore write."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from rebond_core.acces import connexions, journal
from rebond_core.config import RACINE
from rebond_core.erreurs import ErreurStockage
from tests.outils.contrat import VALIDES, commande

PAR_PROCESSUS = 400


# Run by two separate interpreters (as two replicas): wait for the start file, then write PAR_PROCESSUS entries.
ECRIVAIN = """
import sys, time
from pathlib import Path
from rebond_core.acces import journal
dossier, nom, depart = sys.argv[1:4]
limite = time.monotonic() + 60
while not Path(depart).exists() and time.monotonic() < limite:
    time.sleep(0.005)
for i in range(int(sys.argv[4])):
    journal.consigner(f"{nom}@exemple.fr", "telechargement", f"{nom} {i} " + "x" * 300, dossier=dossier)
"""


def test_consigner_puis_lire(tmp_path: Path) -> None:
    avant = datetime.now().astimezone().replace(microsecond=0)
    journal.consigner("a@exemple.fr", "connexion", "tableau de bord", "territoire(s) douaisis", dossier=tmp_path)
    journal.consigner("b@exemple.fr", "import", "version 2 : releve.xlsx", dossier=tmp_path)
    entrees = journal.lire(tmp_path)
    assert [(e.email, e.action, e.objet, e.portee) for e in entrees] == [
        ("a@exemple.fr", "connexion", "tableau de bord", "territoire(s) douaisis"),
        ("b@exemple.fr", "import", "version 2 : releve.xlsx", "national"),
    ]
    assert entrees[0].date.tzinfo is not None and entrees[0].date.microsecond == 0
    assert avant <= entrees[0].date <= datetime.now().astimezone()
    # On disk: one JSON object per line, the date in ISO 8601 with seconds and the UTC offset.
    lignes = (tmp_path / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lignes) == 2
    objet = json.loads(lignes[0])
    assert set(objet) == {"date", "email", "action", "objet", "portee"}
    assert datetime.fromisoformat(objet["date"]).utcoffset() is not None and len(objet["date"]) == 25


def test_action_inconnue_refusee(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        journal.consigner("a@exemple.fr", "suppression", "x", dossier=tmp_path)
    assert not (tmp_path / "journal.jsonl").exists()


def test_dossier_du_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REBOND_JOURNAL", raising=False)
    monkeypatch.setenv("REBOND_DB", str(tmp_path / "prod" / "rebond.duckdb"))
    assert journal.dossier_journal() == tmp_path / "prod" / "rebond.journal"
    assert journal.dossier_journal(tmp_path / "autre.duckdb") == tmp_path / "autre.journal"
    journal.consigner("a@exemple.fr", "connexion", "x")  # dossier=None: next to config.chemin_base()
    assert (tmp_path / "prod" / "rebond.journal" / "journal.jsonl").exists()
    monkeypatch.setenv("REBOND_JOURNAL", str(tmp_path / "ailleurs"))
    assert journal.dossier_journal(tmp_path / "autre.duckdb") == tmp_path / "ailleurs"


def test_deux_processus_en_meme_temps_ne_perdent_aucune_ligne(tmp_path: Path) -> None:
    # Interpreters of their own, not multiprocessing: a spawned child re-runs the parent's __main__, which
    # in a pytest worker may be an AppTest script left by another test.
    depart = tmp_path / "depart"
    processus = [
        subprocess.Popen(
            [sys.executable, "-c", ECRIVAIN, str(tmp_path), nom, str(depart), str(PAR_PROCESSUS)], cwd=RACINE
        )
        for nom in ("p1", "p2")
    ]
    depart.touch()
    for p in processus:
        assert p.wait(120) == 0
    lignes = (tmp_path / "journal.jsonl").read_bytes().split(b"\n")
    assert lignes[-1] == b"" and len(lignes) == 2 * PAR_PROCESSUS + 1
    objets = [json.loads(ligne) for ligne in lignes[:-1]]  # every line a whole JSON object
    vus = sorted(o["objet"].split(" ")[0] + " " + o["objet"].split(" ")[1] for o in objets)
    assert vus == sorted(f"{nom} {i}" for nom in ("p1", "p2") for i in range(PAR_PROCESSUS))
    for nom in ("p1", "p2"):  # each process's entries in its own order
        siens = [int(o["objet"].split(" ")[1]) for o in objets if o["email"] == f"{nom}@exemple.fr"]
        assert siens == list(range(PAR_PROCESSUS))


def test_derniere_ligne_tronquee(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    journal.consigner("a@exemple.fr", "connexion", "un", dossier=tmp_path)
    journal.consigner("b@exemple.fr", "connexion", "deux", dossier=tmp_path)
    with (tmp_path / "journal.jsonl").open("ab") as fichier:  # a writer killed mid-line
        fichier.write(b'{"date": "2026-11-29T10:00:00+01:00", "email": "c@exem')
    assert [e.objet for e in journal.lire(tmp_path)] == ["un", "deux"]
    journal.consigner("d@exemple.fr", "connexion", "trois", dossier=tmp_path)  # starts on a new line
    assert [e.objet for e in journal.lire(tmp_path)] == ["un", "deux", "trois"]
    assert "ligne incomplète" in caplog.text


def test_journal_impossible_a_ecrire(tmp_path: Path) -> None:
    occupe = tmp_path / "fichier"
    occupe.write_text("pas un dossier")
    with pytest.raises(ErreurStockage, match="journal"):
        journal.consigner("a@exemple.fr", "connexion", "x", dossier=occupe)


def test_filtrer() -> None:
    maintenant = datetime.now().astimezone()
    entrees = [
        journal.Entree(maintenant, "Camille@Exemple.fr", "connexion", "x", "national"),
        journal.Entree(maintenant, "paul@exemple.fr", "import", "y", "national"),
        journal.Entree(maintenant, "camille@exemple.fr", "import", "z", "national"),
    ]
    assert [e.objet for e in journal.filtrer(entrees, ["import"])] == ["y", "z"]
    assert [e.objet for e in journal.filtrer(entrees, email=" CAMILLE")] == ["x", "z"]
    assert [e.objet for e in journal.filtrer(entrees, ["import"], "camille")] == ["z"]
    assert journal.filtrer(entrees) == entrees


# --- the command line --------------------------------------------------------------------------------


def _entree(jour: str, objet: str) -> str:
    return json.dumps({"date": jour, "email": "a@exemple.fr", "action": "import", "objet": objet, "portee": "national"})


def test_commande_journal_depuis(
    chemin_base_vide: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REBOND_JOURNAL", raising=False)
    dossier = journal.dossier_journal(chemin_base_vide)
    dossier.mkdir()
    (dossier / "journal.jsonl").write_text(
        "\n".join(
            [
                _entree("2026-10-31T23:59:59+01:00", "veille"),
                _entree("2026-11-01T00:00:00+01:00", "minuit"),
                _entree("2026-11-02T09:30:00+01:00", "lendemain"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, sortie, _ = commande(capsys, "journal", "--depuis", "2026-11-01", "--json", "--db", chemin_base_vide)
    assert code == 0
    assert json.loads(sortie) == [
        {
            "date": "2026-11-01T00:00:00+01:00",
            "email": "a@exemple.fr",
            "action": "import",
            "objet": "minuit",
            "portee": "national",
        },
        {
            "date": "2026-11-02T09:30:00+01:00",
            "email": "a@exemple.fr",
            "action": "import",
            "objet": "lendemain",
            "portee": "national",
        },
    ]
    code, sortie, _ = commande(capsys, "journal", "--db", chemin_base_vide)
    assert code == 0
    assert sortie.splitlines()[0] == "31/10/2026 23:59:59  a@exemple.fr  Import  veille  [national]"
    assert len(sortie.splitlines()) == 3
    code, _, erreur = commande(capsys, "journal", "--depuis", "01/11/2026", "--db", chemin_base_vide)
    assert code == 2 and "AAAA-MM-JJ" in erreur


def test_import_et_restauration_en_ligne_de_commande_sont_journalises(
    chemin_base_minimale: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REBOND_JOURNAL", raising=False)
    debut = date.today() - timedelta(days=1)
    classeur = VALIDES / "contrat2_versements.xlsx"
    assert commande(capsys, "importer", classeur, "--db", chemin_base_minimale)[0] == 0
    assert commande(capsys, "restaurer", "1", "--db", chemin_base_minimale)[0] == 0
    entrees = journal.lire(journal.dossier_journal(chemin_base_minimale), depuis=debut)
    assert [(e.action, e.email.startswith("ligne de commande (")) for e in entrees] == [
        ("import", True),
        ("restauration", True),
    ]
    assert entrees[0].objet.startswith("version 2 : contrat2_versements.xlsx (SHA-256 ")
    assert entrees[1].objet == "version 1 restaurée comme version 3"


# --- the sub → e-mail bindings -----------------------------------------------------------------------


def test_liaisons_sub_email(tmp_path: Path) -> None:
    assert connexions.email_de("sub-1", tmp_path) is None
    assert connexions.lier("sub-1", "Camille.Martin@Exemple.gouv.fr", tmp_path) is True
    assert connexions.lier("sub-1", "camille.martin@exemple.gouv.fr", tmp_path) is False  # already so bound
    assert connexions.lier("sub-2", "paul@exemple.fr", tmp_path) is True
    assert connexions.email_de("sub-1", tmp_path) == "camille.martin@exemple.gouv.fr"
    assert connexions.lier("sub-1", "camille.nouvelle@exemple.gouv.fr", tmp_path) is True
    assert connexions.email_de("sub-1", tmp_path) == "camille.nouvelle@exemple.gouv.fr"  # the last one wins
    assert connexions.email_de("sub-2", tmp_path) == "paul@exemple.fr"
    assert len((tmp_path / "connexions.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    with pytest.raises(ValueError):
        connexions.lier("", "a@exemple.fr", tmp_path)
