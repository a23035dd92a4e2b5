"""The command line's text output reads like the pages (formats.indicateur, versions.texte_comptes, VIDE);
its JSON output is the contract and does not change."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from rebond_core import cli
from rebond_core.creation import creer_base
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import INDICATEURS, calculer, en_json, verifier_filtres
from rebond_core.indicateurs import Filtres as FiltresIndicateurs
from rebond_core.restauration import restaurer
from tests.outils.classeurs import ecrire_classeur

M = "\u202f"  # thousands
U = "\u00a0"  # before a unit

TERRITOIRE = {
    "code_territoire": "ta",
    "nom": "Territoire A",
    "releve": 1,
    "region": "32",
    "epci": "200044618",
    "filieres": "automobile",
    "statut_mission": "terminee",
    "cout_mission_eur": 150000,
    "enveloppe_aides_eur": 1500000,
}


def _projet(id_projet: str, statut: str, investissement: int, emplois: int, **autres: object) -> dict[str, object]:
    return {
        "id_projet": id_projet,
        "code_territoire": "ta",
        "intitule": f"Projet {id_projet}",
        "entreprise": f"Entreprise {id_projet}",
        "filiere": "automobile",
        "origine": "endogene",
        "statut": statut,
        "investissement_eur": investissement,
        "emplois_prevus": emplois,
        **autres,
    }


P1 = _projet(
    "P1",
    "accorde",
    1_250_000,
    12,
    subvention_eur=200_000,
    avance_remboursable_eur=50_000,
    date_decision=date(2023, 5, 1),
)
P2 = _projet("P2", "identifie", 80_000, 3)


@pytest.fixture
def chemin(tmp_path: Path) -> Path:
    """Version 1: the territory and P1; version 2: P2 added; version 3: restore of version 1 (P2 removed)."""
    chemin = tmp_path / "base.duckdb"
    base = creer_base(chemin, demo=False)
    try:
        v1 = ecrire_classeur(tmp_path / "v1.xlsx", {"territoires": [TERRITOIRE], "projets": [P1]})
        assert importer(base, [v1], "alice").version == 1
        v2 = ecrire_classeur(tmp_path / "v2.xlsx", {"projets": [P2]})
        assert importer(base, [v2], "bob").version == 2
        assert restaurer(base, 1, "carole") == 3
    finally:
        base.fermer()
    return chemin


def _lancer(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    assert cli.main([str(a) for a in args]) == 0
    return capsys.readouterr().out


def test_versions_montre_les_lignes_retirees(chemin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lignes = _lancer(capsys, "versions", "--db", chemin).splitlines()
    assert lignes[0] == "Lignes par table : + ajoutées, ~ modifiées, − retirées"
    quand = r"\d{2}/\d{2}/\d{4} à \d{2}:\d{2}"
    assert re.fullmatch(
        rf"   1  {quand}  alice  v1\.xlsx \([0-9a-f]{{12}}\)  \[territoires : \+1 ~0 ; projets : \+1 ~0\]", lignes[1]
    ), lignes[1]
    assert re.fullmatch(rf"   2  {quand}  bob  v2\.xlsx \([0-9a-f]{{12}}\)  \[projets : \+1 ~0\]", lignes[2]), lignes[2]
    # The restore removed P2: "−1" (U+2212), which the command used to drop.
    assert re.fullmatch(rf"   3  {quand}  carole  Restauration de la version 1  \[projets : \+0 ~0 −1\]", lignes[3]), (
        lignes[3]
    )
    assert len(lignes) == 4


def test_versions_json_inchange(chemin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    versions = json.loads(_lancer(capsys, "versions", "--json", "--db", chemin))
    assert [set(v) for v in versions] == [{"numero", "date", "auteur", "fichiers", "comptes", "restaure"}] * 3
    assert versions[2]["comptes"] == {"projets": {"ajoutees": 0, "modifiees": 0, "retirees": 1}}
    assert versions[2]["fichiers"] == [] and versions[2]["restaure"] == 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", versions[2]["date"])


def test_indicateurs_en_texte_comme_les_pages(chemin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lignes = _lancer(capsys, "indicateurs", "--version", "2", "--db", chemin).splitlines()
    assert len(lignes) == len(INDICATEURS)
    valeurs = {i.cle: ligne[len(i.libelle) :].strip() for i, ligne in zip(INDICATEURS, lignes, strict=True)}
    # Version 2: P1 granted (1 250 000 € invested, 200 000 + 50 000 € of aid, 12 jobs), P2 identified (80 000 €, 3).
    assert valeurs["investissement_eur.potentiel"] == f"1,33{U}M€"  # 1 330 000 €
    assert valeurs["investissement_eur.soutenu"] == f"1,25{U}M€"
    assert valeurs["enveloppe_ingenierie.total_eur"] == f"10,0{U}M€"
    assert valeurs["enveloppe_ingenierie.engage_eur"] == f"0,15{U}M€"
    assert valeurs["enveloppe_ingenierie.taux"] == f"1,5{U}%"  # 150 000 / 10 000 000
    assert valeurs["enveloppe_aides.subventions_eur"] == f"0,20{U}M€"
    assert valeurs["enveloppe_aides.avances_eur"] == f"50{M}000{U}€"  # below 100 000 €: in euros
    assert valeurs["enveloppe_aides.engage_eur"] == f"0,25{U}M€"
    assert valeurs["aide_par_emploi_eur"] == f"20{M}833{U}€"  # 250 000 / 12 = 20 833,33
    assert valeurs["effet_levier"] == f"5,0{U}€/€"  # 1 250 000 / 250 000, euros invested per euro of aid
    assert valeurs["emplois.potentiels"] == "15"
    assert valeurs["projets.total"] == "2"


def test_indicateurs_json_inchange(chemin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sortie = _lancer(capsys, "indicateurs", "--json", "--version", "2", "--db", chemin)
    base = Base.ouvrir(chemin, lecture_seule=True)
    try:
        attendu = en_json(calculer(base, verifier_filtres(base, FiltresIndicateurs(version=2))))
    finally:
        base.fermer()
    assert sortie == json.dumps(attendu, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(sortie)["investissement_eur"]["potentiel"] == 1_330_000


def test_classement_en_texte_tiret_pour_le_non_classe(
    chemin_base_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sortie = _lancer(capsys, "classement", "--territoire", "dreux", "--db", chemin_base_demo)
    derniere = sortie.splitlines()[-1]
    # SIT-dreux-01 has no score at all: no rank, no score, 0 % complete, set apart after the ranked sites.
    assert re.fullmatch(r"   —       —     0\xa0%  SIT-dreux-01  .+  \(non évalué\)", derniere), derniere
