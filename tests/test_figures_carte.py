"""The EPCI maps' figure (figures.carte_epci): SVG choropleths on a geo subplot without any base layer,
framed on the shapes drawn (every vertex inside the ranges plotly clips to), on small hand-made shapes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from rebond_core import figures


def _carre(code: str, lon: float, lat: float, cote: float, nom: str = "") -> dict[str, Any]:
    anneau = [[lon, lat], [lon, lat + cote], [lon + cote, lat + cote], [lon + cote, lat], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"code": code, "nom": nom},
        "geometry": {"type": "Polygon", "coordinates": [anneau]},
    }


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


REGIONS = _collection(
    _carre("32", 2.0, 49.0, 2.0, "Hauts-de-France"),
    _carre("01", -7.7, 45.0, 0.5, "Guadeloupe"),  # overseas, brought west of mainland France
    {
        "type": "Feature",
        "properties": {"code": "94", "nom": "Corse"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[[[8.5, 41.4], [9.5, 41.4], [9.5, 43.0], [8.5, 41.4]]]]},
    },
)
EPCI = _collection(_carre("200044618", 3.0, 50.3, 0.2))
VALEURS = pd.DataFrame(
    {"siren": ["200044618"], "territoire": ["Douaisis <b>"], "valeur": [2.5], "texte": ["Aides : 2,5 M€"]}
)


def carte(*args: Any, **kwargs: Any) -> go.Figure:
    """figures.carte_epci's plain figure, validated by plotly (an unknown or mistyped property fails)."""
    return go.Figure(figures.carte_epci(*args, **kwargs))


def test_carte_nationale_en_svg_sans_fond_et_cadree_sur_toutes_les_regions() -> None:
    figure = carte(VALEURS, EPCI, REGIONS, "M€", "%{customdata[1]}")
    assert [t.type for t in figure.data] == ["choropleth", "choropleth"]  # SVG: no choroplethmap (WebGL)
    geo = figure.layout.geo
    assert geo.visible is False and geo.projection.type == "mercator"
    (lon0, lon1), (lat0, lat1) = geo.lonaxis.range, geo.lataxis.range
    assert lon0 < -7.7 and lon1 > 9.5 and lat0 < 41.4 and lat1 > 51.0  # overseas and Corsica inside, uncut
    marges = 0.1 * (9.5 + 7.7)  # and not a small map: a margin of less than 5 % of the width on each side
    assert lon1 - lon0 < 9.5 + 7.7 + marges and lat1 - lat0 < 51.0 - 41.4 + marges
    regions, epci = figure.data
    assert list(regions.locations) == ["32", "01", "94"] and regions.featureidkey == "properties.code"
    assert list(epci.locations) == ["200044618"] and epci.colorbar.title.text == "M€"
    assert epci.customdata[0][0] == "Douaisis &lt;b&gt;"  # the name as typed on hover
    assert list(epci.z) == [2.5] and epci.showscale is True and epci.colorscale[-1][1] == figures.BLEU_FRANCE


def test_les_contours_ne_sont_pas_recopies() -> None:
    """The boundaries are the cached layers themselves (plotly's figure objects copied them twice a rerun)."""
    figure = figures.carte_epci(VALEURS, EPCI, REGIONS, "M€", "%{customdata[1]}")
    assert figure["data"][0]["geojson"] is REGIONS and figure["data"][1]["geojson"] is EPCI


def test_carte_d_un_territoire_cadree_sur_ses_epci_d_une_seule_couleur() -> None:
    figure = carte(VALEURS, EPCI, None, "", "%{customdata[1]}", uni=True)
    assert [t.type for t in figure.data] == ["choropleth"]
    assert figure.data[0].showscale is False
    assert {couleur for _, couleur in figure.data[0].colorscale} == {figures.BLEU_CLAIR}
    (lon0, lon1), (lat0, lat1) = figure.layout.geo.lonaxis.range, figure.layout.geo.lataxis.range
    assert lon0 < 3.0 and lon1 > 3.2 and lat0 < 50.3 and lat1 > 50.5
    assert lon1 - lon0 < 0.25 and lat1 - lat0 < 0.25  # zoomed on its EPCI


def test_sans_valeur_seules_les_regions() -> None:
    figure = carte(VALEURS.iloc[0:0], _collection(), REGIONS, "M€", "%{customdata[1]}")
    assert [t.type for t in figure.data] == ["choropleth"]
    assert figure.data[0].marker.line.color == figures.GRIS_BORDURE


def test_topojson_vide_lu_par_le_navigateur_seul() -> None:
    """plotly.js appends "/world_110m.json" to topojsonURL: after the "#" it is a fragment, never fetched."""
    from urllib.parse import unquote

    assert figures.TOPOJSON_VIDE.startswith("data:application/json,") and figures.TOPOJSON_VIDE.endswith("#")
    assert unquote(figures.TOPOJSON_VIDE.split(",", 1)[1].rstrip("#")) == '{"type":"Topology","objects":{},"arcs":[]}'
