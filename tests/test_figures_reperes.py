"""The reference lines of the figures (rebond_core.figures._ligne): the envelope on the aid trajectory, the
median on the territory comparison, the budget on the arbitrage curve."""

from __future__ import annotations

import plotly.graph_objects as go

from rebond_core import figures


def test_les_lignes_de_repere_sont_celles_de_plotly() -> None:
    """figures._ligne draws what add_vline / add_hline draw (same shapes), without their 3 ms a call."""
    for axe, valeur, trait in (
        ("x", 0, {"color": figures.GRIS_TEXTE, "width": 1}),
        ("x", 2.5, {"color": figures.ROUGE_MARIANNE, "dash": "dot", "width": 1.5}),
        ("y", 90, {"color": figures.ROUGE_MARIANNE, "width": 1}),
    ):
        plotly_, nous = go.Figure(go.Bar(x=[1, 2], y=[1, 2])), go.Figure(go.Bar(x=[1, 2], y=[1, 2]))
        plotly_.add_vline(x=valeur, line=trait) if axe == "x" else plotly_.add_hline(y=valeur, line=trait)
        figures._ligne(nous, axe, valeur, trait)
        assert nous.to_dict()["layout"]["shapes"] == plotly_.to_dict()["layout"]["shapes"]


def test_dans_chaque_panneau_comme_add_vline() -> None:
    """On a two-row figure (the arbitrage curve), add_vline draws the line in both panels: so does _ligne."""
    from plotly.subplots import make_subplots

    plotly_, nous = (make_subplots(rows=2, cols=1, shared_xaxes=True) for _ in range(2))
    for figure in (plotly_, nous):
        figure.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
        figure.add_trace(go.Bar(x=[0.5], y=[1]), row=2, col=1)
    trait = {"color": figures.ROUGE_MARIANNE, "dash": "dot", "width": 1.5}
    plotly_.add_vline(x=0.45, line=trait)
    figures._ligne(nous, "x", 0.45, trait, ("", "2"))
    assert len(plotly_.layout.shapes) == 2
    assert nous.to_dict()["layout"]["shapes"] == plotly_.to_dict()["layout"]["shapes"]
