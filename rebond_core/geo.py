"""Boundaries read at run time from the folder named by REBOND_GEO_DIR (never copied into the project), and
the framing arithmetic of the maps (zoom for a set of points, the vertices of a collection)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

FICHIERS = {
    "regions": "regions-drom-rapproches.geojson",
    "epci": "epci-drom-rapproches.geojson",
    "epci_reels": "epci.geojson",
    "communes": "communes-centroides.geojson",
}
CREDIT_FONDS = (
    "Fonds de carte : IGN – Admin Express COG 2018 (via france-geojson, G. David), simplifiés ; "
    "codes et périmètres : INSEE COG 2026, DGCL EPCI 2026 (via Etalab) — Licence Ouverte / Etalab."
)


def dossier_geo() -> Path | None:
    """The boundaries folder, or None when REBOND_GEO_DIR is unset or does not hold the files."""
    valeur = os.environ.get("REBOND_GEO_DIR")
    if not valeur:
        return None
    dossier = Path(valeur)
    return dossier if all((dossier / f).is_file() for f in FICHIERS.values()) else None


@cache
def _charger(chemin: Path) -> dict[str, Any]:
    return json.loads(chemin.read_text(encoding="utf-8"))


def couche(nom: str, codes: set[str] | None = None) -> dict[str, Any] | None:
    """A GeoJSON layer (optionally reduced to the features whose `code` is in `codes`), or None."""
    dossier = dossier_geo()
    if dossier is None:
        return None
    donnees = _charger(dossier / FICHIERS[nom])
    if codes is None:
        return donnees
    return {
        "type": "FeatureCollection",
        "features": [f for f in donnees["features"] if f["properties"].get("code") in codes],
    }


def centroides_communes() -> dict[str, tuple[float, float]] | None:
    """INSEE commune code → (longitude, latitude) of its centroid, or None without boundaries."""
    dossier = dossier_geo()
    if dossier is None:
        return None
    resultat: dict[str, tuple[float, float]] = {}
    for feature in _charger(dossier / FICHIERS["communes"])["features"]:
        for code, (lon, lat) in zip(feature["properties"]["codes"], feature["geometry"]["coordinates"], strict=False):
            resultat[code] = (lon, lat)
    return resultat


def cadrage(lons: Sequence[float], lats: Sequence[float]) -> tuple[float, dict[str, float]]:
    """Zoom and centre of a map that shows every point given, with a margin: the one rule of every map.

    Web Mercator with 512-pixel tiles: 360° span 512·2^zoom pixels; the extent (latitudes weighted 1.5
    for their stretch at French latitudes, at least 0.05°) is kept within ~300 px of a 560-pixel map."""
    centre = {"lon": (min(lons) + max(lons)) / 2, "lat": (min(lats) + max(lats)) / 2}
    etendue = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.5, 0.05)
    return max(4.0, min(11.0, math.log2(300 / etendue))), centre


def coordonnees(collection: dict[str, Any]) -> tuple[list[float], list[float]]:
    """Every vertex of a GeoJSON FeatureCollection, as longitudes and latitudes."""
    lons: list[float] = []
    lats: list[float] = []

    def parcourir(element: object) -> None:
        if isinstance(element, list) and element and isinstance(element[0], (int, float)):
            lons.append(float(element[0]))
            lats.append(float(element[1]))
        elif isinstance(element, list):
            for sous in element:
                parcourir(sous)

    for feature in collection["features"]:
        parcourir(feature["geometry"]["coordinates"])
    return lons, lats
