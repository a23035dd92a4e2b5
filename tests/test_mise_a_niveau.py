"""A base made before contract 2 (schema 1: no `versements`, no `projets.date_statut`) or before the
habilitations (schema 2) is brought to the current schema the first time it is opened, one transaction
per step, with its rows and versions kept.

The schema-1 base is built from the frozen schema of tests/data/schema_contrat_1.sql and filled with the
rows of the minimal base (base_minimale.xlsx imported), copied table by table; the schema-2 base from
tests/data/schema_contrat_2.sql with the rows of the demonstration base (payments included)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from rebond_core import db
from rebond_core.cli import main
from rebond_core.db import VERSION_SCHEMA, Base, version_schema
from rebond_core.erreurs import BaseIndisponible
from rebond_core.importation.pipeline import importer
from tests.outils.bases import TABLES_SCHEMA_1, TABLES_SCHEMA_2
from tests.outils.bases import base_schema_1 as _base_schema_1
from tests.outils.bases import base_schema_2 as _base_schema_2
from tests.outils.contrat import VALIDES


def _forme(chemin: Path) -> dict[str, list[tuple[str, str]]]:
    """Each table's (column, type) in order, the indexes and the table macros, read without Rebond's code."""
    connexion = duckdb.connect(str(chemin), read_only=True)
    try:
        tables = [t for (t,) in connexion.execute("select table_name from duckdb_tables() order by all").fetchall()]
        forme = {
            t: connexion.execute(f"select column_name, column_type from (describe {t})").fetchall() for t in tables
        }
        forme["(index)"] = connexion.execute(
            "select index_name, table_name from duckdb_indexes() order by all"
        ).fetchall()
        forme["(macros)"] = connexion.execute(
            "select function_name, 'macro' from duckdb_functions() where function_type = 'table_macro' "
            "and not internal order by all"
        ).fetchall()
        return forme
    finally:
        connexion.close()


def _lignes(chemin: Path, requete: str) -> list[tuple[object, ...]]:
    connexion = duckdb.connect(str(chemin), read_only=True)
    try:
        return connexion.execute(requete).fetchall()
    finally:
        connexion.close()


def _base_schema_courant(chemin: Path) -> Path:
    """An empty base of today's rebond_core/sql/schema.sql, and nothing else."""
    connexion = duckdb.connect(str(chemin))
    try:
        connexion.execute(db.sql("schema"))
    finally:
        connexion.close()
    return chemin


@pytest.fixture
def ancienne(modele_base_minimale: Path, tmp_path: Path) -> Path:
    return _base_schema_1(modele_base_minimale, tmp_path / "ancienne.duckdb")


def test_la_base_fabriquee_est_bien_de_schema_1(ancienne: Path) -> None:
    forme = _forme(ancienne)
    assert "versements" not in forme
    assert "date_statut" not in [c for c, _ in forme["projets"]]
    assert _lignes(ancienne, "select count(*) from meta where cle = 'version_schema'") == [(0,)]


def test_mise_a_niveau_a_l_ouverture_en_ecriture(ancienne: Path, tmp_path: Path) -> None:
    neuve = _base_schema_courant(tmp_path / "neuve.duckdb")
    avant = {t: _lignes(ancienne, f"select * from {t} order by all") for t in TABLES_SCHEMA_1 if t != "meta"}
    base = Base.ouvrir(ancienne)
    try:
        assert version_schema(base.connexion) == VERSION_SCHEMA == 3
        assert base.meta("version_schema") == "3"
    finally:
        base.fermer()
    # Exactly the shape of today's schema (column order, types, indexes, macros).
    assert _forme(ancienne) == _forme(neuve)
    # Every row and version kept; the projects' status date is missing.
    for table, lignes in avant.items():
        if table == "projets":
            continue
        assert _lignes(ancienne, f"select * from {table} order by all") == lignes, table
    assert _lignes(ancienne, "select * exclude (date_statut) from projets order by all") == avant["projets"]
    assert _lignes(ancienne, "select count(*), count(date_statut) from projets") == [(2, 0)]
    assert _lignes(ancienne, "select count(*) from versements_a(1)") == [(0,)]
    assert _lignes(ancienne, "select count(*) from habilitations") == [(0,)]
    # Opened again: nothing to do.
    base = Base.ouvrir(ancienne)
    base.fermer()
    assert _forme(ancienne) == _forme(neuve)


def test_une_base_mise_a_niveau_recoit_le_contrat_2_et_se_restaure(ancienne: Path) -> None:
    from rebond_core.restauration import restaurer

    base = Base.ouvrir(ancienne)
    try:
        resultat = importer(base, [VALIDES / "contrat2_versements.xlsx"], "t")
        assert resultat.rapport.problemes == [] and resultat.version == 2
        assert base.scalaire("select count(*) from versements where v_to is null") == 4
        assert restaurer(base, 1, "t") == 3
        assert base.scalaire("select count(*) from versements where v_to is null") == 0
        assert base.lignes("select id_projet from projets where v_to is null and date_statut is not null") == []
    finally:
        base.fermer()


def test_ouverture_en_lecture_seule_d_une_ancienne_base(ancienne: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The read-only commands work on an old base: it is upgraded through a brief read-write opening."""
    base = Base.ouvrir(ancienne, lecture_seule=True)
    try:
        assert version_schema(base.connexion) == VERSION_SCHEMA
        assert base.lignes("select count(*) from versements") == [(0,)]
        assert base.lignes("select count(*), count(date_statut) from projets_a(1)") == [(2, 0)]
        with pytest.raises(duckdb.Error):  # still read-only
            base.lignes("insert into meta values ('essai', 'x')")
    finally:
        base.fermer()
    assert main(["versions", "--json", "--db", str(ancienne)]) == 0
    assert [v["numero"] for v in json.loads(capsys.readouterr().out)] == [1]


def test_commande_indicateurs_sur_une_ancienne_base(ancienne: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicateurs", "--json", "--db", str(ancienne)]) == 0
    assert json.loads(capsys.readouterr().out)["projets"]["total"] == 2


def test_mise_a_niveau_tout_ou_rien(ancienne: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A step that fails half-way leaves the base exactly as it was (schema 1), with a French message."""
    avant = _forme(ancienne)
    texte = db.sql("mise_a_niveau_2")
    monkeypatch.setattr(db, "sql", lambda nom: texte + "\nselect * from table_qui_n_existe_pas;")
    with pytest.raises(BaseIndisponible, match="avant le contrat 2"):
        Base.ouvrir(ancienne)
    assert _forme(ancienne) == avant
    monkeypatch.undo()
    base = Base.ouvrir(ancienne)
    base.fermer()
    assert "versements" in _forme(ancienne)


def test_une_base_neuve_n_est_pas_touchee(modele_base_minimale: Path, tmp_path: Path, monkeypatch) -> None:
    appels: list[str] = []
    monkeypatch.setattr(db, "mettre_a_niveau", lambda connexion: appels.append("mise à niveau") or 2)
    Base.ouvrir(modele_base_minimale, lecture_seule=True).fermer()
    assert appels == []


# --- schema 2 (contract 2, no habilitations) → 3 -------------------------------------------------------


@pytest.fixture
def schema_2(modele_base_demo: Path, tmp_path: Path) -> Path:
    return _base_schema_2(modele_base_demo, tmp_path / "schema2.duckdb")


def test_la_base_fabriquee_est_bien_de_schema_2(schema_2: Path) -> None:
    assert "habilitations" not in _forme(schema_2)
    assert _lignes(schema_2, "select valeur from meta where cle = 'version_schema'") == [("2",)]
    assert _lignes(schema_2, "select count(*) > 0 from versements") == [(True,)]  # the demo has payments


def test_schema_2_mis_a_niveau_a_l_ouverture_en_ecriture(schema_2: Path, tmp_path: Path) -> None:
    neuve = _base_schema_courant(tmp_path / "neuve.duckdb")
    avant = {t: _lignes(schema_2, f"select * from {t} order by all") for t in TABLES_SCHEMA_2 if t != "meta"}
    base = Base.ouvrir(schema_2)
    try:
        assert version_schema(base.connexion) == 3
        assert base.lignes("select count(*) from habilitations") == [(0,)]
    finally:
        base.fermer()
    assert _forme(schema_2) == _forme(neuve)
    for table, lignes in avant.items():
        assert _lignes(schema_2, f"select * from {table} order by all") == lignes, table


def test_schema_2_ouvert_en_lecture_seule(schema_2: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = Base.ouvrir(schema_2, lecture_seule=True)
    try:
        assert version_schema(base.connexion) == 3
        assert base.lignes("select count(*) from habilitations") == [(0,)]
    finally:
        base.fermer()
    assert main(["habilitations", "lister", "--json", "--db", str(schema_2)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_schema_2_mise_a_niveau_tout_ou_rien(schema_2: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    avant = _forme(schema_2)
    texte = db.sql("mise_a_niveau_3")
    monkeypatch.setattr(db, "sql", lambda nom: texte + "\nselect * from table_qui_n_existe_pas;")
    with pytest.raises(BaseIndisponible, match="avant les habilitations"):
        Base.ouvrir(schema_2)
    assert _forme(schema_2) == avant
    assert _lignes(schema_2, "select valeur from meta where cle = 'version_schema'") == [("2",)]
