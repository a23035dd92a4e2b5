"""The charts' renderer (rebond_ui/graphiques.py): the reduced plotly.js covers every trace the figures draw
through it, the pinned versions agree, and a chart keeps its place across reruns while its figure changes."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline
from streamlit.testing.v1 import AppTest

from rebond_ui import graphiques

RACINE = Path(__file__).resolve().parent.parent
ENTREE = RACINE / "deploiement" / "plotly" / "entree.js"
# The sites map (MapLibre, WebGL) is drawn by st.plotly_chart (rebond_ui/cartes.carte_sites), not by the bundle.
TRACES_CARTE_SITES = {"scattermap", "choroplethmap"}


def traces_des_figures() -> set[str]:
    """The plotly trace types rebond_core/figures.py builds: `go.Bar(` → "bar", and the plain figures'
    `"type": "choropleth"`."""
    source = (RACINE / "rebond_core" / "figures.py").read_text(encoding="utf-8")
    objets = {nom.lower() for nom in re.findall(r"\bgo\.([A-Z][a-z]+)\(", source)} - {"figure"}
    return objets | set(re.findall(r'"type": "([a-z]+)",\n', source))


def traces_du_paquet() -> set[str]:
    """The trace types registered in the bundle's entry, plus scatter (always in plotly's core)."""
    entree = ENTREE.read_text(encoding="utf-8")
    return set(re.findall(r"require\('plotly\.js/lib/([a-z]+)'\)", entree)) | {"scatter"}


def test_le_paquet_reduit_dessine_toutes_les_traces_des_figures() -> None:
    figures = traces_des_figures()
    assert {"bar", "funnel", "scatter", "choropleth", "scattermap"} <= figures  # the scan reads the module
    assert figures - TRACES_CARTE_SITES <= traces_du_paquet()
    assert not TRACES_CARTE_SITES & traces_du_paquet()  # MapLibre would triple the bundle


def test_seule_la_carte_des_sites_passe_par_st_plotly_chart() -> None:
    """Any other st.plotly_chart would bring Streamlit's 4,7 Mo plotly.js back onto its page."""
    appels = []
    for fichier in sorted([*(RACINE / "pages").glob("*.py"), *(RACINE / "rebond_ui").glob("*.py")]):
        for ligne in fichier.read_text(encoding="utf-8").splitlines():
            if "plotly_chart(" in ligne:
                appels.append((fichier.name, ligne.strip()))
    assert len(appels) == 1 and appels[0][0] == "cartes.py" and "figures.carte_sites(" in appels[0][1], appels


def test_versions_epinglees_concordantes() -> None:
    """The bundle is built from the plotly.js that plotly (Python) writes its figures for."""
    version = plotly.offline.get_plotlyjs_version()
    paquet = json.loads((RACINE / "deploiement" / "plotly" / "package.json").read_text(encoding="utf-8"))
    assert paquet["dependencies"]["plotly.js"] == version
    premiere_ligne = graphiques.FICHIER_PLOTLY.read_text(encoding="utf-8").split("\n", 1)[0]
    assert f"plotly.js {version} " in premiere_ligne
    verrou = json.loads((RACINE / "deploiement" / "plotly" / "package-lock.json").read_text(encoding="utf-8"))
    assert verrou["packages"]["node_modules/plotly.js"]["version"] == version
    assert graphiques.FICHIER_PLOTLY.stat().st_size < 2_000_000  # reduced: the full plotly.js is 4,8 Mo


def test_le_paquet_est_servi_par_streamlit() -> None:
    """Streamlit serves the folder `static` beside the entry point at /app/static/ when told to."""
    reglages = tomllib.loads((RACINE / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert reglages["server"]["enableStaticServing"] is True
    assert graphiques.FICHIER_PLOTLY.parent == RACINE / "static"


def _script_deux_figures() -> None:
    import plotly.graph_objects as go  # noqa: PLC0415 — AppTest runs this function's source alone
    import streamlit as st  # noqa: PLC0415

    from rebond_ui import graphiques  # noqa: PLC0415

    hauteur = st.session_state.get("hauteur", 3)
    figure = go.Figure(go.Bar(x=["Naval", "Ferroviaire"], y=[hauteur, 5]))
    graphiques.graphique(figure, key="essai", config={"displayModeBar": False})


def _donnees(at: AppTest) -> tuple[str, dict[str, object]]:
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == "rebond_graphique"]
    return element.proto.id, json.loads(element.proto.json)


def test_meme_graphique_nouvelle_figure() -> None:
    at = AppTest.from_function(_script_deux_figures).run()
    assert not at.exception
    ident, premieres = _donnees(at)
    figure = json.loads(str(premieres["figure"]))
    assert figure["data"][0]["y"] == [3, 5]
    assert figure["layout"]["template"]["layout"]["colorway"][0] == "#000091"  # the app's theme, not plotly's
    assert premieres["config"] == {"displayModeBar": False}
    empreinte = hashlib.sha256(graphiques.FICHIER_PLOTLY.read_bytes()).hexdigest()[:16]
    assert premieres["plotly"] == f"/app/static/plotly-rebond.min.js?v={empreinte}"

    at.run()  # the same figure again: the same version, nothing to redraw
    assert _donnees(at) == (ident, premieres)

    at.session_state["hauteur"] = 4
    at.run()
    ident_apres, apres = _donnees(at)
    assert ident_apres == ident  # the same chart in the page (its key), so plotly.js redraws it in place
    assert json.loads(str(apres["figure"]))["data"][0]["y"] == [4, 5]
    assert apres["version"] != premieres["version"]


def test_une_figure_en_dict_est_envoyee_avec_le_theme_sans_etre_modifiee() -> None:
    """The maps come as plain dicts (figures.carte_epci): same template as a go.Figure, the dict untouched
    (it holds the cached boundaries, shared by every session)."""
    figure = {"data": [{"type": "bar", "y": [1]}], "layout": {"height": 200}}
    lu = json.loads(graphiques._en_json(figure))
    theme = json.loads(json.dumps(graphiques.THEME.to_plotly_json()))
    assert lu == {"data": [{"type": "bar", "y": [1]}], "layout": {"height": 200, "template": theme}}
    assert figure == {"data": [{"type": "bar", "y": [1]}], "layout": {"height": 200}}
    objet = go.Figure(go.Bar(y=[1]), layout={"height": 200})
    assert json.loads(graphiques._en_json(objet))["layout"]["template"] == theme  # not plotly's default
    assert objet.layout.template.layout.colorway != graphiques.THEME.layout.colorway  # the figure untouched
