"""Debian's Chromium driven by Playwright: how it is launched, the marks of a browser test, and reading a page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# `pytestmark = MARQUES` in every browser test module: marked `navigateur`, skipped without Chromium
# except in CI (where its absence is a failure).
MARQUES = [
    pytest.mark.navigateur,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium absent (make test l'installe)"
    ),
]


def attendre(page: Any) -> None:
    """Connected, the script done, its elements drawn, and the page's footer (drawn last) on screen."""
    _script_termine(page)
    page.get_by_text("Sources : AMI").first.wait_for(timeout=60_000)
    _elements_charges(page)
    attendre_graphiques(page)


def attendre_graphiques(page: Any) -> None:
    """Every chart of rebond_ui.graphiques shows the figure of the last run (drawn after the script ends)."""
    page.wait_for_function(GRAPHIQUES_DESSINES, timeout=60_000)


# Each chart's element (`st-key-graphique_<key>`) holds its drawing div, showing the figure last sent. The
# element comes first: its code is loaded lazily, and only then does it make the div.
GRAPHIQUES_A_JOUR = """[...document.querySelectorAll('[class*="st-key-graphique_"]')].every(e => {
  const d = e.querySelector('.rebond-graphique');
  return !!d && d.dataset.dessine === d.dataset.demande;
})"""  # a JavaScript expression (bench/pages.py puts it in its page-complete rule)
GRAPHIQUES_DESSINES = "() => " + GRAPHIQUES_A_JOUR


def tuiles(page: Any) -> dict[str, str]:
    """The indicator tiles on screen: label → value as shown."""
    resultat = {}
    for tuile in page.locator("[data-testid='stMetric']").all():
        libelle = tuile.locator("[data-testid='stMetricLabel']").inner_text().strip()
        resultat[libelle] = tuile.locator("[data-testid='stMetricValue']").inner_text().strip()
    return resultat


def attendre_script(page: Any) -> None:
    """Connected, the script done and its elements drawn (any page: the dashboard's, the login page, a test
    application). An element's code is loaded lazily: for a few milliseconds after the run ends, a
    placeholder (stSkeleton) stands where a button or a chart will be."""
    _script_termine(page)
    _elements_charges(page)


def _script_termine(page: Any) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)


def _elements_charges(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid^=\"stSkeleton\"]').length === 0", timeout=60_000
    )


def connecter(page: Any, email: str) -> None:
    """Log in from the application's page on screen: click its "Se connecter" button (st.login), fill the
    local provider's form (tests/oidc) with `email` (its e-mail claim is the login typed), pass a consent
    page if one is shown, and wait until the application has run again on its own origin."""
    origine = urlsplit(page.url).netloc
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("input[name=login]", timeout=30_000)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "sans-importance")
    formulaire = page.url
    page.locator("button[type=submit]").click()

    def revenu(url: str) -> bool:
        return urlsplit(url).netloc == origine and "/oauth2callback" not in url

    for _ in range(3):  # the local provider gives no consent page; another provider may (a new interaction)
        page.wait_for_url(
            lambda url, quitte=formulaire: revenu(url) or ("/interaction/" in url and url != quitte), timeout=30_000
        )
        if revenu(page.url):
            break
        formulaire = page.url
        page.locator("button[type=submit]").first.click()
    attendre_script(page)
