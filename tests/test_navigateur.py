"""The pages in a real browser: Debian's Chromium driven by Playwright against a running server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rebond_core.db import Base
from rebond_core.indicateurs import PAR_CLE, Filtres, calculer
from rebond_ui.composants import valeur_formatee

RACINE = Path(__file__).resolve().parent.parent
GEO = RACINE.parent / "shared" / "geo"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.navigateur,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium absent (make test l'installe)"
    ),
]


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def serveur(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server on a copy of the demonstration base, with the shared boundaries when present."""
    base = tmp_path_factory.mktemp("serveur") / "demo.duckdb"
    shutil.copy(modele_base_demo, base)
    yield from demarrer_serveur(base)


def demarrer_serveur(base: Path) -> Iterator[str]:
    """Start `streamlit run dashboard.py` on `base`, yield its URL once healthy, stop it after."""
    port = _port_libre()
    env = {**os.environ, "REBOND_DB": str(base)}
    if GEO.is_dir():
        env["REBOND_GEO_DIR"] = str(GEO)
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    echeance = time.monotonic() + 60
    while time.monotonic() < echeance:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        processus.kill()
        pytest.fail("le serveur Streamlit n'a pas démarré")
    yield url
    processus.terminate()
    processus.wait(timeout=20)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--use-angle=swiftshader",
            "--enable-unsafe-swiftshader",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1400, "height": 1000}}


def attendre(page: Any) -> None:
    """Connected, the script done, and the page's footer (drawn last) on screen."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.get_by_text("Sources : AMI").first.wait_for(timeout=60_000)
    # Element code is loaded lazily: wait until no placeholder is left.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid^=\"stSkeleton\"]').length === 0", timeout=60_000
    )


def tuiles(page: Any) -> dict[str, str]:
    resultat = {}
    for tuile in page.locator("[data-testid='stMetric']").all():
        libelle = tuile.locator("[data-testid='stMetricLabel']").inner_text().strip()
        resultat[libelle] = tuile.locator("[data-testid='stMetricValue']").inner_text().strip()
    return resultat


def attendus(chemin: Path, filtres: Filtres) -> dict[str, str]:
    base = Base.ouvrir(chemin)
    try:
        valeurs = calculer(base, filtres).valeurs
    finally:
        base.fermer()
    return {PAR_CLE[c].libelle: valeur_formatee(c, valeurs[c]) for c in PAR_CLE}


@pytest.mark.parametrize(
    "chemin",
    ["/", "/vue-ensemble?filiere=naval", "/territoire?territoire=douaisis", "/territoire", "/?filiere=ferroviaire"],
)
def test_chaque_page_se_charge_sans_exception(serveur: str, page: Any, chemin: str) -> None:
    page.goto(serveur + chemin)
    attendre(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Rebond industriel" in page.locator(".rebond-marque").inner_text()
    assert "Données de démonstration" in page.inner_text("body")


def test_tuiles_d_une_url_filtree_egales_au_coeur(serveur: str, page: Any, modele_base_demo: Path) -> None:
    page.goto(serveur + "/?region=32&releve=2")
    attendre(page)
    affiches = tuiles(page)
    attendu = attendus(modele_base_demo, Filtres(region=("32",), releve=(2,)))
    assert len(affiches) == 8
    assert affiches == {k: attendu[k] for k in affiches}
    assert affiches["Territoires lauréats"] == "1"  # Cambrai, the only relève-2 laureate of Hauts-de-France


def test_clic_dans_le_tableau_ouvre_le_bon_territoire(serveur: str, page: Any) -> None:
    page.goto(serveur + "/?region=53")  # Bretagne: Morlaix (relève 1) then Lorient (relève 5)
    attendre(page)
    tableau = page.locator("[data-testid='stDataFrame']").first
    tableau.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    boite = tableau.bounding_box()
    page.mouse.click(boite["x"] + 18, boite["y"] + 35 + 35 + 17)  # checkbox of the second row
    page.wait_for_url("**/territoire**", timeout=30_000)
    attendre(page)
    assert page.locator("h2").first.inner_text().strip() == "Lorient Agglomération"
    assert "territoire=lorient" in page.url


@pytest.mark.skipif(not GEO.is_dir(), reason="fonds de carte partagés absents")
def test_la_carte_s_affiche_sans_requete_exterieure(serveur: str, page: Any) -> None:
    exterieures: list[str] = []
    page.on(
        "request",
        lambda r: (
            exterieures.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))
            else None
        ),
    )
    page.goto(serveur + "/")
    attendre(page)
    carte = page.locator(".maplibregl-canvas").first
    carte.scroll_into_view_if_needed()
    page.wait_for_timeout(3000)
    image = carte.screenshot()
    assert exterieures == []
    assert _pixels_bleus(image) > 200, "la carte ne montre aucun EPCI coloré"


def _pixels_bleus(png: bytes) -> int:
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if b > 150 and r < 180 and g < 180)
