"""The site-ranking settings (grid, weights, thresholds, mode, N, X, k, chosen site) in the sidebar-free
settings panel and in the URL, and the cached ranking computation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from rebond_core import formats, geo, sites
from rebond_core.grilles import Grille, grilles
from rebond_ui import donnees
from rebond_ui.surete import brut as texte_brut

LUS = "reglages_sites_lus"
N_MIN, N_MAX = 100, 10_000
K_MAX = 20
AUCUN = "aucun"
SEUILS = [AUCUN, "0", "1", "2", "3", "4", "5"]


def cle_poids(code: str) -> str:
    return f"sites_poids_{code}"


def cle_seuil(code: str) -> str:
    return f"sites_seuil_{code}"


@dataclass(frozen=True)
class Choix:
    """What the page computes with (hashable, for the cache)."""

    grille: str
    poids: tuple[float, ...]
    seuils: tuple[int | None, ...]
    non_evalue_zero: bool
    tirages: int
    ecart_pct: int
    top: int


def _nombre_lien(brut: str) -> float | None:
    try:
        valeur = float(brut.replace(",", "."))
    except ValueError:
        return None
    return valeur if math.isfinite(valeur) else None


def _lire_url() -> list[str]:
    """Seed the settings from the link (once per session); return a notice per value dropped."""
    avis: list[str] = []
    parametres = st.query_params
    toutes = grilles()
    code = parametres.get("grille")
    if code is not None and code not in toutes:
        avis.append(f"Lien : grille « {code} » inconnue, grille par défaut utilisée.")
        code = None
    st.session_state["sites_grille"] = code or sites.grille(None).code
    for grille in toutes.values():
        for critere in grille.criteres:
            st.session_state[cle_poids(critere.code)] = float(critere.poids)
            st.session_state[cle_seuil(critere.code)] = AUCUN if critere.seuil is None else str(critere.seuil)
            brut = parametres.get(f"poids_{critere.code}")
            if brut is not None:
                valeur = _nombre_lien(brut)
                if valeur is None or valeur < 0:
                    avis.append(f"Lien : poids « {brut} » invalide pour {critere.libelle}, poids du fichier utilisé.")
                else:
                    st.session_state[cle_poids(critere.code)] = valeur
            brut = parametres.get(f"seuil_{critere.code}")
            if brut is not None:
                if brut in SEUILS:
                    st.session_state[cle_seuil(critere.code)] = brut
                else:
                    avis.append(f"Lien : seuil « {brut} » invalide pour {critere.libelle}, ignoré.")
    st.session_state["sites_nez"] = parametres.get("nez") in ("1", "oui", "true")
    for nom, cle, defaut, minimum, maximum in (
        ("n", "sites_n", sites.TIRAGES_PAR_DEFAUT, N_MIN, N_MAX),
        ("x", "sites_x", round(sites.ECART_PAR_DEFAUT * 100), 0, 100),
        ("k", "sites_k", sites.TOP_PAR_DEFAUT, 1, K_MAX),
    ):
        st.session_state[cle] = defaut
        brut = parametres.get(nom)
        if brut is not None:
            if brut.isdigit() and minimum <= int(brut) <= maximum:
                st.session_state[cle] = int(brut)
            else:
                avis.append(
                    f"Lien : valeur « {brut} » invalide pour « {nom} » (attendu un entier de {minimum} à "
                    f"{formats.nombre(maximum)}), valeur par défaut utilisée."
                )
    if parametres.get("site"):
        st.session_state["sites_site"] = parametres.get("site")
    return avis


def _texte_poids(valeur: float) -> str:
    return f"{valeur:g}"


def _ecrire_url(grille: Grille) -> None:
    parametres = st.query_params
    codes = {c.code for c in grille.criteres}
    for cle in list(parametres.keys()):
        if cle.startswith(("poids_", "seuil_")) and cle.split("_", 1)[1] not in codes:
            del parametres[cle]
    parametres["grille"] = grille.code
    for critere in grille.criteres:
        parametres[f"poids_{critere.code}"] = _texte_poids(float(st.session_state[cle_poids(critere.code)]))
        seuil = st.session_state[cle_seuil(critere.code)]
        if seuil == AUCUN:
            if f"seuil_{critere.code}" in parametres:
                del parametres[f"seuil_{critere.code}"]
        else:
            parametres[f"seuil_{critere.code}"] = str(seuil)
    parametres["nez"] = "1" if st.session_state["sites_nez"] else "0"
    parametres["n"] = str(st.session_state["sites_n"])
    parametres["x"] = str(st.session_state["sites_x"])
    parametres["k"] = str(st.session_state["sites_k"])


def ecrire_site() -> None:
    """The site chosen for the explanation, in the URL (after its widget is drawn)."""
    site = st.session_state.get("sites_site")
    if site:
        st.query_params["site"] = site
    elif "site" in st.query_params:
        del st.query_params["site"]


def reglages() -> Choix:
    """Draw the settings panel, keep the URL in step, return the settings."""
    if LUS not in st.session_state:
        st.session_state["avis_lien_sites"] = _lire_url()
        st.session_state[LUS] = True
    toutes = grilles()
    haut = st.columns([3, 2, 1.2, 1.2, 1.2])
    code = haut[0].selectbox(
        "Grille de critères", list(toutes), format_func=lambda c: toutes[c].libelle, key="sites_grille"
    )
    grille = toutes[code]
    with haut[1]:
        st.write("")
        st.toggle(
            "Non évalué = 0",
            key="sites_nez",
            help="Un critère non évalué compte pour 0 (sinon il est exclu du calcul et la complétude baisse).",
        )
    haut[2].number_input(
        "Tirages",
        min_value=N_MIN,
        max_value=N_MAX,
        step=100,
        key="sites_n",
        help="Nombre de jeux de poids tirés au hasard (graine fixe) pour tester la robustesse.",
    )
    haut[3].number_input(
        "Variation des poids ± %",
        min_value=0,
        max_value=100,
        step=5,
        key="sites_x",
        help="Chaque poids varie uniformément dans ± X % de sa valeur à chaque tirage.",
    )
    haut[4].number_input(
        "Tête (k premiers)",
        min_value=1,
        max_value=K_MAX,
        step=1,
        key="sites_k",
        help="Part des tirages où le site est dans les k premiers.",
    )
    st.caption(f"Grille « {grille.libelle} » : {grille.note}")
    with st.expander("Poids et seuils éliminatoires des critères", expanded=False):
        entetes = st.columns([4, 2, 2])
        entetes[0].markdown("**Critère**")
        entetes[1].markdown("**Poids**")
        entetes[2].markdown("**Seuil éliminatoire**")
        for critere in grille.criteres:
            ligne = st.columns([4, 2, 2], vertical_alignment="center")
            ligne[0].markdown(critere.libelle, help=critere.description)
            ligne[1].number_input(
                f"Poids — {critere.libelle}",
                min_value=0.0,
                max_value=100.0,
                step=0.5,
                key=cle_poids(critere.code),
                label_visibility="collapsed",
            )
            ligne[2].selectbox(
                f"Seuil — {critere.libelle}",
                SEUILS,
                key=cle_seuil(critere.code),
                format_func=lambda s: s if s == AUCUN else f"note ≥ {s}",
                label_visibility="collapsed",
            )
        st.caption(
            "Un site noté sous un seuil, ou non évalué sur un critère qui a un seuil, est écarté "
            "(« non retenu ») et n'est pas classé ; il garde son score et sa complétude."
        )
    for avis in st.session_state.pop("avis_lien_sites", []):
        st.warning(texte_brut(avis), icon=":material/link_off:")
    _ecrire_url(grille)
    return Choix(
        grille=code,
        poids=tuple(float(st.session_state[cle_poids(c.code)]) for c in grille.criteres),
        seuils=tuple(
            None if st.session_state[cle_seuil(c.code)] == AUCUN else int(st.session_state[cle_seuil(c.code)])
            for c in grille.criteres
        ),
        non_evalue_zero=bool(st.session_state["sites_nez"]),
        tirages=int(st.session_state["sites_n"]),
        ecart_pct=int(st.session_state["sites_x"]),
        top=int(st.session_state["sites_k"]),
    )


def reglages_coeur(choix: Choix) -> sites.Reglages:
    """The core settings (raises ReglageInvalide, e.g. when every weight is 0)."""
    grille = sites.grille(choix.grille)
    return sites.reglages(
        grille,
        {c.code: p for c, p in zip(grille.criteres, choix.poids, strict=True)},
        {c.code: s for c, s in zip(grille.criteres, choix.seuils, strict=True)},
        choix.non_evalue_zero,
    )


@dataclass(frozen=True)
class Resultat:
    tableau: pd.DataFrame  # the ranking in output order, with the robustness columns
    notes: pd.DataFrame  # id_site × criterion code: notes 0–5, NaN when not assessed
    points: pd.DataFrame  # id_site × criterion code: share of the score, in points


@st.cache_data(max_entries=64, show_spinner="Calcul du classement et de sa robustesse…")
def calculer(version_: int, cle_: donnees.CleFiltres, choix: Choix) -> Resultat:
    liste = donnees.table("sites", version_, cle_)
    regl = reglages_coeur(choix)
    tableau, classement, _ = sites.tableau(
        liste, regl, {"tirages": choix.tirages, "ecart": choix.ecart_pct / 100, "top": choix.top}
    )
    ids = list(liste["id_site"])
    notes = pd.DataFrame(classement.matrice, index=ids, columns=list(regl.codes))
    points = pd.DataFrame(classement.points(), index=ids, columns=list(regl.codes))
    return Resultat(tableau, notes, points)


@st.cache_data(max_entries=8, show_spinner=False)
def centroides() -> dict[str, tuple[float, float]] | None:
    return geo.centroides_communes()


@st.cache_data(max_entries=16, show_spinner=False)
def contours_epci(codes: tuple[str, ...]) -> dict[str, Any] | None:
    return geo.couche("epci_reels", set(codes))


def positions(tableau: pd.DataFrame, centres: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """lon/lat of each site at its commune centroid; sites of the same commune set slightly apart on a
    small circle so that each stays visible. Sites without a known commune are left out."""
    lignes = []
    for commune, groupe in tableau.groupby("commune", sort=False):
        if commune not in centres:
            continue
        lon, lat = centres[commune]
        for indice, (_, site) in enumerate(groupe.iterrows()):
            angle = 2 * math.pi * indice / len(groupe)
            rayon = 0.012 if len(groupe) > 1 else 0.0
            lignes.append(
                site.to_dict()
                | {
                    "lon": lon + rayon * math.cos(angle) / math.cos(math.radians(lat)),
                    "lat": lat + rayon * math.sin(angle),
                }
            )
    return pd.DataFrame(lignes)


def cadrage(points: pd.DataFrame) -> tuple[float, dict[str, float]]:
    """Zoom and centre that show every point."""
    lons, lats = points["lon"].astype(float), points["lat"].astype(float)
    centre = {"lon": float((lons.min() + lons.max()) / 2), "lat": float((lats.min() + lats.max()) / 2)}
    etendue = max(float(lons.max() - lons.min()), float(lats.max() - lats.min()) * 1.5, 0.05)
    return max(4.0, min(11.0, 8.3 - 1.44 * np.log2(etendue))), centre
