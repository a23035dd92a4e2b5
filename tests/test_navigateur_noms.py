"""Names full of HTML in a real browser: a territory, a project and a site imported with links, bold, images,
line breaks, styles, entities and plotly template variables in their names are drawn by every chart as
typed — legends, axis labels and map hover labels included — and no element of a chart is a link.

Plotly reads a subset of HTML in every text it draws; rebond_core.figures.echapper is what keeps a name a
name (the Markdown side is covered by test_navigateur_import.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from tests.outils.bases import copie_de
from tests.outils.classeurs import ecrire_classeur
from tests.outils.navigateur import MARQUES, attendre
from tests.outils.serveur import GEO, serveur_streamlit

pytestmark = MARQUES

NOM_TERRITOIRE = (
    '<a href="https://exemple.invalid/t">lien</a> <b>gras</b> <img src="https://exemple.invalid/t.png"> %{y} &amp; fin'
)
NOM_SITE = '<a href="https://exemple.invalid/s">site</a> <i>penché</i><br>%{x} <span style="color:red">rouge</span>'
EPCI = "246200729"  # CA du Boulonnais: no territory of the demonstration holds it
COMMUNE = "62160"  # Boulogne-sur-Mer
PAGES = (
    "/?region=32",
    "/territoire?territoire=piege",
    "/sites?territoire=piege&site=SIT-piege-1",
    "/a-suivre?territoire=piege",
    "/arbitrage?territoire=piege",
)
# Where a point of a map is on the screen: a site's marker, or a point inside an EPCI's shape.
POSITION_SITE = """(gd, rang) => {
  const trace = gd._fullData.find(t => t.type === 'scattermap' && rang < (t.lon || []).length);
  const carte = gd._fullLayout.map._subplot.map, r = carte.getCanvas().getBoundingClientRect();
  const p = carte.project([trace.lon[rang], trace.lat[rang]]);
  return [r.left + p.x, r.top + p.y];
}"""
# Where a point inside an EPCI's shape is on the screen, on the SVG maps of territories (plotly's geo
# subplot: one path per location, bound to its datum, whose `loc` is the EPCI's code), with the box of that
# path on the screen: [x, y, left, top, width, height], or null when the map has no such shape.
POSITION_EPCI = """(gd, code) => {
  const forme = [...gd.querySelectorAll('.geo path.choroplethlocation')].find(p => p.__data__.loc === code);
  if (!forme) return null;
  const b = forme.getBBox(), m = forme.getScreenCTM(), r = forme.getBoundingClientRect();
  for (let a = 1; a < 20; a++) for (let c = 1; c < 20; c++) {
    const x = b.x + b.width * ((a * 7) % 20) / 20, y = b.y + b.height * ((c * 11) % 20) / 20;
    if (forme.isPointInFill(new DOMPoint(x, y))) {
      const p = new DOMPoint(x, y).matrixTransform(m);
      return [p.x, p.y, r.left, r.top, r.width, r.height];
    } }
  return null;
}"""
# The codes of the region shapes (first trace of the national map) whose fill holds a point of the screen.
REGIONS_AU_POINT = """(gd, [x, y]) => [...gd.querySelector('.geo .trace').querySelectorAll('path.choroplethlocation')]
  .filter(p => p.isPointInFill(new DOMPoint(x, y).matrixTransform(p.getScreenCTM().inverse())))
  .map(p => p.__data__.loc)"""
HAUTS_DE_FRANCE = "32"


@pytest.fixture(scope="module")
def serveur_pieges(modele_base_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demonstration plus a territory, a project and two sites with booby-trapped names, imported
    through the real pipeline, served with the shared boundaries when present."""
    dossier = tmp_path_factory.mktemp("serveur_noms")
    chemin = copie_de(modele_base_demo, dossier)
    site = {"code_territoire": "piege", "commune": COMMUNE, "type_foncier": "friche", "maitrise_fonciere": "publique"}
    classeur = ecrire_classeur(
        dossier / "pieges.xlsx",
        {
            "territoires": [
                {
                    "code_territoire": "piege",
                    "nom": NOM_TERRITOIRE,
                    "releve": 1,
                    "region": "32",
                    "epci": EPCI,
                    "filieres": "automobile",
                    "statut_mission": "en_cours",
                    "cout_mission_eur": 0,
                    "enveloppe_aides_eur": 1_000_000,
                }
            ],
            "projets": [
                {
                    "id_projet": "PIEGE-1",
                    "code_territoire": "piege",
                    "intitule": NOM_SITE,
                    "entreprise": NOM_TERRITOIRE,
                    "filiere": "automobile",
                    "origine": "endogene",
                    "statut": "priorise",
                    "investissement_eur": 100_000,
                    "emplois_prevus": 3,
                    "aide_demandee_eur": 10_000,
                }
            ],
            "sites": [
                site | {"id_site": "SIT-piege-1", "nom": NOM_SITE, "surface_ha": 3, "score_energie": 4},
                site | {"id_site": "SIT-piege-2", "nom": "Second", "surface_ha": 2, "score_energie": 2},
            ],
        },
    )
    base = Base.ouvrir(chemin)
    try:
        assert importer(base, [classeur], "pièges").rapport.valide
    finally:
        base.fermer()
    with serveur_streamlit(chemin, dossier / "streamlit.log") as url:
        yield url


def _graphiques(page: Any) -> Any:
    return page.locator("[data-testid='stMain'] .js-plotly-plot")


def _survoler(page: Any, graphique: Any, position: list[float] | None) -> str:
    """The text of the hover label at `position` (plotly draws it in the chart's hover layer)."""
    assert position is not None
    page.mouse.move(position[0] + 1, position[1] + 1)
    page.mouse.move(position[0], position[1])
    couche = graphique.locator(".hoverlayer")
    couche.locator(".hovertext").first.wait_for(timeout=10_000)
    assert couche.locator("a").count() == 0  # the hover label holds no link
    return str(couche.text_content())


@pytest.mark.parametrize("chemin", PAGES)
def test_aucun_nom_ne_devient_lien_ni_balise(serveur_pieges: str, page: Any, chemin: str) -> None:
    """Every page showing the booby-trapped names: no link, image or styled text made of them, in the
    charts or anywhere else, and nothing requested from the host they name."""
    demandes: list[str] = []
    page.on("request", lambda r: demandes.append(r.url))
    page.goto(serveur_pieges + chemin)
    attendre(page)
    principal = page.locator("[data-testid='stMain']")
    assert page.locator("[data-testid='stException']").count() == 0
    assert _graphiques(page).count() > 0 or chemin.startswith("/a-suivre")  # that page has no chart
    assert _graphiques(page).locator("a, image, [style*='color:red'], [style*='color: red']").count() == 0
    assert principal.locator("a[href*='exemple.invalid'], img[src*='exemple.invalid']").count() == 0
    assert not [d for d in demandes if "exemple.invalid" in d]


def test_legende_et_survol_de_la_carte_des_sites(serveur_pieges: str, page: Any) -> None:
    page.goto(serveur_pieges + "/sites?territoire=piege&site=SIT-piege-1")
    attendre(page)
    profil = _graphiques(page).filter(has_text="Moyenne des autres sites").first
    assert NOM_SITE in profil.locator(".legendtext").all_text_contents()  # the legend reads as typed
    if not GEO.is_dir():
        pytest.skip("fonds de carte partagés absents : carte des sites non dessinée")
    carte = _graphiques(page).filter(has=page.locator(".maplibregl-canvas")).first
    carte.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    survols = [_survoler(page, carte, carte.evaluate(POSITION_SITE, rang)) for rang in (0, 1)]
    assert any(texte.startswith(NOM_SITE + "Boulogne-sur-Mer") for texte in survols), survols


@pytest.mark.skipif(not GEO.is_dir(), reason="fonds de carte partagés absents")
@pytest.mark.parametrize("chemin", ["/?region=32", "/territoire?territoire=piege"])
def test_survol_des_cartes_de_territoires(serveur_pieges: str, page: Any, chemin: str) -> None:
    """The EPCI maps are SVG (plotly's geo subplot, no WebGL canvas): the booby-trapped territory's EPCI is
    drawn where it lies (inside its region's shape on the national map, filling the frame on the territory's
    own map) and hovering it reads the name as typed."""
    page.goto(serveur_pieges + chemin)
    attendre(page)
    carte = _graphiques(page).filter(has=page.locator(".geo path.choroplethlocation")).first
    assert carte.locator("canvas").count() == 0  # drawn in SVG, not WebGL
    carte.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    position = carte.evaluate(POSITION_EPCI, EPCI)
    assert position is not None, "EPCI du territoire absent de la carte"
    x, y, _, _, largeur, hauteur = position
    if chemin.startswith("/?"):  # national map: among the regions, in Hauts-de-France and nowhere else
        assert carte.evaluate(REGIONS_AU_POINT, [x, y]) == [HAUTS_DE_FRANCE]
    else:  # the territory's map is zoomed on its one EPCI: it fills the frame's height or width
        cadre = carte.bounding_box()
        assert hauteur >= 0.8 * cadre["height"] or largeur >= 0.8 * cadre["width"], (position, cadre)
    assert _survoler(page, carte, [x, y]).startswith(NOM_TERRITOIRE)
