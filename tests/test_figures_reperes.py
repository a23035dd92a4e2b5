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
