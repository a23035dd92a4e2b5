"""Shared page parts: header, demonstration banner, footer, KPI tiles with their "mode de calcul",
sources, downloads, the notice shown after a rerun. User text is never rendered as HTML (the header's
markdown with HTML only carries our own constant markup)."""

from __future__ import annotations

import atexit
import functools
import gc
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import exports, formats, referentiel
from rebond_core.acces import journal
from rebond_core.acces.habilitations import Habilitation
from rebond_core.acces.portee import Portee
from rebond_core.geo import CREDIT_FONDS
from rebond_core.indicateurs import PAR_CLE, Resultat
from rebond_core.perimetre import Filtres
from rebond_core.versions import StatutDonnees
from rebond_ui import acces, donnees
from rebond_ui.surete import echapper

CREDIT_REFERENTIEL = (
    "Référentiels : INSEE COG 2026, DGCL EPCI 2026, via Etalab decoupage-administratif 6.0.0 — Licence Ouverte."
)

_STYLE = """
<style>
  .rebond-marque {border-bottom: 3px solid #000091; padding: 0.2rem 0 0.6rem 0; margin-bottom: 0.6rem;}
  .rebond-marque .republique {font-weight: 700; font-size: 0.8rem; line-height: 1.05; text-transform: uppercase;
      letter-spacing: 0.02em; color: #161616; border-left: 6px solid; border-image:
      linear-gradient(#000091 33%, #FFFFFF 33% 66%, #E1000F 66%) 1; padding-left: 0.5rem; display: inline-block;}
  .rebond-marque .produit {font-size: 1.6rem; font-weight: 700; color: #000091; margin-left: 1rem;
      vertical-align: top;}
  div[data-testid="stMetric"] {background: #F6F6F6; border-left: 4px solid #000091; padding: 0.6rem 0.8rem;}
  div[data-testid="stMetricValue"] {color: #000091;}
  /* Streamlit writes its own upload limit in English under the drop zone: the label gives ours, in French. */
  [data-testid="stFileUploaderDropzoneInstructions"] {display: none;}
  /* Placeholders shown while a chart's code loads: still, not shimmering. On a machine without a graphics
     card the shimmer keeps the compositor busy for seconds and delays the page (bench/README.md). */
  [data-testid="stSkeleton"] {animation: none !important;}
  /* Parts being recomputed (data-stale): Streamlit fades them after 0,5 s, a fade these reruns (0,2 to
     0,6 s) almost never reach. While it is pending, the browser composes a frame at every screen refresh
     for the whole rerun: without a graphics card, 0,1 to 0,2 s of CPU per rerun (bench/README.md). The
     "Running" indicator at the top right still says the page is being updated. */
  [data-stale="true"] {transition: none !important; opacity: 1 !important;}
  /* Charts and tables out of sight are drawn but not painted until they come near it (content-visibility):
     a run paints what is on screen. Before their first painting they count for 400 px of height. Overview,
     two A/Bs (bench/README.md): first appearance 1935 -> 1757 and 2064 -> 1945 ms, less graphics CPU;
     redraw after a region unchanged within the noise. */
  [data-testid="stMain"] [class*="st-key-graphique_"],
  [data-testid="stMain"] [data-testid="stElementContainer"]:has(> [data-testid="stFullScreenFrame"]) {
      content-visibility: auto; contain-intrinsic-size: auto 400px;}
</style>
<div style="padding-bottom: 1rem"><div class="rebond-marque"><span class="republique">République<br>française</span>
<span class="produit">Rebond industriel — tableau de bord</span></div></div>
"""


def entete(etat: StatutDonnees) -> None:
    """Brand line, state of the data and, for demonstration data, a banner that cannot be missed."""
    # Markdown, not st.html: st.html's code is loaded later, and its styles would apply only after the
    # placeholders have started to shimmer. Our constant markup only; never user text.
    st.markdown(_STYLE, unsafe_allow_html=True)
    if etat.version:
        st.caption(
            f"Données : version {etat.version} du {formats.date_fr(etat.date)} (auteur : {echapper(etat.auteur)}) · "
            "France 2030 — programme « Rebond industriel »"
        )
    else:
        st.caption("Aucune donnée importée pour l'instant.")
    if etat.demo:
        st.warning(donnees.texte_demonstration(etat.version), icon=":material/science:")


def pied() -> None:
    st.divider()
    st.caption(
        "Sources : AMI « Rebond industriel » (France 2030), Banque des Territoires, Bpifrance ; données importées "
        f"par les équipes du programme. {CREDIT_REFERENTIEL} {CREDIT_FONDS}"
    )
    geler_le_tas()


_TAS = {"gele": False}


def geler_le_tas() -> None:
    """Once per server process, when its first page is drawn (modules imported, caches filled): Python's
    garbage collector stops scanning the objects alive then (gc.freeze). Its full collections otherwise
    rescan them all (plotly's, pandas' and Streamlit's modules: hundreds of thousands of objects) every two
    or three runs of a page, 110 to 130 ms each (bench/README.md, « Pages »). Objects still freed by their
    reference count are freed as before; only the cycles alive at that moment are kept, until the process ends."""
    if not _TAS["gele"]:
        _TAS["gele"] = True
        gc.collect()
        gc.freeze()
        atexit.register(gc.unfreeze)  # collected again when the process ends (DuckDB's bindings check)


def tuiles(resultat: Resultat, cles: Sequence[str], colonnes: int = 4) -> None:
    """KPI tiles; each carries its French "mode de calcul" in its help tooltip."""
    emplacements = st.columns(colonnes)
    for indice, cle in enumerate(cles):
        indicateur = PAR_CLE[cle]
        with emplacements[indice % colonnes]:
            st.metric(indicateur.libelle, indicateur.texte(resultat.valeurs[cle]), help=indicateur.mode_de_calcul)


# How each provenance reads (referentiel.PROVENANCES): a coloured badge, none for imported data.
COULEURS_PROVENANCE = {referentiel.PUBLIE: "blue", referentiel.HYPOTHESE: "orange", referentiel.FICTIF: "gray"}


def marque(provenance: str | None, avant: str = "") -> str:
    """The Markdown badge of a provenance, after `avant` ('' for imported data or none)."""
    couleur = COULEURS_PROVENANCE.get(provenance or "")
    return f"{avant}:{couleur}-badge[{referentiel.PROVENANCES[provenance or '']}]" if couleur else ""


def legende_provenance() -> None:
    """The legend of the provenance badges, under what they mark (demonstration data only)."""
    st.caption(
        "Provenance : "
        + " · ".join(
            f"{marque(code)} {referentiel.EXPLICATIONS_PROVENANCE[code]}"
            for code in (referentiel.PUBLIE, referentiel.HYPOTHESE, referentiel.FICTIF)
        )
        + " (voir data/laureats-publics.csv et ses sources)."
    )


def source(etat: StatutDonnees, mode_de_calcul: str | None = None) -> None:
    """The caption under a chart: how it is computed, its source and the version date."""
    date = formats.date_fr(etat.date.date() if etat.date else None)
    texte = f"Source : base Rebond, version {etat.version} du {date}."
    st.caption(f"{mode_de_calcul} {texte}" if mode_de_calcul else texte)


def telechargements(df: pd.DataFrame, nom: str, lignes_entete: list[str], cle: str) -> None:
    """CSV for French Excel and XLSX, generated on click, formulas neutralised; on demonstration data both
    say so first (exports.MARQUE_DEMO)."""
    demo = donnees.etat(donnees.version()).demo
    qui = acces.utilisateur()
    with st.container(horizontal=True):
        st.download_button(
            "CSV pour Excel",
            data=functools.partial(_journalise, qui, f"{nom}.csv", exports.csv_excel_fr, df, lignes_entete, demo),
            file_name=f"{nom}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"csv_{cle}",
            icon=":material/download:",
        )
        st.download_button(
            "Classeur XLSX",
            data=functools.partial(_journalise, qui, f"{nom}.xlsx", exports.xlsx, df, nom, lignes_entete, demo),
            file_name=f"{nom}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            key=f"xlsx_{cle}",
            icon=":material/download:",
        )


def _journalise(qui: Habilitation, fichier: str, fabriquer: Callable[..., bytes], *args: Any) -> bytes:
    """Make a download when it is clicked, and write it to the journal."""
    contenu = fabriquer(*args)
    journal.consigner(qui.email, "telechargement", fichier, Portee.de(qui).libelle())
    return contenu


def perimetre_vide(filtres: Filtres) -> None:
    """The French message for an empty scope: filters too narrow, or nothing imported yet."""
    if filtres.region or filtres.releve or filtres.filiere or filtres.territoire:
        st.info(
            "Aucun territoire ne correspond à ces filtres. Élargissez-les ou cliquez sur « Réinitialiser les filtres »."
        )
    else:
        st.info(
            "La base ne contient encore aucun territoire lauréat : importez un classeur de relève "
            "(page « Importer des résultats »)."
        )


def carte_indisponible() -> None:
    st.info(
        "Carte indisponible : les fonds de carte ne sont pas configurés. Indiquez leur dossier dans la variable "
        "d'environnement REBOND_GEO_DIR (voir le README).",
        icon=":material/map:",
    )


def annoncer_apres_relance(cle: str, texte: str) -> None:
    """Keep a success notice (already escaped) for the next run, e.g. before st.rerun()."""
    st.session_state[f"annonce_{cle}"] = texte


def annonce(cle: str) -> None:
    """Show, once, the success notice kept under `cle`."""
    texte = st.session_state.pop(f"annonce_{cle}", None)
    if texte:
        st.success(texte, icon=":material/check_circle:")
