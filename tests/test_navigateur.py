"""The pages in a real browser: Debian's Chromium driven by Playwright against a running server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rebond_core.indicateurs import Filtres
from tests.outils.attendus import tuiles_attendues
from tests.outils.navigateur import MARQUES, attendre, tuiles
from tests.outils.serveur import GEO

pytestmark = MARQUES


@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/vue-ensemble?filiere=naval",
        "/territoire?territoire=douaisis",
        "/territoire",
        "/?filiere=ferroviaire",
        "/a-suivre",
        "/a-suivre?region=53",
    ],
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
    attendu = tuiles_attendues(modele_base_demo, Filtres(region=("32",), releve=(2,)))
    assert len(affiches) == 12  # eight indicators, then four in the balance of the call
    assert affiches == {k: attendu[k] for k in affiches}
    assert affiches["Territoires lauréats"] == "1"  # Cambrai, the only relève-2 laureate of Hauts-de-France


def test_clic_dans_le_tableau_ouvre_le_bon_territoire(serveur: str, page: Any) -> None:
    page.goto(serveur + "/?region=53")  # Bretagne: Morlaix (relève 1) then Lorient (relève 5)
    attendre(page)
    tableau = page.locator("[data-testid='stDataFrame']").first
    # The checkbox of the second row (header and rows 35 px high), placed when the table is still.
    tableau.click(position={"x": 18, "y": 35 + 35 + 17})
    page.wait_for_url("**/territoire**", timeout=30_000)
    attendre(page)
    assert page.locator("h2").first.inner_text().strip() == "Lorient Agglomération"
    assert "territoire=lorient" in page.url


# The shapes of the overview map on the screen: the box of each path of the choropleth (regions, then
# EPCI), the box of the map's frame (plotly's clip of the geo subplot: nothing is drawn outside it) and
# the number of region shapes.
FORMES_DE_LA_CARTE = """gd => {
  const boite = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const traces = gd.querySelectorAll('.geo .trace.choropleth');
  return {
    formes: [...gd.querySelectorAll('.geo path.choroplethlocation')].map(boite),
    cadre: boite(gd.querySelector('.geo .layer.bg rect')),
    regions: traces.length ? traces[0].querySelectorAll('path.choroplethlocation').length : 0,
  };
}"""


@pytest.mark.skipif(not GEO.is_dir(), reason="fonds de carte partagés absents")
def test_la_carte_s_affiche_sans_requete_exterieure(serveur: str, page: Any) -> None:
    """The overview map is drawn in SVG from the local boundaries, nothing fetched (plotly's geo subplot would
    fetch a world topojson from its CDN without the map's `topojsonURL`): France and the overseas regions
    brought next to it whole, filling the frame's height, laureate EPCI in blue."""
    demandes: list[str] = []
    page.on("request", lambda r: demandes.append(r.url))
    page.goto(serveur + "/")
    attendre(page)
    carte = page.locator("[data-testid='stMain'] .js-plotly-plot").filter(has=page.locator(".geo")).first
    carte.scroll_into_view_if_needed()
    page.wait_for_timeout(3000)
    image = carte.screenshot()
    exterieures = [d for d in demandes if not d.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))]
    assert exterieures == []
    assert not [d for d in demandes if "cdn.plot.ly" in d or "topojson" in d or "world_110m" in d]
    assert carte.locator("canvas").count() == 0  # SVG, not WebGL
    vu = carte.evaluate(FORMES_DE_LA_CARTE)
    assert vu["regions"] == 18  # 13 of mainland France, 5 overseas
    assert len(vu["formes"]) > vu["regions"]  # and the laureate EPCI over them
    gauche, haut, droite, bas = vu["cadre"]
    for g, h, d, b in vu["formes"]:  # no shape cut by the frame (overseas, Corsica)
        assert gauche + 1 < g and haut + 1 < h and d < droite - 1 and b < bas - 1, (vu["cadre"], [g, h, d, b])
    haut_formes, bas_formes = min(f[1] for f in vu["formes"]), max(f[3] for f in vu["formes"])
    assert bas_formes - haut_formes > 0.85 * carte.bounding_box()["height"]  # not a small map in a large frame
    assert _pixels_bleus(image) > 200, "la carte ne montre aucun EPCI coloré"


def _pixels_bleus(png: bytes) -> int:
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if b > 150 and r < 180 and g < 180)
