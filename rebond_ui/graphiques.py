"""The charts: a plotly figure drawn by plotly.js in the page, through one Streamlit component.

Why not `st.plotly_chart`: Streamlit ships the whole plotly.js (4,7 Mo, about 1 s to load on this kind of
machine before the first chart shows) and identifies a chart by a hash of its figure, so every filter change
destroys and re-creates every chart. Here the page loads `static/plotly-rebond.min.js` once (plotly.js 4.1.1
reduced to the traces the dashboard draws: 1,4 Mo, built by `make plotly` from `deploiement/plotly/`), a
chart keeps its place across reruns (its `key`) and a new figure is drawn over the old one by `Plotly.react`.
The sites map (WebGL, MapLibre) stays with `st.plotly_chart`.

The look follows the app's theme as Streamlit's own plotly theme does (THEME below: colours of
.streamlit/config.toml, Marianne, grey axes). Trusted code only: the component's JavaScript is this
module's constant; figures carry data as plotly data (texts escaped by rebond_core.figures.echapper), never
as markup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

FICHIER_PLOTLY = Path(__file__).resolve().parent.parent / "static" / "plotly-rebond.min.js"

_GRIS = "#808495"
_TRAIT = "#e6eaf1"
_POLICE = 'Marianne, Arial, sans-serif, "Source Sans", sans-serif'
# The values Streamlit's plotly theme gives these charts with .streamlit/config.toml (read from the page).
THEME = go.layout.Template(
    layout={
        "colorway": ["#000091", "#417DC4", "#009081", "#C3992A", "#A558A0", "#E4794A", "#929292"],
        "font": {"color": _GRIS, "family": _POLICE, "size": 12},
        "title": {"font": {"family": _POLICE, "size": 16, "color": "#161616"}, "pad": {"l": 4}, "x": 0},
        "legend": {"font": {"size": 12, "color": "#262730"}, "title": {"font": {"size": 12, "color": _GRIS}}},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "xaxis": {
            "gridcolor": _TRAIT,
            "zerolinecolor": _TRAIT,
            "tickcolor": _TRAIT,
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "tickfont": {"color": _GRIS, "size": 12},
            "title": {"font": {"color": _GRIS, "size": 14}, "standoff": 20},
        },
        "yaxis": {
            "gridcolor": _TRAIT,
            "zerolinecolor": _TRAIT,
            "tickcolor": _TRAIT,
            "automargin": True,
            "ticklabelposition": "outside",
            "tickfont": {"color": _GRIS, "size": 12},
            "title": {"font": {"color": _GRIS, "size": 14}, "standoff": 24},
        },
        "margin": {"pad": 8, "r": 0, "l": 0},
        "hoverlabel": {
            "bgcolor": "#FFFFFF",
            "bordercolor": "rgba(22, 22, 22, 0.2)",
            "font": {"color": _GRIS, "family": _POLICE, "size": 12},
        },
        "coloraxis": {
            "colorbar": {
                "thickness": 16,
                "outlinewidth": 0,
                "tickfont": {"color": _GRIS, "size": 12},
                "title": {"font": {"color": _GRIS, "size": 14}},
            }
        },
    }
)

# Loads plotly.js once per page (a <script>, shared by every chart), then draws or redraws the figure in
# this chart's own div. `data-dessine` says which figure is on screen: the tests and the bench wait for it.
_JS = """
const CHARTS = new WeakMap();

function plotly(url) {
  if (!window.__rebondPlotly) {
    window.__rebondPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : script.onerror());
      script.onerror = () => { window.__rebondPlotly = null; reject(new Error(url)); };
      document.head.appendChild(script);
    });
  }
  return window.__rebondPlotly;
}

export default function (component) {
  const { data, parentElement } = component;
  let chart = CHARTS.get(parentElement);
  if (!chart) {
    const div = document.createElement("div");
    div.className = "rebond-graphique";
    parentElement.appendChild(div);
    chart = { div, observer: null, largeur: 0 };
    CHARTS.set(parentElement, chart);
  }
  const div = chart.div;
  const figure = JSON.parse(data.figure);
  const version = data.version;
  div.dataset.demande = version;
  if (!div.dataset.dessine && figure.layout && figure.layout.height) {
    div.style.minHeight = figure.layout.height + "px";  // the chart's room, kept while plotly.js loads
  }
  const echec = (raison) => {
    div.dataset.erreur = version;
    div.textContent = "Graphique indisponible : " + raison;
  };
  plotly(data.plotly).then((Plotly) => {
    if (div.dataset.demande !== version) return null;
    if (div.dataset.erreur) {  // drawn again after a failure: from a clean div
      Plotly.purge(div);
      div.textContent = "";
      delete div.dataset.erreur;
    }
    const config = Object.assign({ locale: "fr", displaylogo: false }, data.config);
    return Plotly.react(div, figure.data, figure.layout, config).then(() => {
      div.style.minHeight = "";
      if (!chart.observer) {  // a narrower or wider column (sidebar, window): redraw at the new width
        chart.largeur = div.clientWidth;
        chart.observer = new ResizeObserver(() => {
          if (div._fullLayout && div.clientWidth !== chart.largeur) {
            chart.largeur = div.clientWidth;
            Plotly.Plots.resize(div);
          }
        });
        chart.observer.observe(div);
      }
      if (div.dataset.demande === version) div.dataset.dessine = version;
    });
  }, () => echec("le code de dessin n'a pas pu être chargé. Rechargez la page.")).catch((erreur) => {
    console.error(erreur);
    echec("la figure n'a pas pu être dessinée.");
  });
  return () => {  // the chart leaves the page: nothing pending may draw into it any more
    delete div.dataset.demande;
    if (chart.observer) chart.observer.disconnect();
    if (window.Plotly) window.Plotly.purge(div);
    div.remove();
    CHARTS.delete(parentElement);
  };
}
"""

_COMPOSANT = st.components.v2.component("rebond_graphique", js=_JS, isolate_styles=False)


@cache
def _theme() -> dict[str, Any]:
    return THEME.to_plotly_json()


def _en_json(figure: go.Figure | Mapping[str, Any]) -> str:
    """The figure as plotly.js reads it, with THEME as its template. Not `update_layout(template=THEME)`:
    that validates the whole template again for each chart (1,4 ms, 10 ms on a map)."""
    plat = figure.to_dict() if isinstance(figure, go.Figure) else figure
    disposition = {**plat.get("layout", {}), "template": _theme()}
    return pio.to_json({"data": plat.get("data", []), "layout": disposition}, validate=False)


@cache
def _adresse_plotly() -> str:
    """The bundle's URL under the app's static files, with its content hash so a new build is never stale."""
    empreinte = hashlib.sha256(FICHIER_PLOTLY.read_bytes()).hexdigest()[:16]
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/{FICHIER_PLOTLY.name}?v={empreinte}"


def graphique(figure: go.Figure | Mapping[str, Any], *, key: str, config: Mapping[str, Any] | None = None) -> None:
    """Draw `figure` (a go.Figure, or the plain dict of one: the maps, see figures.carte_epci) here, at the
    place named `key` (stable across reruns: a new figure redraws the same chart). `config`: plotly.js
    options (modebar, topojsonURL…)."""
    texte = _en_json(figure)
    donnees = {
        "figure": texte,
        "config": dict(config or {}),
        "version": hashlib.sha1(texte.encode(), usedforsecurity=False).hexdigest()[:16],
        "plotly": _adresse_plotly(),
    }
    _COMPOSANT(key=f"graphique_{key}", data=donnees)
