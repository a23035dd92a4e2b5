"""Territoire: identity, figures against its envelope, funnel, projects, filières, map, median comparison."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from rebond_core import figures, formats, projection
from rebond_core.domaine import FILIERES, STATUTS_MISSION, STATUTS_PROJET
from rebond_core.indicateurs import EXPLICATION_PAR_FILIERE, Filtres
from rebond_ui import cartes, composants, donnees, filtres, tableaux_affiches
from rebond_ui.cadre import cadre
from rebond_ui.surete import brut

contexte = cadre()
st.title("Territoire")

# Territories in scope without the territory filter: the choice is made among them.
sans_territoire = dataclasses.replace(contexte.filtres, territoire=())
candidats = donnees.table("territoires", contexte.version, donnees.cle(sans_territoire))
if candidats.empty:
    composants.perimetre_vide(contexte.filtres)
    composants.pied()
    st.stop()
codes = list(candidats["code_territoire"])
noms = dict(zip(candidats["code_territoire"], candidats["nom"], strict=True))
choisis = [c for c in contexte.filtres.territoire if c in noms]
st.session_state["choix_territoire"] = choisis[0] if len(choisis) == 1 else None
st.selectbox(
    "Territoire",
    codes,
    format_func=lambda c: noms[c],
    placeholder="Choisissez un territoire",
    key="choix_territoire",
    on_change=lambda: filtres.choisir_territoire(st.session_state["choix_territoire"], garder_les_autres=True),
)
if len(choisis) != 1:
    st.info("Choisissez un territoire dans la liste, ou ouvrez-le depuis le tableau de la vue d'ensemble.")
    composants.pied()
    st.stop()
code = choisis[0]

cle = donnees.cle(contexte.filtres)
resultat = donnees.indicateurs(contexte.version, cle)
territoire = donnees.table("territoires", contexte.version, cle).iloc[0]
v = resultat.valeurs


def _manquant(valeur: object) -> bool:
    return valeur is None or bool(pd.isna(valeur))


def _date(valeur: object) -> str:
    return "—" if _manquant(valeur) else formats.date_fr(pd.Timestamp(valeur).date())


def _texte(valeur: object, formater: Callable[[Any], str] = brut) -> str:
    return "—" if _manquant(valeur) or valeur == "" else formater(valeur)


st.header(brut(territoire["nom"]))
gauche, droite = st.columns([1, 1])
incertaines = donnees.releves_incertaines(contexte.version)
with gauche:
    releves = dict(contexte.options["releve"])
    hypothese = " — hypothèse : relève non confirmée par les sources publiques" if code in incertaines else ""
    st.markdown(
        f"**Région** : {territoire['region_nom']}  \n"
        f"**Relève** : {releves.get(int(territoire['releve']), territoire['releve'])}{hypothese}  \n"
        f"**Filières** : {', '.join(FILIERES[f] for f in territoire['filieres'])}  \n"
        f"**Mission d'ingénierie** : {STATUTS_MISSION[territoire['statut_mission']]}, du "
        f"{_date(territoire['date_debut_mission'])} au {_date(territoire['date_fin_mission'])}  \n"
        f"**Cabinet** : {_texte(territoire['cabinet'])}  \n"
        f"**Industriels rencontrés** : {_texte(territoire['industriels_rencontres'], formats.nombre)}"
    )
with droite:
    epci = donnees.epci_du_territoire(contexte.version, code)
    st.dataframe(
        tableaux_affiches.en_francais(
            epci.rename(
                columns={
                    "nom": "EPCI",
                    "siren_epci": "SIREN",
                    "type": "Type",
                    "population_municipale": "Population",
                    "nb_communes": "Communes",
                }
            )
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption("Population municipale (INSEE), EPCI du COG 2026.")
    composants.telechargements(
        epci, f"epci-{code}", [f"Rebond industriel — EPCI du territoire {territoire['nom']}"], "epci"
    )

composants.tuiles(
    resultat, ["projets.total", "investissement_eur.potentiel", "emplois.potentiels", "enveloppe_aides.engage_eur"]
)

st.subheader("Enveloppe du territoire")
enveloppe = float(territoire["enveloppe_aides_eur"]) + float(territoire["cofinancement_local_eur"])
engage = float(v["enveloppe_aides.engage_eur"])
st.markdown(
    f"{formats.millions_euros(engage, 2)} engagés sur une enveloppe de {formats.millions_euros(enveloppe, 2)} "
    f"(dont cofinancement local {formats.millions_euros(territoire['cofinancement_local_eur'], 2)}) ; "
    f"demandes en cours : {formats.millions_euros(v['enveloppe_aides.demandes_en_cours_eur'], 2)}."
)
st.plotly_chart(
    figures.jauge_enveloppe(
        [
            ("Subventions", float(v["enveloppe_aides.subventions_eur"]), figures.BLEU_FRANCE),
            ("Avances remboursables", float(v["enveloppe_aides.avances_eur"]), "#417DC4"),
        ],
        enveloppe,
        "Enveloppe",
    ),
    config={"displayModeBar": False},
    key="jauge_territoire",
)
if engage > enveloppe:
    st.warning("Dépassement d'enveloppe : les aides accordées dépassent l'enveloppe du territoire.")

gauche, droite = st.columns(2)
with gauche:
    st.subheader("Parcours des projets")
    st.plotly_chart(figures.entonnoir(resultat.par_statut), key="entonnoir")
    composants.source(
        contexte.etat,
        "Projets ayant atteint chaque étape (statut actuel à cette étape ou au-delà) ; refusés et abandonnés à part.",
    )
with droite:
    st.subheader("Investissement et emplois par filière")
    st.plotly_chart(figures.par_filiere(resultat.par_filiere), key="par_filiere")
    composants.source(contexte.etat, EXPLICATION_PAR_FILIERE)

st.subheader("Projets")
projets = donnees.table("projets", contexte.version, cle)
colonnes = st.columns([2, 2, 2])
recherche = colonnes[0].text_input("Rechercher (intitulé, entreprise, commune)", key="recherche_projets")
statuts = colonnes[1].multiselect(
    "Statut", list(STATUTS_PROJET), format_func=STATUTS_PROJET.__getitem__, key="statuts_projets", placeholder="Tous"
)
filieres_ = colonnes[2].multiselect(
    "Filière", list(FILIERES), format_func=FILIERES.__getitem__, key="filieres_projets", placeholder="Toutes"
)
if recherche:
    texte = recherche.casefold()
    masque = (
        projets[["intitule", "entreprise", "commune_nom"]]
        .fillna("")
        .apply(lambda ligne: texte in " ".join(ligne).casefold(), axis=1)
    )
    projets = projets[masque]
if statuts:
    projets = projets[projets["statut"].isin(statuts)]
if filieres_:
    projets = projets[projets["filiere"].isin(filieres_)]
if projets.empty:
    st.info("Aucun projet ne correspond à cette recherche.")
else:
    st.caption(f"{formats.nombre(len(projets))} projet(s).")
    tableaux_affiches.tableau_projets(projets, contexte, "projets_territoire")

st.subheader("Carte du territoire")
cartes.carte_territoire(territoire, contexte)

st.subheader("Comparaison avec la médiane des lauréats")
tous = donnees.table("territoires", contexte.version, donnees.cle(Filtres()))
comparaison = projection.comparaison_mediane(projection.ratios_territoires(tous), code)
gauche, droite = st.columns([1, 1])
with gauche:
    st.plotly_chart(figures.comparaison_mediane(comparaison), key="mediane")
with droite:

    def _formater(ratio: str, valeur: object) -> str:
        if valeur is None or valeur != valeur:
            return "—"
        if "Part" in ratio:
            return formats.pourcentage(valeur)
        return formats.nombre(valeur, 1 if "par projet" in ratio and "€" not in ratio else 0)

    st.dataframe(
        comparaison.assign(
            territoire=[_formater(r, x) for r, x in zip(comparaison["ratio"], comparaison["territoire"], strict=True)],
            mediane=[_formater(r, x) for r, x in zip(comparaison["ratio"], comparaison["mediane"], strict=True)],
            ecart=[formats.pourcentage(e, 0) if e == e and e is not None else "—" for e in comparaison["ecart"]],
        ).rename(columns={"ratio": "Ratio", "territoire": "Territoire", "mediane": "Médiane", "ecart": "Écart"}),
        hide_index=True,
        width="stretch",
    )
composants.source(contexte.etat, f"Médiane sur les {len(tous)} territoires lauréats de la base, sans filtre.")
composants.telechargements(
    comparaison,
    f"comparaison-{code}",
    [f"Rebond industriel — {territoire['nom']} comparé à la médiane des lauréats", f"Version {contexte.version}"],
    "mediane",
)

composants.pied()
