"""Who sees what, in a real browser logged in through the local OpenID Connect provider (tests/oidc): each
role gets the pages acces.md gives it, and a COPIL member of one territory finds nothing of any other
territory anywhere: not on any page, whatever the link names, nor in any file it downloads (CSV, XLSX, the
PDF report)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rebond_core.acces import journal
from rebond_core.acces.habilitations import Habilitation, remplacer
from rebond_core.db import Base
from tests.outils.bases import copie_de, requete
from tests.outils.navigateur import MARQUES, attendre, connecter
from tests.outils.oidc import appli_authentifiee

pytestmark = MARQUES

SCOPE = "cambrai"
COPIL = "copil.cambrai@exemple.gouv.fr"
HABILITATIONS = [
    Habilitation("cabinet@exemple.gouv.fr", "cabinet"),
    Habilitation(COPIL, "copil", territoires=(SCOPE,)),
    Habilitation("donnees@exemple.gouv.fr", "donnees"),
    Habilitation("admin@exemple.gouv.fr", "admin"),
]
PAGES = ("/", "/territoire", "/a-suivre", "/arbitrage", "/sites", "/historique")
NAVIGATION = {"Vue d'ensemble", "Territoire", "Projets à suivre", "Arbitrage", "Sites industriels de demain"}


@pytest.fixture(scope="module")
def habilitee(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    chemin = copie_de(modele_base_demo, tmp_path_factory.mktemp("acces"))
    base = Base.ouvrir(chemin)
    try:
        remplacer(base, HABILITATIONS, "tests")
    finally:
        base.fermer()
    return chemin


@pytest.fixture(scope="module")
def appli(habilitee: Path) -> Iterator[str]:
    with appli_authentifiee(habilitee, habilitee.parent) as (url, _):
        yield url


def _interdits(chemin: Path) -> list[str]:
    """What names another territory's rows: their names, project ids, companies (not also in the scope) and
    site names, of every version."""
    autre = "code_territoire <> $s"
    dans = "code_territoire = $s"
    requetes = [
        f"select distinct nom from territoires where {autre}",
        f"select distinct id_projet from projets where {autre}",
        f"select distinct entreprise from projets where {autre} except select entreprise from projets where {dans}",
        f"select distinct nom from sites where {autre}",
        f"select distinct id_site from sites where {autre}",
    ]
    return sorted({ligne[0] for r in requetes for ligne in requete(chemin, r, {"s": SCOPE})})


def _texte_du_fichier(nom: str, contenu: bytes) -> str:
    if nom.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(contenu)) as classeur:
            return "\n".join(classeur.read(n).decode("utf-8") for n in classeur.namelist() if n.endswith(".xml"))
    if nom.endswith(".pdf"):
        sortie = subprocess.run(["pdftotext", "-", "-"], input=contenu, capture_output=True, check=True)
        return re.sub(r"[\s\u202f\u00a0]+", " ", sortie.stdout.decode("utf-8"))
    return contenu.decode("cp1252", errors="replace") + contenu.decode("utf-8", errors="replace")


def _telecharger_tout(page: Any) -> dict[str, str]:
    """Click every download button of the page; the text of each file."""
    fichiers = {}
    fermes = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    for indice in reversed(range(fermes.count())):  # open every expander: its buttons too
        fermes.nth(indice).click()
    attendre(page)
    boutons = page.locator("[data-testid='stDownloadButton'] button")
    for indice in range(boutons.count()):
        bouton = boutons.nth(indice)
        if not bouton.is_visible():  # in a tab not shown
            continue
        with page.expect_download(timeout=120_000) as attente:
            bouton.click()
        telechargement = attente.value
        contenu = Path(telechargement.path()).read_bytes()
        fichiers[telechargement.suggested_filename] = _texte_du_fichier(telechargement.suggested_filename, contenu)
    return fichiers


def _navigation(page: Any) -> set[str]:
    liens = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']").all_inner_texts()
    return {t.strip().splitlines()[-1] for t in liens}  # the icon's name, then the label


def test_a_copil_member_finds_nothing_of_another_territory_on_any_page_or_file(
    appli: str, habilitee: Path, page: Any
) -> None:
    interdits = _interdits(habilitee)
    assert len(interdits) > 500  # the other twelve territories of the demonstration base
    page.goto(appli)
    connecter(page, COPIL)
    attendre(page)
    telecharges: dict[str, str] = {}
    for chemin in PAGES:
        # Every link names another territory and another region: nothing of them is shown.
        page.goto(f"{appli}{chemin}?territoire=douaisis&territoire={SCOPE}&region=44")
        attendre(page)
        texte = page.inner_text("body")
        assert "hors de votre périmètre" in texte, chemin
        fuites = [nom for nom in interdits if nom in texte]
        assert fuites == [], (chemin, fuites[:5])
        figures = page.evaluate(  # what the charts hold, hover labels included (drawn only on hover)
            "() => [...document.querySelectorAll('.rebond-graphique')]"
            ".map(d => JSON.stringify([d.data || [], d.layout || {}])).join(' ')"
        )
        fuites = [nom for nom in interdits if nom in figures]
        assert fuites == [], (chemin, "graphiques", fuites[:5])
        for nom, contenu in _telecharger_tout(page).items():
            telecharges[nom] = contenu
            fuites = [n for n in interdits if n in contenu]
            assert fuites == [], (chemin, nom, fuites[:5])
    assert any(nom.endswith(".pdf") for nom in telecharges)  # the territory's COPIL report
    assert any(nom.endswith(".xlsx") for nom in telecharges) and any(nom.endswith(".csv") for nom in telecharges)
    assert "PRJ-cambrai-001" in "".join(telecharges.values())  # the scope's own rows are there
    actions = {e.action for e in journal.lire(journal.dossier_journal(habilitee)) if e.email == COPIL}
    assert {"connexion", "telechargement", "rapport_pdf"} <= actions


@pytest.mark.parametrize(
    ("email", "en_plus"),
    [
        ("cabinet@exemple.gouv.fr", {"Historique des versions"}),
        ("donnees@exemple.gouv.fr", {"Historique des versions", "Importer des résultats"}),
        ("admin@exemple.gouv.fr", {"Historique des versions", "Importer des résultats", "Accès"}),
    ],
)
def test_each_role_gets_its_pages(appli: str, page: Any, email: str, en_plus: set[str]) -> None:
    page.goto(appli)
    connecter(page, email)
    attendre(page)
    assert _navigation(page) == NAVIGATION | en_plus
    territoires = page.locator("[data-testid='stMetric']").filter(has_text="Territoires lauréats")
    assert territoires.locator("[data-testid='stMetricValue']").inner_text().strip() == "13"
    page.goto(f"{appli}/importer")
    attendre(page)
    televersement = page.locator("[data-testid='stFileUploader']").count()
    assert (televersement > 0) == ("Importer des résultats" in en_plus)
