"""Vue d'ensemble du programme: KPIs, envelopes, relèves, aid over time, filières, map, territories."""

from __future__ import annotations

import streamlit as st

from rebond_core import figures, formats, projection
from rebond_core.indicateurs import EXPLICATION_PAR_STATUT, Filtres
from rebond_ui import cartes, composants, donnees, filtres, tableaux_affiches
from rebond_ui.cadre import cadre

contexte = cadre()
tableaux_affiches.aller_a_la_fiche_si_demande()
cle = donnees.cle(contexte.filtres)
resultat = donnees.indicateurs(contexte.version, cle)
v = resultat.valeurs

st.title("Vue d'ensemble du programme")
st.caption(filtres.description(contexte.filtres, contexte.options))

if v["territoires.nombre"] == 0:
    composants.perimetre_vide(contexte.filtres)
    composants.pied()
    st.stop()

composants.tuiles(
    resultat, ["territoires.nombre", "projets.total", "investissement_eur.potentiel", "investissement_eur.soutenu"]
)
composants.tuiles(resultat, ["emplois.potentiels", "emplois.soutenus", "emplois.crees", "effet_levier"])

st.subheader("Enveloppes du programme")
gauche, droite = st.columns(2)
with gauche:
    engage, alloue, total = (float(v[f"enveloppe_aides.{k}"]) for k in ("engage_eur", "alloue_eur", "total_eur"))
    st.markdown(
        f"**Aides à l'investissement (Bpifrance)** — {formats.millions_euros(engage)} engagés sur "
        f"{formats.millions_euros(total, 0)} ({formats.pourcentage(v['enveloppe_aides.taux'])})"
    )
    st.plotly_chart(
        figures.jauge_enveloppe(
            [
                ("Subventions", float(v["enveloppe_aides.subventions_eur"]), figures.BLEU_FRANCE),
                ("Avances remboursables", float(v["enveloppe_aides.avances_eur"]), "#417DC4"),
                ("Alloué non engagé", max(0.0, alloue - engage), figures.BLEU_PALE),
            ],
            total,
            "Aides",
        ),
        config={"displayModeBar": False},
        key="jauge_aides",
    )
    st.caption(
        f"Allouées aux territoires : {formats.millions_euros(alloue)} · demandes en cours : "
        f"{formats.millions_euros(v['enveloppe_aides.demandes_en_cours_eur'])} · reste de l'enveloppe nationale : "
        f"{formats.millions_euros(v['enveloppe_aides.reste_eur'])}."
    )
with droite:
    engage_i, total_i = float(v["enveloppe_ingenierie.engage_eur"]), float(v["enveloppe_ingenierie.total_eur"])
    st.markdown(
        f"**Ingénierie (Banque des Territoires)** — {formats.millions_euros(engage_i, 2)} engagés sur "
        f"{formats.millions_euros(total_i, 0)} ({formats.pourcentage(v['enveloppe_ingenierie.taux'])})"
    )
    st.plotly_chart(
        figures.jauge_enveloppe([("Missions engagées", engage_i, figures.BLEU_FRANCE)], total_i, "Ingénierie"),
        config={"displayModeBar": False},
        key="jauge_inge",
    )
    st.caption(
        "Coût des missions d'ingénierie des territoires du périmètre, payées en totalité par la Banque des Territoires."
    )
composants.source(
    contexte.etat,
    "Engagé : subventions et avances des projets accordés ; alloué : enveloppes attribuées "
    "aux territoires ; les totaux nationaux ne dépendent pas des filtres.",
)

gauche, droite = st.columns(2)
with gauche:
    st.subheader("Lauréats par relève")
    st.plotly_chart(
        figures.laureats_par_releve(donnees.table("laureats_par_releve", contexte.version, cle)), key="releves"
    )
    composants.source(contexte.etat, "Territoires du périmètre par relève de candidature, et leur cumul.")
with droite:
    st.subheader("Aides engagées dans le temps")
    aides = donnees.table("aides_par_date", contexte.version, cle)
    # The national envelope: what the whole base engaged is the total less what remains of it.
    epuisement = projection.projection_epuisement(
        donnees.table("aides_par_date", contexte.version, donnees.cle(Filtres())),
        v["enveloppe_aides.total_eur"] - v["enveloppe_aides.reste_eur"],
    )
    st.plotly_chart(
        figures.trajectoire_aides(
            aides,
            projection.trajectoire_lineaire(),
            epuisement.epuisement,
            float(epuisement.engage_eur),
            epuisement.reference,
        ),
        key="trajectoire",
    )
    if epuisement.epuisement:
        st.markdown(
            f"Au rythme des douze mois précédant la dernière décision ({formats.date_fr(epuisement.reference)}), "
            f"soit {formats.millions_euros(epuisement.rythme_annuel_eur)} par an, les 90 M€ seraient épuisés le "
            f"**{formats.date_fr(epuisement.epuisement)}**."
        )
    else:
        st.markdown("Aucune aide décidée pour l'instant : pas de projection d'épuisement.")
    composants.source(
        contexte.etat,
        "Cumul des aides des projets accordés par date de décision ; trajectoire "
        "linéaire de 0 au 01/10/2022 à 90 M€ au 01/10/2026 ; projection sur toute la base.",
    )

st.subheader("Projets par filière et par statut")
st.plotly_chart(
    figures.projets_filiere_statut(donnees.table("projets_filiere_statut", contexte.version, cle)), key="filieres"
)
composants.source(contexte.etat, EXPLICATION_PAR_STATUT)

st.subheader("Carte des territoires lauréats")
territoires = donnees.table("territoires", contexte.version, cle)
cartes.carte_nationale(territoires, contexte)

st.subheader("Territoires")
tableaux_affiches.tableau_territoires(territoires, contexte)

composants.pied()
