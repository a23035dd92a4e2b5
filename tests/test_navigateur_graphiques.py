"""The charts in a real browser: drawn by the reduced plotly.js (never Streamlit's own), redrawn in place
when a filter changes, and a French message when the drawing code cannot be loaded."""

from __future__ import annotations

from typing import Any

from tests.outils.navigateur import MARQUES, attendre, attendre_graphiques
from tests.test_graphiques import TRACES_CARTE_SITES, traces_des_figures

pytestmark = MARQUES

GRAPHIQUES = "[data-testid='stMain'] .rebond-graphique"
# The overview's charts: two envelope gauges, laureates by relève, payments, aid trajectory, filières, map.
CLES_VUE_ENSEMBLE = {"jauge_aides", "jauge_inge", "releves", "versements", "trajectoire", "filieres"}


def _cles(page: Any) -> list[str]:
    """The keys of the charts on the page (Streamlit marks each element's container with `st-key-<key>`)."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)].map(d => {
             const c = d.closest('[class*="st-key-graphique_"]');
             return c ? [...c.classList].find(k => k.startsWith('st-key-graphique_')).slice(17) : null;
           })""",
        GRAPHIQUES,
    )


def test_la_vue_d_ensemble_dessinee_par_le_plotly_reduit(serveur: str, page: Any) -> None:
    demandes: list[str] = []
    page.on("request", lambda r: demandes.append(r.url))
    page.goto(serveur + "/")
    attendre(page)
    assert CLES_VUE_ENSEMBLE <= set(_cles(page))
    dessins = page.evaluate(
        """sel => [...document.querySelectorAll(sel)].map(d =>
             [d.classList.contains('js-plotly-plot'), d.querySelectorAll('.main-svg').length > 0])""",
        GRAPHIQUES,
    )
    assert dessins and all(a and b for a, b in dessins)
    assert not [d for d in demandes if "PlotlyChart" in d]  # Streamlit's plotly.js chunk never loaded
    assert len([d for d in demandes if "/app/static/plotly-rebond.min.js?v=" in d]) == 1  # once for all charts
    version, traces = page.evaluate("[Plotly.version, Object.keys(Plotly.PlotSchema.get().traces)]")
    assert version == "4.1.1"
    assert traces_des_figures() - TRACES_CARTE_SITES <= set(traces)
    # French locale: the modebar's tooltips (the gauges have none; the trajectory has one)
    assert page.locator(f"{GRAPHIQUES} .modebar-btn[data-title='Réinitialiser les axes']").count() >= 1


def test_un_filtre_redessine_les_memes_graphiques(serveur: str, page: Any) -> None:
    page.goto(serveur + "/")
    attendre(page)
    avant = page.evaluate(
        """sel => [...document.querySelectorAll(sel)].map((d, i) => { d.__rebond = i; return d.dataset.dessine; })""",
        GRAPHIQUES,
    )
    cles = _cles(page)
    liste = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text="Région").first
    liste.locator("input").click()
    page.get_by_role("option", name="Bretagne", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('region=53')", timeout=30_000)
    attendre(page)
    attendre_graphiques(page)
    apres = page.evaluate(
        "sel => [...document.querySelectorAll(sel)].map(d => [d.__rebond, d.dataset.dessine])", GRAPHIQUES
    )
    assert _cles(page) == cles
    assert [marque for marque, _ in apres] == list(range(len(avant)))  # the same nodes: redrawn, not re-created
    changes = {cle for cle, (_, version), ancienne in zip(cles, apres, avant, strict=True) if version != ancienne}
    assert {"filieres", "releves", "jauge_aides"} <= changes  # Bretagne's figures, not the whole programme's
    filieres = page.locator(".st-key-graphique_filieres .rebond-graphique")
    assert filieres.evaluate("d => d.data.length") > 0


def test_sans_le_code_de_dessin_un_message_en_francais(serveur: str, page: Any) -> None:
    page.route("**/app/static/plotly-rebond.min.js*", lambda route: route.abort())
    page.goto(serveur + "/")
    page.get_by_text("Sources : AMI").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "sel => { const d = [...document.querySelectorAll(sel)]; "
        "return d.length >= 6 && d.every(x => x.dataset.erreur); }",
        arg=GRAPHIQUES,
        timeout=60_000,
    )
    message = page.locator(GRAPHIQUES).first.inner_text()
    assert message.startswith("Graphique indisponible : le code de dessin n'a pas pu être chargé.")
    assert page.locator("[data-testid='stException']").count() == 0


# Whether an element is painted: false inside the content of a `content-visibility: auto` box out of sight.
PEINT = "e => e.checkVisibility({contentVisibilityAuto: true})"


def test_hors_de_l_ecran_un_graphique_n_est_peint_qu_en_approchant_et_a_sa_taille(serveur: str, page: Any) -> None:
    """rebond_ui/composants.py: charts and tables out of sight are drawn by plotly.js but not painted; once
    scrolled to, they are painted at the size of their figure (not the 400 px counted before)."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(serveur + "/")
    attendre(page)
    premier = page.locator(".st-key-graphique_jauge_aides .rebond-graphique")
    carte = page.locator(".st-key-graphique_carte_nationale .rebond-graphique")
    tableau = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").last
    assert premier.evaluate(PEINT)  # on screen
    assert not carte.evaluate(PEINT) and not tableau.evaluate(PEINT)  # far below: drawn, not painted
    for element in (carte, tableau):
        element.scroll_into_view_if_needed()
        page.wait_for_function(PEINT, arg=element.element_handle(), timeout=10_000)
    hauteur, attendue = carte.evaluate("d => [d.getBoundingClientRect().height, d._fullLayout.height]")
    assert abs(hauteur - attendue) < 1
    assert tableau.bounding_box()["height"] > 300  # its own height (ten rows and more), not a collapsed box
