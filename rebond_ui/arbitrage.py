"""The arbitration page's settings (objective, national budget, territory ceilings on or off, filière
ceilings) in the session and in the link, and its two tables.

The settings are read once per session from the URL (each bad value dropped with a French notice) and
written back after every run, so that a proposal discussed in a meeting can be shared exactly. Public URL
parameters: objectif (emplois | investissement), budget (euros; absent: what remains of the national
envelope), plafonds_territoire (1 | 0), plafond_<filière code> (euros)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import arbitrage, formats, vues_arbitrage
from rebond_core.arbitrage import Reglages
from rebond_core.domaine import FILIERES
from rebond_core.erreurs import RebondError
from rebond_core.perimetre import Filtres
from rebond_ui import filtres
from rebond_ui.parametres_url import Lecteur
from rebond_ui.surete import echapper
from rebond_ui.tableaux_affiches import en_francais

OBJECTIF = "arbitrage_objectif"
BUDGET = "arbitrage_budget"
PLAFONDS_TERRITOIRE = "arbitrage_plafonds_territoire"
LIEN_LU = "arbitrage_lien_lu"
AVIS_LIEN = "arbitrage_avis_lien"
LIMITE_TEMPS_PAGE_S = 20.0


def cle_filiere(code: str) -> str:
    return f"arbitrage_plafond_{code}"


def _texte_montant(valeur: Decimal) -> str:
    """An amount as the link and the fields hold it: '62067000', '1250000.5'."""
    return format(valeur.normalize(), "f") if valeur == valeur.to_integral_value() else format(valeur, "f")


MONTANT_MAX_LIEN = Decimal("1000000000000")  # 10^12 €, the contract's bound on amounts


def _lire() -> list[str]:
    """Seed the settings from the link through the one tolerant reader; a notice per value dropped or
    clamped."""
    lecteur = Lecteur.du_lien()
    st.session_state[OBJECTIF] = lecteur.choix(
        "objectif", arbitrage.OBJECTIFS, arbitrage.OBJECTIF_PAR_DEFAUT, "objectif"
    )
    budget = lecteur.montant("budget", "budget national", MONTANT_MAX_LIEN)
    st.session_state[BUDGET] = "" if budget is None else _texte_montant(budget)
    st.session_state[PLAFONDS_TERRITOIRE] = lecteur.booleen("plafonds_territoire", True, "plafonds par territoire")
    for code, libelle in FILIERES.items():
        plafond = lecteur.montant(f"plafond_{code}", f"plafond {libelle}", MONTANT_MAX_LIEN)
        st.session_state[cle_filiere(code)] = "" if plafond is None else _texte_montant(plafond)
    return lecteur.avis


def _ecrire(r: Reglages) -> None:
    """The settings in effect into the link."""
    parametres = st.query_params
    parametres["objectif"] = r.objectif
    parametres["plafonds_territoire"] = "1" if r.plafonds_territoire else "0"
    a_garder = {"budget"} if r.budget_eur is not None else set()
    if r.budget_eur is not None:
        parametres["budget"] = _texte_montant(r.budget_eur)
    for code, plafond in r.plafonds_filiere:
        parametres[f"plafond_{code}"] = _texte_montant(plafond)
        a_garder.add(f"plafond_{code}")
    for cle in list(parametres.keys()):
        if (cle == "budget" or cle.startswith("plafond_")) and cle not in a_garder:
            del parametres[cle]


def _montant_saisi(cle: str, quoi: str, erreurs: list[str]) -> Decimal | None:
    texte = str(st.session_state.get(cle) or "").strip()
    if not texte:
        return None
    try:
        return arbitrage.montant(texte, quoi)
    except RebondError as erreur:
        erreurs.append(f"{erreur.message_fr} Valeur ignorée.")
        return None


def panneau(budget_par_defaut: Decimal) -> Reglages:
    """Draw the settings, keep the link in step, return the settings in effect (a value that does not
    read as an amount is ignored, with a French message)."""
    if LIEN_LU not in st.session_state:
        st.session_state[AVIS_LIEN] = _lire()
        st.session_state[LIEN_LU] = True
    haut = st.columns([2.2, 2, 1.6], vertical_alignment="bottom")
    haut[0].segmented_control(
        "Objectif à maximiser",
        list(arbitrage.OBJECTIFS),
        format_func=arbitrage.OBJECTIFS.__getitem__,
        key=OBJECTIF,
        required=True,
    )
    haut[1].text_input(
        "Budget national (€)",
        key=BUDGET,
        placeholder=f"reste de l'enveloppe : {formats.euros(budget_par_defaut)}",
        help="Vide : le reste de l'enveloppe nationale de 90 M€ (90 M€ moins les aides engagées). Exemples : "
        "62000000, 62 000 000, 45,5 M€.",
    )
    haut[2].toggle(
        "Plafonds par territoire",
        key=PLAFONDS_TERRITOIRE,
        help="Chaque territoire ne peut financer que ce qui reste de son enveloppe d'aides (enveloppe moins aides "
        "déjà engagées). Désactivé : seul le budget national limite.",
    )
    with st.expander("Plafonds par filière (facultatifs)"):
        colonnes = st.columns(4)
        for rang, (code, libelle) in enumerate(FILIERES.items()):
            colonnes[rang % 4].text_input(f"{libelle} (€)", key=cle_filiere(code), placeholder="aucun")
    erreurs: list[str] = []
    budget = _montant_saisi(BUDGET, "Budget national", erreurs)
    plafonds = {}
    for code, libelle in FILIERES.items():
        plafond = _montant_saisi(cle_filiere(code), f"Plafond de la filière {libelle}", erreurs)
        if plafond is not None:
            plafonds[code] = plafond
    for texte in [*st.session_state.pop(AVIS_LIEN, []), *erreurs]:
        st.warning(echapper(texte), icon=":material/warning:")
    objectif = st.session_state.get(OBJECTIF) or arbitrage.OBJECTIF_PAR_DEFAUT
    r = arbitrage.reglages(objectif, budget, bool(st.session_state[PLAFONDS_TERRITOIRE]), plafonds, LIMITE_TEMPS_PAGE_S)
    _ecrire(r)
    return r


def description_texte(choix: Filtres, options: dict[str, list[tuple[Any, str]]]) -> str:
    """The filters in one line of plain text (for files: no Markdown escaping)."""
    libelles = filtres.choix_filtres(options)
    parties = [
        f"{filtres.LIBELLES[nom]} : {', '.join(libelles[nom].get(v, str(v)) for v in getattr(choix, nom))}"
        for nom in filtres.NOMS
        if getattr(choix, nom)
    ]
    return " ; ".join(parties) if parties else "Tout le programme (aucun filtre)"


def tableau_projets(vue: pd.DataFrame) -> None:
    """The candidates, proposed first (vues_arbitrage.vue_projets)."""
    st.dataframe(
        en_francais(vue),
        hide_index=True,
        width="stretch",
        key="arbitrage_projets",
        column_config={
            "Proposé": st.column_config.CheckboxColumn("Proposé", width="small"),
            "Premier arrivé": st.column_config.CheckboxColumn(
                "Premier arrivé", help="Retenu par la règle « premier déposé, premier financé »."
            ),
            "Date du statut": st.column_config.DateColumn("Date du statut", format="DD/MM/YYYY"),
            "Motif": st.column_config.TextColumn("Motif", width="large"),
        },
    )


def tableau_enveloppes(vue: pd.DataFrame, objectif: str) -> None:
    """The envelopes with their marginal values (vues_arbitrage.vue_enveloppes)."""
    marginale, exacte = vues_arbitrage.colonnes_enveloppes(objectif)
    style = en_francais(vue)  # marginal values with one decimal (0 when whole); a gain not computed reads —
    st.dataframe(
        style,
        hide_index=True,
        width="stretch",
        key="arbitrage_enveloppes",
        column_config={
            marginale: st.column_config.Column(
                marginale,
                help=f"Relaxation continue (projets finançables en partie) : gain avec {vues_arbitrage.PAS} de plus "
                "sur cette seule enveloppe.",
            ),
            exacte: st.column_config.Column(
                exacte,
                help=f"Nouvelle sélection optimale calculée avec {vues_arbitrage.PAS} de plus sur cette seule "
                "enveloppe.",
            ),
        },
    )
