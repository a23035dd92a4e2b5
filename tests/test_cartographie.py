"""What the maps show (rebond_core.cartographie), without Streamlit nor boundary files: expectations by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rebond_core import cartographie, geo

N = "\u00a0"

TERRITOIRES = pd.DataFrame(
    {
        "nom": ["Douaisis", "Morlaix", "Sans aide"],
        "epci": [["200044618", "245900428"], ["242900835"], ["245900428", "200000001"]],
        "aides_engagees_eur": [1_250_000.0, 62_000_000.0, 0.0],
        "taux_enveloppe": [0.5, float("nan"), 0.0],
        "projets": [100, 7, 0],
    }
)


def test_valeurs_par_epci_en_millions() -> None:
    valeurs = cartographie.valeurs_par_epci(TERRITOIRES, "aides_engagees_eur")
    assert valeurs.to_dict("records") == [
        {"siren": "200044618", "territoire": "Douaisis", "valeur": 1.25, "texte": f"Aides engagées : 1,25{N}M€"},
        {"siren": "245900428", "territoire": "Douaisis", "valeur": 1.25, "texte": f"Aides engagées : 1,25{N}M€"},
        {"siren": "242900835", "territoire": "Morlaix", "valeur": 62.0, "texte": f"Aides engagées : 62,0{N}M€"},
        # 245900428 already belongs to Douaisis: kept once
        {"siren": "200000001", "territoire": "Sans aide", "valeur": 0.0, "texte": f"Aides engagées : 0{N}€"},
    ]


def test_valeurs_par_epci_taux_sans_valeur_omis() -> None:
    valeurs = cartographie.valeurs_par_epci(TERRITOIRES, "taux_enveloppe")
    assert list(valeurs["siren"]) == ["200044618", "245900428", "200000001"]  # Morlaix has no rate
    assert list(valeurs["valeur"]) == [50.0, 50.0, 0.0]  # in % on the colour bar
    assert valeurs["texte"][0] == f"Part de l'enveloppe engagée : 50,0{N}%"


def test_indicateurs_de_la_carte_du_registre() -> None:
    projets = cartographie.INDICATEURS_CARTE["projets"]
    assert (projets.libelle, projets.titre_echelle) == ("Projets détectés", "projets")
    assert projets.explication.startswith("Nombre de projets détectés")  # the registry's "mode de calcul"


def test_coordonnees_des_contours() -> None:
    collection = {
        "features": [
            {"geometry": {"type": "Polygon", "coordinates": [[[1.0, 44.0], [2.0, 44.0], [2.0, 45.0], [1.0, 44.0]]]}},
            {"geometry": {"type": "MultiPolygon", "coordinates": [[[[1.5, 44.5], [1.6, 44.6], [1.5, 44.5]]]]}},
        ]
    }
    lons, lats = geo.coordonnees(collection)
    assert (len(lons), min(lons), max(lons), min(lats), max(lats)) == (7, 1.0, 2.0, 44.0, 45.0)


TABLEAU = pd.DataFrame(
    {
        "id_site": ["S-1", "S-2", "S-3", "S-4"],
        "nom": ["Zone <A> & B", "Zone C", "Zone D", "Zone E"],
        "commune": ["59178", "59178", "29151", "99999"],
        "commune_nom": ["Douai", "Douai", None, "Nulle part"],
        "retenu": [True, False, True, True],
        "rang": pd.array([1, None, 2, 3], dtype="Int64"),
        "score": [85.04, 40.0, 60.0, 50.0],
        "motif": [None, "non évalué", None, None],
    }
)
CENTRES = {"59178": (3.0, 60.0), "29151": (-3.8, 48.6)}


def test_points_des_sites() -> None:
    points = cartographie.points_sites(TABLEAU, CENTRES).set_index("id_site")
    assert list(points.index) == ["S-1", "S-2", "S-3"]  # S-4's commune is not in the boundaries
    # Two sites in Douai: on a circle of 0.012° around the centroid, 0.012 / cos(60°) = 0.024° of longitude.
    assert (points.loc["S-1", "lon"], points.loc["S-1", "lat"]) == (pytest.approx(3.024), pytest.approx(60.0))
    assert (points.loc["S-2", "lon"], points.loc["S-2", "lat"]) == (pytest.approx(2.976), pytest.approx(60.0))
    assert (points.loc["S-3", "lon"], points.loc["S-3", "lat"]) == (-3.8, 48.6)  # alone: at the centroid
    assert points.loc["S-1", "texte"] == "<b>Zone &lt;A&gt; &amp; B</b><br>Douai<br>rang 1, score 85,0"
    assert points.loc["S-2", "texte"] == "<b>Zone C</b><br>Douai<br>écarté : non évalué"
    assert points.loc["S-3", "texte"] == "<b>Zone D</b><br><br>rang 2, score 60,0"


def test_cadrage_des_points() -> None:
    points = pd.DataFrame({"lon": [2.0, 3.0], "lat": [48.0, 48.2]})
    zoom, centre = cartographie.cadrage_points(points)
    assert centre == {"lon": pytest.approx(2.5), "lat": pytest.approx(48.1)}
    assert zoom == pytest.approx(math.log2(300 / 1.0))  # extent max(1°, 0.2° × 1.5)
    zoom_serre, _ = cartographie.cadrage_points(pd.DataFrame({"lon": [2.0], "lat": [48.0]}))
    assert zoom_serre == 11.0  # one point: the closest zoom
