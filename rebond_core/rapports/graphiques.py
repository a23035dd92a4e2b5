"""The report's charts and map as SVG, drawn here from the same data as the pages' plotly figures and in
their palette (rebond_core.figures): vector, the text in the report's font, no browser and nothing fetched.

Sizes are in points (1/72 in): a chart drawn `largeur` points wide and shown at that width in the report
keeps its text at the size written here. Every text is escaped (names come from imported workbooks)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rebond_core import figures, formats

POLICE = "DejaVu Sans"  # the repository's condensed cut (rapports/polices), the only one the reports load
TAILLE = 7.5  # points: the charts' text
LARGEUR_CARACTERE = 0.52  # the condensed font's mean advance, in ems: for the width a label needs
# The report's text width (A4 less 2 × 15 mm of margins) and a half column (with a 14-point gutter): charts
# are drawn at the width they are shown at.
PLEINE_LARGEUR = 510.0
DEMI_LARGEUR = 248.0


def _n(valeur: float) -> str:
    """A coordinate with at most two decimals, no trailing zeros."""
    texte = f"{valeur:.2f}".rstrip("0").rstrip(".")
    return "0" if texte in ("-0", "") else texte


def largeur_texte(texte: str, taille: float = TAILLE) -> float:
    return len(texte) * taille * LARGEUR_CARACTERE


@dataclass
class Dessin:
    """An SVG drawing of `largeur` × `hauteur` points, built element by element."""

    largeur: float
    hauteur: float
    elements: list[str] = field(default_factory=list)

    def rect(self, x: float, y: float, l: float, h: float, couleur: str, contour: str | None = None) -> None:  # noqa: E741
        trait = f' stroke="{contour}" stroke-width="0.5"' if contour else ""
        taille = f'width="{_n(max(l, 0.0))}" height="{_n(max(h, 0.0))}"'
        self.elements.append(f'<rect x="{_n(x)}" y="{_n(y)}" {taille} fill="{couleur}"{trait}/>')

    def ligne(
        self, x1: float, y1: float, x2: float, y2: float, couleur: str, epaisseur: float = 0.5, tirets: str = ""
    ) -> None:
        motif = f' stroke-dasharray="{tirets}"' if tirets else ""
        self.elements.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{couleur}" '
            f'stroke-width="{_n(epaisseur)}"{motif}/>'
        )

    def polyligne(
        self, points: Sequence[tuple[float, float]], couleur: str, epaisseur: float, tirets: str = ""
    ) -> None:
        motif = f' stroke-dasharray="{tirets}"' if tirets else ""
        liste = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        self.elements.append(
            f'<polyline points="{liste}" fill="none" stroke="{couleur}" stroke-width="{_n(epaisseur)}"'
            f' stroke-linejoin="round"{motif}/>'
        )

    def chemin(self, d: str, remplissage: str, contour: str, epaisseur: float = 0.4) -> None:
        self.elements.append(
            f'<path d="{d}" fill="{remplissage}" stroke="{contour}" stroke-width="{_n(epaisseur)}" '
            'fill-rule="evenodd" stroke-linejoin="round"/>'
        )

    def texte(
        self,
        x: float,
        y: float,
        texte: str,
        taille: float = TAILLE,
        couleur: str = figures.GRIS_TEXTE,
        ancre: str = "start",
        gras: bool = False,
    ) -> None:
        poids = ' font-weight="bold"' if gras else ""
        self.elements.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-family={quoteattr(POLICE)} font-size="{_n(taille)}" '
            f'fill="{couleur}" text-anchor="{ancre}"{poids}>{escape(texte)}</text>'
        )

    def svg(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(self.largeur)}pt" height="{_n(self.hauteur)}pt" '
            f'viewBox="0 0 {_n(self.largeur)} {_n(self.hauteur)}">' + "".join(self.elements) + "</svg>"
        )


def _legende(dessin: Dessin, x: float, y: float, entrees: Sequence[tuple[str, str]], largeur_max: float) -> float:
    """Colour squares and labels from (x, y), wrapping at `largeur_max`; returns the y below the legend."""
    depart = x
    for libelle, couleur in entrees:
        besoin = 10 + largeur_texte(libelle) + 12
        if x > depart and x + besoin > depart + largeur_max:
            x, y = depart, y + 11
        dessin.rect(x, y - 6.5, 7, 7, couleur)
        dessin.texte(x + 10, y, libelle)
        x += besoin
    return y + 6


# --- a gauge: consecutive segments against a total ------------------------------------------------------------


def jauge(
    segments: Sequence[tuple[str, float, str]], total: float, reste: str | None, largeur: float = PLEINE_LARGEUR
) -> str:
    """One horizontal bar: the segments (label, euros, colour) side by side against `total`, then what is
    left under the label `reste` (none when None); each label with its amount in the legend below."""
    somme = sum(m for _, m, _ in segments)
    echelle_max = max(total, somme) or 1.0
    entrees = list(segments)
    if reste is not None:
        entrees.append((reste, max(0.0, total - somme), figures.GRIS_CLAIR))
    dessin = Dessin(largeur, 0)
    x, barre = 0.0, 16.0
    for _, montant, couleur in entrees:
        l = montant / echelle_max * largeur  # noqa: E741
        dessin.rect(x, 2, l, barre, couleur)
        x += l
    if somme > total > 0:  # the ceiling, inside the bar, when the segments go beyond it
        repere = total / echelle_max * largeur
        dessin.ligne(repere, 0, repere, barre + 4, figures.ROUGE_MARIANNE, 1.2)
    legende = [(f"{libelle} : {formats.millions_euros(montant, 2)}", couleur) for libelle, montant, couleur in entrees]
    bas = _legende(dessin, 0, barre + 14, legende, largeur)
    dessin.hauteur = bas + 2
    return dessin.svg()


# --- horizontal bars -------------------------------------------------------------------------------------------


def entonnoir(
    etapes: Sequence[tuple[str, int, str]], sortis: Sequence[tuple[str, int, str]], largeur: float = DEMI_LARGEUR
) -> str:
    """The projects' path: one centred bar per stage (label, count, colour), then the projects that left it
    (refused, abandoned) apart, each with its count."""
    lignes = [*etapes, ("", -1, ""), *sortis]
    libelles = max((largeur_texte(e) for e, _, _ in lignes), default=0) + 6
    zone = largeur - libelles - 4
    maximum = max([n for _, n, _ in lignes] + [1])
    dessin = Dessin(largeur, 0)
    y = 2.0
    for libelle, nombre, couleur in lignes:
        if nombre < 0:  # the gap between the path and the projects that left it
            dessin.ligne(libelles, y + 3, largeur, y + 3, figures.GRIS_CLAIR, 0.5, "2 2")
            y += 8
            continue
        l = max(nombre / maximum * zone, 0.5)  # noqa: E741
        x = libelles + (zone - l) / 2
        dessin.rect(x, y, l, 14, couleur)
        dessin.texte(0, y + 10, libelle)
        fonce = couleur in (figures.BLEU_FRANCE, figures.BLEU_CUMULUS, figures.COULEURS_STATUTS["refuse"])
        dans_la_barre = l > largeur_texte(formats.nombre(nombre)) + 6
        dessin.texte(
            libelles + zone / 2 if dans_la_barre else x + l + 3,
            y + 10,
            formats.nombre(nombre),
            couleur="white" if dans_la_barre and fonce else figures.GRIS_TEXTE,
            ancre="middle" if dans_la_barre else "start",
            gras=True,
        )
        y += 18
    dessin.hauteur = y + 2
    return dessin.svg()


def barres_doubles(
    lignes: Sequence[tuple[str, float, float]],
    titres: tuple[str, str],
    textes: Sequence[tuple[str, str]],
    couleurs: tuple[str, str] = (figures.BLEU_FRANCE, figures.OCRE),
    largeur: float = DEMI_LARGEUR,
) -> str:
    """Two panels of horizontal bars sharing their labels (e.g. per filière: investment and jobs), each
    bar followed by its value as written in `textes`."""
    libelles = max((largeur_texte(e) for e, _, _ in lignes), default=0) + 6
    panneau = (largeur - libelles) / 2
    dessin = Dessin(largeur, 0)
    for k, titre in enumerate(titres):
        dessin.texte(libelles + k * panneau, 8, titre, gras=True)
    y = 14.0
    maxima = [max([abs(a) for _, a, _ in lignes] + [1e-9]), max([abs(b) for _, _, b in lignes] + [1e-9])]
    for (libelle, a, b), (texte_a, texte_b) in zip(lignes, textes, strict=True):
        dessin.texte(0, y + 9, libelle)
        for k, (valeur, texte) in enumerate(((a, texte_a), (b, texte_b))):
            place = panneau - largeur_texte(texte) - 8
            l = max(valeur / maxima[k] * place, 0.0)  # noqa: E741
            x = libelles + k * panneau
            dessin.rect(x, y, l, 12, couleurs[k])
            dessin.texte(x + l + 2, y + 9, texte)
        y += 16
    dessin.hauteur = y + 2
    return dessin.svg()


def barres_empilees(
    lignes: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[tuple[str, str]],
    total_texte: Sequence[str],
    largeur: float = PLEINE_LARGEUR,
) -> str:
    """Stacked horizontal bars: one per row (label, values per series), the series (label, colour) in the
    legend, each row's total written after its bar."""
    libelles = max((largeur_texte(e) for e, _ in lignes), default=0) + 6
    place = largeur - libelles - max((largeur_texte(t) for t in total_texte), default=0) - 8
    maximum = max([sum(v) for _, v in lignes] + [1e-9])
    dessin = Dessin(largeur, 0)
    y = _legende(dessin, libelles, 8, series, largeur - libelles) + 4
    for (libelle, valeurs), total in zip(lignes, total_texte, strict=True):
        dessin.texte(0, y + 9, libelle)
        x = libelles
        for valeur, (_, couleur) in zip(valeurs, series, strict=True):
            l = valeur / maximum * place  # noqa: E741
            dessin.rect(x, y, l, 12, couleur)
            x += l
        dessin.texte(x + 3, y + 9, total)
        y += 16
    dessin.hauteur = y + 2
    return dessin.svg()


# --- curves over time ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Serie:
    """A running total over time: label, colour, dash pattern ('' for solid) and (day, value) points; the
    value holds until the next point (a step), and the last one up to the chart's end."""

    libelle: str
    couleur: str
    points: tuple[tuple[date, float], ...]
    tirets: str = ""
    marches: bool = True


def pas_lisible(etendue: float, graduations: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `graduations` ticks over `etendue`."""
    if etendue <= 0:
        return 1.0
    brut = etendue / graduations
    puissance = 10 ** math.floor(math.log10(brut))
    for facteur in (1, 2, 2.5, 5, 10):
        if facteur * puissance >= brut:
            return facteur * puissance
    return 10 * puissance


def _mois_entre(debut: date, fin: date) -> int:
    return (fin.year - debut.year) * 12 + fin.month - debut.month


def courbes(
    series: Sequence[Serie],
    debut: date,
    fin: date,
    unite: str = "M€",
    reperes: Sequence[tuple[date, str, str]] = (),
    horizontale: tuple[float, str] | None = None,
    largeur: float = PLEINE_LARGEUR,
    hauteur: float = 170,
) -> str:
    """Running totals over [debut, fin] (values already in `unite`), with a legend above, the y axis in
    `unite`, month/year ticks, vertical marks (day, label, colour) and a horizontal line (value, label)."""
    dessin = Dessin(largeur, hauteur)
    haut = _legende(dessin, 0, 8, [(s.libelle, s.couleur) for s in series], largeur) + 16
    valeurs = [v for s in series for _, v in s.points] + ([horizontale[0]] if horizontale else []) + [0.0]
    sommet = max(valeurs) or 1.0
    pas = pas_lisible(sommet)
    sommet = math.ceil(sommet / pas) * pas
    graduations = [i * pas for i in range(int(round(sommet / pas)) + 1)]
    textes_y = [formats.nombre(g, 0 if pas >= 1 else (1 if pas * 10 == int(pas * 10) else 2)) for g in graduations]
    gauche = max(largeur_texte(t) for t in textes_y) + 6
    bas = hauteur - 14
    jours = max((fin - debut).days, 1)

    def x(jour: date) -> float:
        return gauche + (jour - debut).days / jours * (largeur - gauche - 4)

    def y(valeur: float) -> float:
        return bas - valeur / sommet * (bas - haut)

    for graduation, texte in zip(graduations, textes_y, strict=True):
        dessin.ligne(gauche, y(graduation), largeur - 4, y(graduation), figures.GRIS_CLAIR, 0.4)
        dessin.texte(gauche - 3, y(graduation) + 2.5, texte, ancre="end")
    dessin.texte(0, haut - 7, unite, couleur=figures.GRIS_MOYEN)
    mois = _mois_entre(debut, fin)
    saut = next(s for s in (1, 3, 6, 12, 24, 48) if mois / s <= 8)
    courant = date(debut.year, debut.month, 1)
    while courant <= fin:
        if courant >= debut and (courant.month - 1) % saut == 0:
            dessin.ligne(x(courant), bas, x(courant), bas + 3, figures.GRIS_MOYEN, 0.4)
            dessin.texte(x(courant), bas + 11, courant.strftime("%m/%Y"), ancre="middle")
        annee, mois_suivant = divmod(courant.month, 12)
        courant = date(courant.year + annee, mois_suivant + 1, 1)
    dessin.ligne(gauche, bas, largeur - 4, bas, figures.GRIS_MOYEN, 0.5)
    if horizontale is not None:
        dessin.ligne(gauche, y(horizontale[0]), largeur - 4, y(horizontale[0]), figures.ROUGE_MARIANNE, 0.6)
        dessin.texte(gauche + 2, y(horizontale[0]) - 2, horizontale[1], couleur=figures.ROUGE_MARIANNE)
    for rang, (jour, libelle, couleur) in enumerate(reperes):  # labels one under the other: marks may be close
        if debut <= jour <= fin:
            dessin.ligne(x(jour), haut, x(jour), bas, couleur, 0.6, "1.5 1.5")
            dessin.rect(
                x(jour) - 3 - largeur_texte(libelle), haut + 12 * rang + 1, largeur_texte(libelle) + 2, 9, "white"
            )
            dessin.texte(x(jour) - 2, haut + 8 + 12 * rang, libelle, couleur=couleur, ancre="end")
    for serie in series:
        points: list[tuple[float, float]] = []
        for jour, valeur in serie.points:
            if points and serie.marches:
                points.append((x(jour), points[-1][1]))
            points.append((x(jour), y(valeur)))
        if points and serie.marches:
            points.append((x(fin), points[-1][1]))
        if points:
            dessin.polyligne(points, serie.couleur, 1.6, serie.tirets)
    return dessin.svg()


# --- the map ---------------------------------------------------------------------------------------------------


def _anneaux(geometrie: dict[str, Any]) -> list[list[list[float]]]:
    if geometrie["type"] == "Polygon":
        return list(geometrie["coordinates"])
    if geometrie["type"] == "MultiPolygon":
        return [anneau for polygone in geometrie["coordinates"] for anneau in polygone]
    return []


def carte(
    territoire: Sequence[dict[str, Any]],
    voisins: Sequence[dict[str, Any]],
    largeur: float = 320,
    hauteur_max: float = 260,
) -> str:
    """The territory's EPCI (GeoJSON features) filled in blue over the neighbouring EPCI in grey, framed on
    the territory with a margin; an equirectangular projection corrected for the latitude (fine at the
    scale of a territory)."""
    lons = [p[0] for f in territoire for a in _anneaux(f["geometry"]) for p in a]
    lats = [p[1] for f in territoire for a in _anneaux(f["geometry"]) for p in a]
    cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
    marge = 0.12 * max((max(lons) - min(lons)) * cos, max(lats) - min(lats), 0.02)
    x0, x1 = min(lons) * cos - marge, max(lons) * cos + marge
    y0, y1 = min(lats) - marge, max(lats) + marge
    echelle = min(largeur / (x1 - x0), hauteur_max / (y1 - y0))
    hauteur = (y1 - y0) * echelle
    dessin = Dessin((x1 - x0) * echelle, hauteur)

    def trace(feature: dict[str, Any]) -> str:
        morceaux = []
        for anneau in _anneaux(feature["geometry"]):
            points = [((lon * cos - x0) * echelle, (y1 - lat) * echelle) for lon, lat, *_ in anneau]
            morceaux.append("M" + "L".join(f"{_n(px)} {_n(py)}" for px, py in points) + "Z")
        return "".join(morceaux)

    dessin.rect(0, 0, dessin.largeur, hauteur, "white", figures.GRIS_BORDURE)
    for feature in voisins:
        dessin.chemin(trace(feature), figures.GRIS_FOND, figures.GRIS_BORDURE, 0.4)
    for feature in territoire:
        dessin.chemin(trace(feature), figures.BLEU_CLAIR, "white", 0.8)
    # A scale bar: the round distance closest to a fifth of the width.
    km_par_point = 111.32 / echelle
    distance = pas_lisible(dessin.largeur * km_par_point / 5, 1)
    longueur = distance / km_par_point
    dessin.rect(6, hauteur - 12, longueur, 2.5, figures.GRIS_TEXTE)
    dessin.texte(6 + longueur + 3, hauteur - 9, f"{formats.nombre(distance, None)} km")
    return dessin.svg()


def enveloppe_geo(features: Sequence[dict[str, Any]]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of some GeoJSON features."""
    points = [p for f in features for a in _anneaux(f["geometry"]) for p in a]
    return (
        min(p[0] for p in points),
        min(p[1] for p in points),
        max(p[0] for p in points),
        max(p[1] for p in points),
    )


def millions(valeur: Any) -> float:
    """Euros (number or Decimal) as a float of millions, for the curves."""
    return float(Decimal(str(valeur)) / Decimal(1_000_000))
