"""The sites page in a real browser (Debian's Chromium): it loads without exception, and a link carrying
weights and a threshold gives, in the downloaded CSV, the same ranking as the `classement` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rebond_core import cli
from tests.outils.navigateur import MARQUES, attendre

pytestmark = MARQUES


@pytest.mark.parametrize(
    "chemin", ["/sites", "/sites?region=53&grille=cles_en_main&nez=1&x=50&k=2", "/sites?filiere=ferroviaire"]
)
def test_la_page_sites_se_charge_sans_exception(serveur: str, page: Any, chemin: str) -> None:
    page.goto(serveur + chemin)
    attendre(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Sites industriels de demain" in page.locator("h1").first.inner_text()


def test_lien_avec_poids_meme_classement_que_la_commande(
    serveur: str,
    page: Any,
    modele_base_demo: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    options = ["--territoire", "lorient", "--poids", "energie=3", "--poids", "services=0,5", "--seuil", "mobilite=3"]
    assert cli.main(["classement", "--db", str(modele_base_demo), *options, "--json"]) == 0
    attendu = [(o["id_site"], "" if o["rang"] is None else str(o["rang"])) for o in json.loads(capsys.readouterr().out)]
    page.goto(serveur + "/sites?territoire=lorient&poids_energie=3&poids_services=0,5&seuil_mobilite=3")
    attendre(page)
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="CSV pour Excel").click()
    lignes = Path(telechargement.value.path()).read_text(encoding="utf-8-sig").splitlines()
    debut = next(i for i, ligne in enumerate(lignes) if ligne.startswith("Identifiant;"))
    entete, colonnes = lignes[:debut], lignes[debut].split(";")
    obtenu = [
        (cellules[0], cellules[colonnes.index("Rang")])
        for cellules in (ligne.split(";") for ligne in lignes[debut + 1 :] if ligne)
    ]
    assert obtenu == attendu
    assert obtenu[0][1] == "1" and obtenu[-1][1] == ""  # set-apart sites last, without rank
    assert entete[0].startswith("DONNÉES DE DÉMONSTRATION")  # the download says what it is
    assert "Critère Énergie : poids 3, seuil aucun" in entete
    assert "Critère Services et attractivité : poids 0,5, seuil aucun" in entete
    assert "Critère Mobilités et accessibilité : poids 1, seuil note ≥ 3" in entete
    assert "poids_services=0.5" in page.url and "seuil_mobilite=3" in page.url
