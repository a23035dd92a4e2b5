"""`--pour EMAIL` (acces.md, indicateurs.md): the command line computes exactly what that user sees: a COPIL
member's figures are those of its territories (sums checked here in SQL), national sums stay national, and
an unknown or expired user, or a filter outside the scope, is exit 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.outils.bases import requete
from tests.outils.contrat import commande

HABILITATIONS = """email;role;regions;territoires;expire_le
cabinet@exemple.gouv.fr;cabinet;;;
copil.cambrai@exemple.gouv.fr;copil;;cambrai;
copil.hdf@exemple.gouv.fr;copil;32;;
ancien@exemple.gouv.fr;copil;;cambrai;01/01/2020
"""
AU = "2026-11-13"


@pytest.fixture
def habilitee(chemin_base_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    fichier = tmp_path / "habilitations.csv"
    fichier.write_text(HABILITATIONS, encoding="utf-8")
    code, _, err = commande(capsys, "habilitations", "importer", fichier, "--db", chemin_base_demo)
    assert code == 0, err
    return chemin_base_demo


def _indicateurs(capsys: pytest.CaptureFixture[str], base: Path, *options: str) -> tuple[int, dict, str]:
    code, sortie, erreur = commande(capsys, "indicateurs", "--db", base, "--au", AU, "--json", *options)
    return code, (json.loads(sortie) if code == 0 else {}), erreur


def test_a_copil_member_sees_its_territory_with_national_sums(
    habilitee: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, pour, err = _indicateurs(capsys, habilitee, "--pour", "copil.cambrai@exemple.gouv.fr")
    assert code == 0, err
    _, filtre, _ = _indicateurs(capsys, habilitee, "--territoire", "cambrai")
    _, national, _ = _indicateurs(capsys, habilitee)
    assert pour == filtre
    projets = requete(habilitee, "select count(*) from projets where code_territoire = 'cambrai' and v_to is null")
    assert pour["projets"]["total"] == projets[0][0]
    assert pour["territoires"]["nombre"] == 1
    assert pour["enveloppe_aides"]["reste_eur"] == national["enveloppe_aides"]["reste_eur"]  # national


def test_a_region_copil_sees_its_region_and_a_cabinet_everything(
    habilitee: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, region, _ = _indicateurs(capsys, habilitee, "--pour", "copil.hdf@exemple.gouv.fr")
    _, filtre, _ = _indicateurs(capsys, habilitee, "--region", "32")
    assert region == filtre and region["territoires"]["nombre"] == 2  # Cambrai and Douaisis
    _, cabinet, _ = _indicateurs(capsys, habilitee, "--pour", "cabinet@exemple.gouv.fr")
    _, national, _ = _indicateurs(capsys, habilitee)
    assert cabinet == national


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--pour", "inconnu@exemple.gouv.fr"], "Aucune habilitation valide pour inconnu@exemple.gouv.fr"),
        (["--pour", "ancien@exemple.gouv.fr"], "Aucune habilitation valide pour ancien@exemple.gouv.fr"),
        (["--pour", "copil.cambrai@exemple.gouv.fr", "--territoire", "douaisis"], "hors de votre périmètre"),
        (["--pour", "copil.cambrai@exemple.gouv.fr", "--region", "84"], "hors de votre périmètre"),
        (["--pour", "copil.cambrai@exemple.gouv.fr", "--territoire", "n-existe-pas"], "hors de votre périmètre"),
    ],
)
def test_refusals_are_exit_2(
    habilitee: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    code, _, erreur = _indicateurs(capsys, habilitee, *options)
    assert code == 2 and message in erreur


def test_ranking_and_report_for_a_copil_member(
    habilitee: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pour = ["--pour", "copil.cambrai@exemple.gouv.fr"]
    code, sortie, err = commande(capsys, "classement", "--db", habilitee, "--json", *pour)
    assert code == 0, err
    sites = json.loads(sortie)
    attendus = requete(habilitee, "select count(*) from sites where code_territoire = 'cambrai' and v_to is null")
    assert len(sites) == attendus[0][0] and {s["code_territoire"] for s in sites} == {"cambrai"}
    pdf = tmp_path / "autre.pdf"
    code, _, err = commande(capsys, "rapport", "--territoire", "douaisis", "-o", pdf, "--db", habilitee, *pour)
    assert code == 2 and "hors de votre périmètre" in err and not pdf.exists()
    code, _, err = commande(capsys, "rapport", "--national", "-o", pdf, "--db", habilitee, *pour)
    assert code == 2 and not pdf.exists()
    code, _, err = commande(capsys, "rapport", "--territoire", "cambrai", "-o", pdf, "--db", habilitee, *pour)
    assert code == 0, err
    texte = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "PRJ-cambrai-" in texte and "PRJ-douaisis-" not in texte
    # Made for someone else: not recorded as the committee's report.
    assert (
        requete(habilitee, "select count(*) from information_schema.tables where table_name = 'rapports_copil'")[0][0]
        == 0
        or requete(habilitee, "select count(*) from rapports_copil")[0][0] == 0
    )
