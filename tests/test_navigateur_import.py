"""Import in a real browser: upload, read the report, publish, see the overview change; a defective
file shows its report and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from rebond_ui.surete import JOINT
from tests.outils.bases import copie_de
from tests.outils.classeurs import ecrire_classeur
from tests.outils.navigateur import MARQUES, attendre, tuiles
from tests.outils.serveur import serveur_streamlit

pytestmark = MARQUES


@pytest.fixture(scope="module")
def base_import(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demonstration base of its own: the tests of this module publish into it, in order."""
    return copie_de(modele_base_demo, tmp_path_factory.mktemp("serveur_import"))


@pytest.fixture(scope="module")
def serveur_import(base_import: Path) -> Iterator[str]:
    with serveur_streamlit(base_import, base_import.parent / "streamlit.log") as url:
        yield url


def _deposer(page: Any, chemin: Path, attendu: str) -> None:
    """Choose the file, then wait for `attendu`, a text of the report its run draws. (After a widget
    action the state stays `notRunning` until the server says the run started, so `attendre` alone
    could read the page of before.)"""
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(chemin))
    page.get_by_text(attendu).first.wait_for(timeout=60_000)
    attendre(page)


def _signer(page: Any, auteur: str) -> None:
    """The author's name, confirmed with Enter: the run after it enables « Publier »."""
    champ = page.get_by_label("Votre nom (auteur de la version)")
    champ.fill(auteur)
    champ.press("Enter")
    expect(page.get_by_role("button", name="Publier")).to_be_enabled(timeout=60_000)
    attendre(page)


def test_fichier_defectueux_rapport_et_aucun_changement(
    serveur_import: str, page: Any, base_import: Path, tmp_path: Path
) -> None:
    fichier = ecrire_classeur(
        tmp_path / "releve_defectueux.xlsx",
        {
            "projets": [
                {
                    "id_projet": "NEUF-1",
                    "code_territoire": "douaisis",
                    "intitule": "Atelier",
                    "entreprise": "Firme",
                    "filiere": "automobile",
                    "origine": "endogene",
                    "statut": "identifie",
                    "investissement_eur": "12 k€",
                    "emplois_prevus": 4,
                },
            ]
        },
    )
    page.goto(serveur_import + "/importer")
    attendre(page)
    # One size limit, said in French: Streamlit's own (English, larger) limit line is not shown.
    assert "50 Mo au plus" in page.inner_text("body") and "per file" not in page.inner_text("body")
    _deposer(page, fichier, "Import impossible")
    texte = page.inner_text("body")
    assert "Montant en euros attendu" in texte
    assert page.get_by_role("button", name="Publier").count() == 0
    page.goto(serveur_import + "/")
    attendre(page)
    assert tuiles(page)["Projets détectés"] == "1\u202f249"  # the demonstration's 1 249 projects, unchanged


def test_publier_change_la_vue_d_ensemble(serveur_import: str, page: Any, tmp_path: Path) -> None:
    fichier = ecrire_classeur(
        tmp_path / "copil.xlsx",
        {
            "projets": [
                {
                    "id_projet": f"NEUF-{n}",
                    "code_territoire": "douaisis",
                    "intitule": f"Atelier {n}",
                    "entreprise": "Firme",
                    "filiere": "automobile",
                    "origine": "exogene",
                    "statut": "identifie",
                    "investissement_eur": 100000,
                    "emplois_prevus": 4,
                }
                for n in range(1, 4)
            ]
        },
    )
    page.goto(serveur_import + "/importer")
    attendre(page)
    _deposer(page, fichier, "ligne(s) ajoutée(s)")
    assert "projets : 3 ligne(s) ajoutée(s), 0 modifiée(s)" in page.inner_text("body")
    _signer(page, "Test Navigateur")
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Version 2 publiée par Test Navigateur").wait_for(timeout=60_000)
    page.goto(serveur_import + "/")
    attendre(page)
    affiches = tuiles(page)
    assert affiches["Projets détectés"] == "1\u202f252"  # 1 249 + 3
    assert affiches["Emplois détectés"] == "7\u202f117"  # 7 105 + 3 × 4
    assert "version 2" in page.inner_text("body")


PIEGE = "**Gras** [lien](http://exemple.invalid/) ![image](http://exemple.invalid/x.png) <b>html</b> $x^2$ :red[rouge]"


def test_le_texte_importe_n_est_jamais_interprete(serveur_import: str, page: Any, tmp_path: Path) -> None:
    """A territory name and consultancy full of Markdown, HTML, LaTeX and Streamlit directives are shown
    as they are: no link, no image, no request to the host they name."""
    fichier = ecrire_classeur(
        tmp_path / "territoire_piege.xlsx",
        {
            "territoires": [
                {
                    "code_territoire": "piege",
                    "nom": PIEGE,
                    "releve": 1,
                    "region": "32",
                    "epci": "200044618",
                    "filieres": "automobile",
                    "statut_mission": "a_lancer",
                    "cout_mission_eur": 0,
                    "enveloppe_aides_eur": 0,
                    "cabinet": "[cabinet](javascript:alert(1))",
                },
            ]
        },
    )
    demandes: list[str] = []
    page.on("request", lambda r: demandes.append(r.url))
    page.goto(serveur_import + "/importer")
    attendre(page)
    _deposer(page, fichier, "ligne(s) ajoutée(s)")
    _signer(page, "**auteur** ![x](http://exemple.invalid/a.png)")
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("publiée par").first.wait_for(timeout=60_000)
    page.goto(serveur_import + "/territoire?territoire=piege")
    attendre(page)
    titre = page.locator("h2").first
    assert titre.inner_text().replace(JOINT, "").strip() == " ".join(PIEGE.split())
    # Only Streamlit's own anchor to the heading is a link.
    assert titre.locator("a:not([href^='#']), img, b, strong, .katex").count() == 0
    principal = page.locator("[data-testid='stMain']")
    assert principal.locator("a[href^='javascript'], img[src*='exemple.invalid']").count() == 0
    texte = principal.inner_text().replace(JOINT, "")
    assert "[cabinet](javascript:alert(1))" in texte
    assert "**auteur** ![x](http://exemple.invalid/a.png)" in texte
    assert not [d for d in demandes if "exemple.invalid" in d]
