"""Plotly figures, built by pure functions (data in, figure out), in the État's palette and French formats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go

from rebond_core import formats, geo
from rebond_core.domaine import FILIERES, STATUTS_PROJET

# The palette (État's design system); the theme's categorical colours are in .streamlit/config.toml.
BLEU_FRANCE = "#000091"
BLEU_CUMULUS = "#417DC4"
BLEU_CLAIR = "#8585F6"
BLEU_PALE = "#E3E3FD"
BLEU_CONTOUR = "#9A9AFF"
ROUGE_MARIANNE = "#E1000F"
OCRE = "#C3992A"
GRIS_TEXTE = "#3A3A3A"
GRIS_MOYEN = "#929292"
GRIS_BORDURE = "#BBBBBB"
GRIS_CLAIR = "#E5E5E5"
GRIS_FOND = "#F6F6F6"
VERT_ROBUSTE, FOND_ROBUSTE = "#18753C", "#B8FEC9"
ORANGE_FRAGILE, FOND_FRAGILE = "#B34000", "#FFE9E6"
COULEURS_STATUTS = {
    "identifie": "#CACAFB",
    "priorise": BLEU_CLAIR,
    "depose": BLEU_CUMULUS,
    "accorde": BLEU_FRANCE,
    "refuse": "#CE614A",
    "abandonne": GRIS_MOYEN,
}
ECHELLE_CARTE = [[0.0, "#CACAFB"], [0.5, "#6A6AF4"], [1.0, BLEU_FRANCE]]
POLICE = "Marianne, Arial, sans-serif"

# Plotly reads a subset of HTML in every text it draws (titles, legends, hover labels, axis ticks,
# annotations: <a href>, <b>, <br>, <span style>, entities), and `%{…}` in hover templates. A text from the
# data (a name, a label of a grid file) goes through `echapper`: & < > become entities, which plotly turns
# back into the characters as plain text, and % its entity too, so that nothing is read as a template.
_ENTITES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;"})


def echapper(valeur: object) -> str:
    """A text from the data as plotly must draw it: exactly as typed (never a link, markup or template)."""
    return "" if valeur is None else str(valeur).translate(_ENTITES)


def _echappes(valeurs: Any) -> list[str]:
    """`echapper` on each value of a column or list."""
    return [echapper(v) for v in valeurs]


def _disposition(hauteur: int = 360, **autres: Any) -> dict[str, Any]:
    """The common layout (size, French separators, font, margins, legend), `autres` replacing any of its
    entries."""
    return {
        "height": hauteur,
        "separators": ", ",
        "font": {"family": POLICE, "size": 14, "color": GRIS_TEXTE},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        "hoverlabel": {"font": {"family": POLICE}},
    } | autres


def _mise_en_page(figure: go.Figure, hauteur: int = 360, **autres: Any) -> go.Figure:
    """The common layout (`_disposition`) and grid colours. Set property by property: no figure function
    sets these entries before, so this is what update_layout gives, without its update machinery (the
    layout cost 4 ms a figure)."""
    disposition = figure.layout
    for cle, valeur in _disposition(hauteur, **autres).items():
        disposition[cle] = valeur
    for axe in [*figure.select_xaxes(), *figure.select_yaxes()]:
        axe.gridcolor = GRIS_CLAIR
        axe.zerolinecolor = GRIS_CLAIR
    return figure


def segments_aides(valeurs: Mapping[str, Any], alloue_non_engage: bool = False) -> list[tuple[str, float, str]]:
    """The segments of an aid gauge from the indicator values: subsidies and repayable advances granted,
    then (for the national gauge) what is allocated to the territories but not engaged yet."""
    segments = [
        ("Subventions", float(valeurs["enveloppe_aides.subventions_eur"]), BLEU_FRANCE),
        ("Avances remboursables", float(valeurs["enveloppe_aides.avances_eur"]), BLEU_CUMULUS),
    ]
    if alloue_non_engage:
        reste = float(valeurs["enveloppe_aides.alloue_eur"]) - float(valeurs["enveloppe_aides.engage_eur"])
        segments.append(("Alloué non engagé", max(0.0, reste), BLEU_PALE))
    return segments


# The parts of the 90 M€ after the call (vues_suivi.repartition_enveloppe) and their colours.
COULEURS_REPARTITION = {
    "verse": BLEU_FRANCE,
    "engage_non_verse": BLEU_CUMULUS,
    "alloue_non_engage": BLEU_PALE,
    "autres_territoires": GRIS_BORDURE,
    "jamais_alloue": GRIS_CLAIR,
}


def segments_repartition(parts: Sequence[Any]) -> list[tuple[str, float, str]]:
    """The segments of the aid gauge from vues_suivi.repartition_enveloppe (code, libelle, montant_eur)."""
    return [(p.libelle, float(p.montant_eur), COULEURS_REPARTITION[p.code]) for p in parts]


def jauge_enveloppe(
    segments: list[tuple[str, float, str]], total: float, titre: str, reste: str | None = "Disponible"
) -> go.Figure:
    """One horizontal bar: consecutive segments (label, euros, colour) against the total envelope, then
    what is left of it under the label `reste` (no such segment when None)."""
    figure = go.Figure()
    for libelle, montant, couleur in segments:
        figure.add_trace(
            go.Bar(
                x=[montant / 1e6],
                y=[echapper(titre)],
                orientation="h",
                name=echapper(libelle),
                marker_color=couleur,
                hovertemplate=f"{echapper(libelle)} : %{{x:,.2f}} M€<extra></extra>",
            )
        )
    if reste is not None:
        figure.add_trace(
            go.Bar(
                x=[max(0.0, total - sum(m for _, m, _ in segments)) / 1e6],
                y=[echapper(titre)],
                orientation="h",
                name=echapper(reste),
                marker_color=GRIS_CLAIR,
                hovertemplate=f"{echapper(reste)} : %{{x:,.2f}} M€<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", showlegend=True)
    figure.update_xaxes(range=[0, max(total, sum(m for _, m, _ in segments)) / 1e6], ticksuffix=" M€")
    figure.update_yaxes(showticklabels=False)
    return _mise_en_page(figure, hauteur=150, margin={"l": 10, "r": 10, "t": 40, "b": 10})


# How a laureate's relève reads in the chart, by its provenance (referentiel's codes): published solid,
# hypothesis hatched in ochre, made up in grey.
BARRES_PROVENANCE = {
    "importe": ("Lauréats de la relève", BLEU_CLAIR, ""),
    "publie": ("Relève publiée", BLEU_CLAIR, ""),
    "hypothese": ("Relève supposée (hypothèse)", OCRE, "/"),
    "fictif": ("Relève fictive (démonstration)", GRIS_MOYEN, "x"),
}


def laureats_par_releve(df: pd.DataFrame, annonces: pd.DataFrame | None = None) -> go.Figure:
    """Bars: laureates per relève (split by the provenance of their relève when `df` has the columns of
    vues_suivi.laureats_par_provenance); line: cumulative count; with `annonces`
    (vues_suivi.laureats_annonces), the announced pace and the public milestones."""
    etiquettes = [f"R{n}" for n in df["releve"]]
    dates = [formats.date_fr(pd.Timestamp(d).date()) for d in df["date_limite"]]
    figure = go.Figure()
    colonnes: list[str | None] = [c for c in BARRES_PROVENANCE if c in df.columns and df[c].sum() > 0] or [None]
    for colonne in colonnes:
        nom, couleur, motif = BARRES_PROVENANCE[colonne or "importe"]
        figure.add_trace(
            go.Bar(
                x=etiquettes,
                y=df[colonne] if colonne else df["laureats"],
                name=nom,
                marker={"color": couleur, "pattern": {"shape": motif, "fgcolor": "white", "fillmode": "overlay"}},
                customdata=dates,
                hovertemplate=f"Relève %{{x}} (date limite %{{customdata}}) : %{{y}} lauréat(s)<extra>{nom}</extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=etiquettes,
            y=df["cumul"],
            name="Cumul",
            mode="lines+markers",
            line={"color": BLEU_FRANCE, "width": 3},
            hovertemplate="%{y} au total<extra></extra>",
        )
    )
    if annonces is not None:
        figure.add_trace(
            go.Scatter(
                x=etiquettes,
                y=annonces["annonce"],
                name="Rythme annoncé (une dizaine par an)",
                mode="lines",
                line={"color": GRIS_MOYEN, "dash": "dash"},
                hovertemplate="%{y:.0f} au rythme annoncé<extra></extra>",
            )
        )
        jalons = annonces[annonces["jalon"].notna()]
        figure.add_trace(
            go.Scatter(
                x=[f"R{n}" for n in jalons["releve"]],
                y=jalons["jalon"].astype(float),
                name="Annoncé publiquement",
                mode="markers",
                marker={"color": ROUGE_MARIANNE, "symbol": "diamond", "size": 11},
                customdata=_echappes(jalons["jalon_libelle"]),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    petit = float(max(df["cumul"].max(), 0 if annonces is None else annonces["annonce"].max())) <= 10
    figure.update_yaxes(title="territoires", rangemode="tozero", **({"dtick": 1} if petit else {}))
    figure.update_xaxes(tickangle=0, tickfont={"size": 12}, title="relève (R1 : 01/10/2022, puis tous les 4 mois)")
    return _mise_en_page(figure, hauteur=400)


def trajectoire_aides(
    df: pd.DataFrame,
    trajectoire: tuple[tuple[date, float], tuple[date, float]],
    epuisement: date | None,
    engage_total: float,
    reference: date,
    cloture: date | None = None,
) -> go.Figure:
    """Cumulative aid engaged by decision date, the straight path to the call's closing, the reference date
    and the closing as vertical marks, and the projection (only when there is a projected date)."""
    figure = go.Figure()
    (debut, zero), (fin, total) = trajectoire
    figure.add_trace(
        go.Scatter(
            x=[debut, fin],
            y=[zero / 1e6, total / 1e6],
            mode="lines",
            name="Trajectoire linéaire jusqu'à la clôture",
            line={"color": GRIS_MOYEN, "dash": "dash"},
            hovertemplate="%{x|%d/%m/%Y} : %{y:,.1f} M€<extra>Trajectoire</extra>",
        )
    )
    if not df.empty:
        figure.add_trace(
            go.Scatter(
                x=[*pd.to_datetime(df["date_decision"]), pd.Timestamp(reference)],
                y=[*(df["cumul_eur"].astype(float) / 1e6), float(df["cumul_eur"].iloc[-1]) / 1e6],
                mode="lines",
                line_shape="hv",
                name="Aides engagées (cumul)",
                line={"color": BLEU_FRANCE, "width": 3},
                hovertemplate="%{x|%d/%m/%Y} : %{y:,.2f} M€<extra></extra>",
            )
        )
    if epuisement is not None:
        figure.add_trace(
            go.Scatter(
                x=[reference, epuisement],
                y=[engage_total / 1e6, total / 1e6],
                mode="lines",
                name="Projection au rythme des 12 mois",
                line={"color": ROUGE_MARIANNE, "dash": "dot"},
                hovertemplate="%{x|%d/%m/%Y} : %{y:,.1f} M€<extra>Projection</extra>",
            )
        )
    _repere(figure, reference, f"au {formats.date_fr(reference)}", GRIS_TEXTE, 0.98)
    if cloture is not None:
        _repere(figure, cloture, f"clôture de l'appel ({formats.date_fr(cloture)})", ROUGE_MARIANNE, 0.88)
    _ligne(figure, "y", total / 1e6, {"color": ROUGE_MARIANNE, "width": 1})
    figure.add_annotation(
        text="Enveloppe 90 M€",
        showarrow=False,
        xref="x domain",
        x=0,
        xanchor="left",
        yref="y",
        y=total / 1e6,
        yanchor="bottom",
    )
    figure.update_yaxes(title="M€", rangemode="tozero")
    figure.update_xaxes(tickformat="%m/%Y")
    return _mise_en_page(figure, hauteur=380)


def _ligne(figure: go.Figure, axe: str, valeur: float, trait: dict[str, Any], panneaux: Sequence[str] = ("",)) -> None:
    """A line across the plot at `valeur` of axis `axe` ("x": vertical, "y": horizontal), in each panel of
    `panneaux` (axis suffixes: "" for the first, "2" for the second of a make_subplots figure): what add_vline
    and add_hline draw, without their subplot machinery (3 ms a call)."""
    travers = "y" if axe == "x" else "x"
    for panneau in panneaux:
        figure.add_shape(
            type="line",
            line=trait,
            **{f"{axe}ref": f"{axe}{panneau}", f"{axe}0": valeur, f"{axe}1": valeur},
            **{f"{travers}ref": f"{travers}{panneau} domain", f"{travers}0": 0, f"{travers}1": 1},
        )


def _repere(figure: go.Figure, jour: date, texte: str, couleur: str, hauteur: float = 1.0) -> None:
    """A dotted vertical mark at `jour`, its label just left of it at `hauteur` (a fraction of the plot)."""
    x = pd.Timestamp(jour)
    figure.add_shape(
        type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line={"color": couleur, "width": 1, "dash": "dot"}
    )
    figure.add_annotation(
        x=x,
        y=hauteur,
        yref="paper",
        text=texte,
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font={"size": 11, "color": couleur},
        bgcolor="rgba(255,255,255,0.8)",
    )


def courbe_versements(aides: pd.DataFrame, versements: pd.DataFrame, reference: date) -> go.Figure:
    """Over time, up to the reference date: aid engaged (by decision date), paid (grants and advances) and
    repaid, each as its running total (`aides`: aides_par_date; `versements`: versements_par_date)."""
    figure = go.Figure()
    fin = pd.Timestamp(reference)
    series = [
        (aides, "date_decision", "cumul_eur", "Aides engagées", BLEU_CLAIR, "dash"),
        (versements, "date", "cumul_verse_eur", "Aides versées", BLEU_FRANCE, "solid"),
        (versements, "date", "cumul_rembourse_eur", "Avances remboursées", OCRE, "solid"),
    ]
    for df, colonne_date, colonne, nom, couleur, trait in series:
        if df.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=[*pd.to_datetime(df[colonne_date]), fin],
                y=[*(df[colonne].astype(float) / 1e6), float(df[colonne].iloc[-1]) / 1e6],
                mode="lines",
                line_shape="hv",
                name=nom,
                line={"color": couleur, "width": 3, "dash": trait},
                hovertemplate=f"%{{x|%d/%m/%Y}} : %{{y:,.2f}} M€<extra>{nom}</extra>",
            )
        )
    figure.update_yaxes(title="M€ (cumul)", rangemode="tozero")
    figure.update_xaxes(tickformat="%m/%Y")
    return _mise_en_page(figure, hauteur=360)


def projets_filiere_statut(df: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: projects per filière, coloured by status."""
    figure = go.Figure()
    presentes = [f for f in FILIERES if f in set(df["filiere"])]
    for statut, libelle in STATUTS_PROJET.items():
        sous = df[df["statut"] == statut].set_index("filiere")["nombre"]
        figure.add_trace(
            go.Bar(
                y=[FILIERES[f] for f in presentes],
                x=[int(sous.get(f, 0)) for f in presentes],
                orientation="h",
                name=libelle,
                marker_color=COULEURS_STATUTS[statut],
                hovertemplate=f"{libelle} : %{{x}} projet(s)<extra>%{{y}}</extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="projets")
    return _mise_en_page(figure, hauteur=max(260, 60 + 45 * len(presentes)))


def entonnoir(par_statut: dict[str, int]) -> go.Figure:
    """Projects that reached each stage (identified → prioritised → filed → granted); refused and
    abandoned shown apart."""
    etapes = [
        ("Identifiés", ("identifie", "priorise", "depose", "accorde")),
        ("Priorisés", ("priorise", "depose", "accorde")),
        ("Déposés", ("depose", "accorde")),
        ("Accordés", ("accorde",)),
    ]
    figure = go.Figure()
    figure.add_trace(
        go.Funnel(
            y=[e for e, _ in etapes],
            x=[sum(par_statut.get(s, 0) for s in statuts) for _, statuts in etapes],
            marker={"color": [COULEURS_STATUTS[s] for s in ("identifie", "priorise", "depose", "accorde")]},
            textinfo="value",
            name="Projets actifs",
            hovertemplate="%{y} : %{x}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Funnel(
            y=["Refusés", "Abandonnés"],
            x=[par_statut.get("refuse", 0), par_statut.get("abandonne", 0)],
            marker={"color": [COULEURS_STATUTS["refuse"], COULEURS_STATUTS["abandonne"]]},
            connector={"visible": False},
            textinfo="value",
            name="Sortis du parcours",
            hovertemplate="%{y} : %{x}<extra></extra>",
        )
    )
    return _mise_en_page(figure, hauteur=330)


def par_filiere(sommes: dict[str, dict[str, Any]]) -> go.Figure:
    """Investment (M€) and potential jobs per filière, active projects."""
    lignes = [
        (FILIERES[f], float(v["investissement_eur"]) / 1e6, int(v["emplois_prevus"]))
        for f, v in sommes.items()
        if v["nombre"]
    ]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            y=[ligne[0] for ligne in lignes],
            x=[ligne[1] for ligne in lignes],
            orientation="h",
            name="Investissement potentiel (M€)",
            marker_color=BLEU_FRANCE,
            hovertemplate="%{x:,.1f} M€<extra>%{y}</extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            y=[ligne[0] for ligne in lignes],
            x=[ligne[2] for ligne in lignes],
            orientation="h",
            name="Emplois potentiels",
            marker_color=OCRE,
            xaxis="x2",
            hovertemplate="%{x} emplois<extra>%{y}</extra>",
        )
    )
    figure.update_layout(
        barmode="group",
        xaxis={"domain": [0, 0.48], "title": "M€"},
        xaxis2={"domain": [0.52, 1], "title": "emplois", "anchor": "y"},
    )
    figure.update_yaxes(autorange="reversed")
    return _mise_en_page(figure, hauteur=max(240, 80 + 50 * len(lignes)))


def comparaison_mediane(df: pd.DataFrame) -> go.Figure:
    """Each ratio of a territory as a gap (%) to the median of all laureates."""
    donnees = df.dropna(subset=["ecart"])
    couleurs = [BLEU_FRANCE if e >= 0 else GRIS_MOYEN for e in donnees["ecart"]]
    figure = go.Figure(
        go.Bar(
            y=donnees["ratio"],
            x=donnees["ecart"] * 100,
            orientation="h",
            marker_color=couleurs,
            hovertemplate="%{x:+,.0f} % par rapport à la médiane<extra>%{y}</extra>",
        )
    )
    _ligne(figure, "x", 0, {"color": GRIS_TEXTE, "width": 1})
    figure.update_xaxes(ticksuffix=" %", title="écart à la médiane des lauréats")
    figure.update_yaxes(autorange="reversed")
    return _mise_en_page(figure, hauteur=300)


# plotly.js's geo subplot fetches a world topojson (config `topojsonURL`, by default from cdn.plot.ly) as soon
# as one of its traces has a `locationmode`, which a choropleth on a GeoJSON always has ("geojson-id"), even
# when no base layer is drawn. The maps on a geo subplot are given this one instead (their plotly config):
# an empty topology in a data: URL, read by the browser itself. plotly.js appends "/<scope>_<resolution>m.json"
# to the URL: the final "#" makes that a fragment, which the browser drops. Nothing leaves the machine.
TOPOJSON_VIDE = "data:application/json," + quote('{"type":"Topology","objects":{},"arcs":[]}') + "#"


def carte_epci(
    valeurs: pd.DataFrame,
    epci: dict[str, Any],
    regions: dict[str, Any] | None,
    titre: str,
    format_survol: str,
    *,
    uni: bool = False,
) -> dict[str, Any]:
    """Choropleth of the laureate EPCI (columns siren, territoire, valeur, texte) over the regions, drawn in
    SVG on a geo subplot framed on the shapes drawn (Mercator, no base layer: nothing fetched when shown
    with `topojsonURL` set to TOPOJSON_VIDE). `uni`: the EPCI in one colour, without a scale.

    A plain figure (the dict plotly.js reads), not a go.Figure: plotly's figure objects copy a GeoJSON each
    time a trace is added and again when the figure is serialised, which made the national map cost about
    50 ms of each rerun of the overview (a third of its script) for boundaries that never change.
    go.Figure(carte_epci(…)) validates it (the tests do)."""
    traces: list[dict[str, Any]] = []
    if regions is not None:
        traces.append(
            {
                "type": "choropleth",
                "geojson": regions,
                "featureidkey": "properties.code",
                "locations": [f["properties"]["code"] for f in regions["features"]],
                "z": [0] * len(regions["features"]),
                "colorscale": [[0, GRIS_FOND], [1, GRIS_FOND]],
                "showscale": False,
                "marker": {"line": {"color": GRIS_BORDURE, "width": 0.8}},
                "text": [echapper(f["properties"]["nom"]) for f in regions["features"]],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    if not valeurs.empty:
        traces.append(
            {
                "type": "choropleth",
                "geojson": epci,
                "featureidkey": "properties.code",
                "locations": [str(c) for c in valeurs["siren"]],
                "z": [float(v) for v in valeurs["valeur"]],
                "colorscale": [[0, BLEU_CLAIR], [1, BLEU_CLAIR]] if uni else ECHELLE_CARTE,
                "showscale": not uni,
                "marker": {"line": {"color": "white", "width": 0.6}},
                "colorbar": {"title": {"text": titre}, "thickness": 12, "len": 0.6},
                "customdata": [
                    [echapper(t), echapper(x)] for t, x in zip(valeurs["territoire"], valeurs["texte"], strict=True)
                ],
                "hovertemplate": "<b>%{customdata[0]}</b><br>" + format_survol + "<extra></extra>",
            }
        )
    lon_min, lon_max, lat_min, lat_max = _etendue(regions if regions is not None else epci)
    marge = MARGE_CARTE * max(lon_max - lon_min, lat_max - lat_min, 0.05)
    geo_ = {
        "visible": False,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": [lon_min - marge, lon_max + marge]},
        "lataxis": {"range": [lat_min - marge, lat_max + marge]},
        "bgcolor": "white",
    }
    return {"data": traces, "layout": _disposition(560, margin={"l": 0, "r": 0, "t": 0, "b": 0}, geo=geo_)}


MARGE_CARTE = 0.03  # around the shapes of a geo map, as a share of their larger extent (in degrees)


def _etendue(collection: dict[str, Any]) -> tuple[float, float, float, float]:
    """Longitudes then latitudes, least and greatest, of a GeoJSON FeatureCollection (the frame of a geo
    map: plotly clips what lies outside its ranges). A whole France if empty."""
    lons, lats = geo.coordonnees(collection)
    if not lons:
        return -5.5, 10.0, 41.0, 51.5
    return min(lons), max(lons), min(lats), max(lats)


def contributions_site(df: pd.DataFrame) -> go.Figure:
    """A site's score broken down by criterion (columns libelle, points, score, poids): each bar is the
    criterion's share of the score in points (the bars add up to the score); not assessed shown apart."""
    evalues = df["score"].notna()
    figure = go.Figure(
        go.Bar(
            y=_echappes(df["libelle"]),
            x=df["points"].fillna(0.0).astype(float),
            orientation="h",
            marker_color=[BLEU_FRANCE if e else GRIS_CLAIR for e in evalues],
            text=[_points(p) if e else "non évalué" for p, e in zip(df["points"], evalues, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=df[["score", "poids"]].astype(float).to_numpy(),
            hovertemplate="%{y}<br>note %{customdata[0]:.0f} / 5, poids %{customdata[1]:,.2f}"
            "<br>%{x:,.1f} point(s) du score<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="points du score (sur 100)", rangemode="tozero")
    return _mise_en_page(figure, hauteur=max(260, 60 + 32 * len(df)), margin={"l": 10, "r": 60, "t": 30, "b": 10})


def _points(valeur: Any) -> str:
    return formats.VIDE if pd.isna(valeur) else formats.nombre(float(valeur), 1)


def profil_site(df: pd.DataFrame, nom: str) -> go.Figure:
    """A site's note per criterion (0–5) against the average of the other sites in scope
    (columns libelle, score, moyenne_autres)."""
    figure = go.Figure()
    libelles = _echappes(df["libelle"])
    figure.add_trace(
        go.Bar(
            y=libelles,
            x=df["score"].astype(float),
            orientation="h",
            name=echapper(nom),
            marker_color=BLEU_FRANCE,
            hovertemplate="%{y} : %{x:.0f} / 5<extra></extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            y=libelles,
            x=df["moyenne_autres"].astype(float),
            orientation="h",
            name="Moyenne des autres sites",
            marker_color=GRIS_MOYEN,
            hovertemplate="%{y} : %{x:,.1f} / 5 en moyenne<extra></extra>",
        )
    )
    figure.update_layout(barmode="group")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(range=[0, 5.2], title="note (0 à 5)", dtick=1)
    return _mise_en_page(figure, hauteur=max(300, 80 + 40 * len(df)))


def carte_sites(points: pd.DataFrame, epci: dict[str, Any] | None, zoom: float, centre: dict[str, float]) -> go.Figure:
    """Sites at their commune centroid (columns lon, lat, nom, texte, score, retenu) over the outline of
    the territories' EPCI, on a blank background: no tile server, nothing fetched."""
    figure = go.Figure()
    if epci and epci["features"]:
        figure.add_trace(
            go.Choroplethmap(
                geojson=epci,
                featureidkey="properties.code",
                locations=[f["properties"]["code"] for f in epci["features"]],
                z=[0] * len(epci["features"]),
                colorscale=[[0, BLEU_PALE], [1, BLEU_PALE]],
                showscale=False,
                marker={"line": {"color": BLEU_CONTOUR, "width": 0.8}},
                hoverinfo="skip",
                name="EPCI",
            )
        )
    retenus = points[points["retenu"]]
    ecartes = points[~points["retenu"]]
    if not ecartes.empty:
        figure.add_trace(
            go.Scattermap(
                lon=ecartes["lon"],
                lat=ecartes["lat"],
                mode="markers",
                name="Sites écartés",
                marker={"size": 10, "color": GRIS_MOYEN},
                text=ecartes["texte"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    if not retenus.empty:
        figure.add_trace(
            go.Scattermap(
                lon=retenus["lon"],
                lat=retenus["lat"],
                mode="markers",
                name="Sites classés",
                marker={
                    "size": 13,
                    "color": retenus["score"].astype(float),
                    "colorscale": ECHELLE_CARTE,
                    "cmin": 0,
                    "cmax": 100,
                    "colorbar": {"title": {"text": "score"}, "thickness": 12, "len": 0.6},
                },
                text=retenus["texte"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    figure.update_layout(map={"style": "white-bg", "zoom": zoom, "center": centre}, showlegend=True)
    return _mise_en_page(
        figure,
        hauteur=520,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"orientation": "h", "yanchor": "bottom", "y": 0.01, "x": 0.01, "bgcolor": "rgba(255,255,255,0.8)"},
    )


def courbe_arbitrage(df: pd.DataFrame, budget_eur: float, objectif: str) -> go.Figure:
    """The arbitration as the national budget varies (vues_arbitrage.courbe_budget): above, the optimal
    value and first come's; below, for each step between two budgets, the value gained per million euros
    of budget (a bar spanning the step). `objectif` is "emplois" (jobs) or "investissement" (euros, in M€)."""
    from plotly.subplots import make_subplots

    emplois = objectif == "emplois"
    echelle = 1.0 if emplois else 1e6
    unite = "emplois" if emplois else "M€ investis"
    df = _sans_budget_lointain(df, budget_eur)
    x = df["budget_eur"].astype(float) / 1e6
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.62, 0.38])

    def texte(valeur: float, decimales: int = 0) -> str:
        return formats.nombre(valeur, decimales) if emplois else formats.nombre(valeur / echelle, decimales + 1)

    budgets = [formats.millions_euros(b) for b in df["budget_eur"]]
    for colonne, nom, couleur, tirets in (
        ("valeur", "Sélection optimale", BLEU_FRANCE, None),
        ("valeur_premier_arrive", "Premier arrivé", OCRE, "dash"),
    ):
        prouve = ["" if colonne != "valeur" or ok else " (non prouvé : limite de temps)" for ok in df["optimale"]]
        figure.add_trace(
            go.Scatter(
                x=x,
                y=df[colonne].astype(float) / echelle,
                mode="lines+markers",
                name=nom,
                line={"color": couleur, "dash": tirets, "width": 3 if colonne == "valeur" else 2},
                customdata=[
                    f"{b} : {texte(v)} {unite}{p}" for b, v, p in zip(budgets, df[colonne], prouve, strict=True)
                ],
                hovertemplate=f"{nom} — budget %{{customdata}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    debut, gains = x.shift(1), df["gain_par_million"].astype(float)
    pas = debut.notna()  # one bar per step between two budgets, from the second point on
    debut, fin, gains = debut[pas], x[pas], gains[pas]
    figure.add_trace(
        go.Bar(
            x=(debut + fin) / 2,
            y=gains.fillna(0) / echelle,
            width=fin - debut,
            name=f"{unite} par M€ de budget en plus",
            marker={"color": BLEU_CUMULUS, "line": {"color": "white", "width": 1}},
            customdata=[
                f"de {formats.nombre(a, 1)} à {formats.nombre(b, 1)} M€ : {texte(g, 1)} {unite} par M€ en plus"
                for a, b, g in zip(debut, fin, gains, strict=True)
            ],
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    _budget_choisi(figure, df, budget_eur)
    figure.update_yaxes(title_text=unite, rangemode="tozero", row=1, col=1)
    figure.update_yaxes(title_text=f"{unite} par M€", rangemode="tozero", row=2, col=1)
    figure.update_xaxes(title_text="budget national (M€)", rangemode="tozero", row=2, col=1)
    return _mise_en_page(figure, hauteur=480)


def _lointain(df: pd.DataFrame, budget_eur: float) -> bool:
    """The budget chosen lies far beyond where the budget stops mattering (the curve's other points)."""
    autres = df["budget_eur"][df["budget_eur"] != budget_eur]
    return bool(len(autres)) and autres.max() > 0 and budget_eur > 1.5 * autres.max()


def _sans_budget_lointain(df: pd.DataFrame, budget_eur: float) -> pd.DataFrame:
    """The curve without the budget chosen when it lies far to the right of a flat end: the axis then
    shows where the budget matters."""
    return df[df["budget_eur"] != budget_eur] if _lointain(df, budget_eur) else df


def _budget_choisi(figure: go.Figure, df: pd.DataFrame, budget_eur: float) -> None:
    """A dotted line at the budget chosen; when it lies off the axis, a note at the right edge instead."""
    texte = f"budget choisi : {formats.millions_euros(budget_eur)}"
    if _lointain(df, budget_eur):
        figure.add_annotation(
            x=1,
            xref="paper",
            y=1.0,
            yref="paper",
            text=f"{texte} → même résultat qu'au dernier point",
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            font={"color": ROUGE_MARIANNE, "size": 12},
        )
        return
    # In both panels of the curve (the optimal curve above, the gain per M€ below), as add_vline drew it.
    _ligne(figure, "x", budget_eur / 1e6, {"color": ROUGE_MARIANNE, "dash": "dot", "width": 1.5}, ("", "2"))
    figure.add_annotation(
        x=budget_eur / 1e6,
        y=1.0,
        yref="paper",
        text=texte,
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"color": ROUGE_MARIANNE, "size": 12},
    )
