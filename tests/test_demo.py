"""The demonstration base: real territories; totals over all statuses equal to the published figures; retained
projects prioritised, not granted; plausible investment per job; fictitious payments that obey the contract's
rules 10–12 and give every execution indicator something to show; SIRENs that cannot be a real company's.

Expected values come from data/laureats-publics.csv (read here, independently of the generator) and from the
definitions of /work/shared/spec/indicateurs.md, computed in SQL on the base built by the normal import."""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core.config import CLASSEUR_DEMO
from rebond_core.db import Base
from rebond_core.domaine import est_siren_demo
from rebond_core.importation.pipeline import importer

RACINE = Path(__file__).resolve().parent.parent
PUBLIES = RACINE / "data" / "laureats-publics.csv"
GENERATEUR = RACINE / "data" / "demo" / "generer_demo.py"


def _laureats() -> list[dict[str, str]]:
    with PUBLIES.open(encoding="utf-8") as flux:
        return list(csv.DictReader(flux))


def _par_territoire(base: Base, requete: str, parametres: dict[str, object]) -> dict[str, object]:
    return {cle: valeur for cle, valeur in base.lignes(requete, parametres)}


def _luhn(siren: str) -> bool:
    chiffres = [int(c) for c in reversed(siren)]
    total = sum(c if i % 2 == 0 else (2 * c if c < 5 else 2 * c - 9) for i, c in enumerate(chiffres))
    return total % 10 == 0


def test_la_base_de_demo_est_marquee_et_versionnee(base_demo: Base) -> None:
    assert base_demo.meta("donnees_demo") == "oui"
    assert base_demo.lignes("select numero, auteur, restaure from versions") == [(1, "Données de démonstration", None)]


def test_le_classeur_s_importe_sans_erreur_ni_avertissement(base_vide: Base) -> None:
    """Into an empty base: no error, and no warning but the ignored `lisez-moi` sheet (no payment after the
    day of the import or before its decision, no envelope overrun, no jobs created on a project not granted)."""
    resultat = importer(base_vide, [CLASSEUR_DEMO], "tests", simulation=True)
    assert resultat.rapport.erreurs == []
    assert [(p.feuille, p.code) for p in resultat.rapport.avertissements] == [("lisez-moi", "feuille-inconnue")]


def test_le_classeur_est_celui_que_produit_le_generateur(tmp_path: Path) -> None:
    """The committed workbook is up to date, and the generator is deterministic (fixed seed, fixed dates)."""
    specification = importlib.util.spec_from_file_location("generer_demo", GENERATEUR)
    assert specification is not None and specification.loader is not None
    module = importlib.util.module_from_spec(specification)
    specification.loader.exec_module(module)
    module.generer(tmp_path / "a.xlsx", RACINE)
    module.generer(tmp_path / "b.xlsx", RACINE)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes() == CLASSEUR_DEMO.read_bytes()


def test_territoires_reels(base_demo: Base) -> None:
    stockes = {
        code: (releve, region, sorted(epci))
        for code, releve, region, epci in base_demo.lignes(
            "select code_territoire, releve, region, epci from territoires where v_to is null"
        )
    }
    attendus = {
        ligne["code_territoire"]: (int(ligne["releve"]), ligne["region"], sorted(ligne["epci"].split(";")))
        for ligne in _laureats()
    }
    assert stockes == attendus


@pytest.mark.parametrize("laureat", _laureats(), ids=lambda ligne: ligne["code_territoire"])
def test_totaux_calibres_sur_les_chiffres_publies(base_demo: Base, laureat: dict[str, str]) -> None:
    """Published mission figures count everything detected, whatever became of it: totals over ALL statuses.
    "Retained" projects are those the COPIL prioritised (sent to the envelope), not granted ones."""
    projets, investissement, emplois, priorises, aides = base_demo.lignes(
        """
        select count(*), sum(investissement_eur), sum(emplois_prevus),
               count(*) filter (where statut = 'priorise'),
               coalesce(sum(subvention_eur + avance_remboursable_eur) filter (where statut = 'accorde'), 0)
        from projets where v_to is null and code_territoire = $code
        """,
        {"code": laureat["code_territoire"]},
    )[0]
    if laureat["projets_identifies"]:
        assert projets == int(laureat["projets_identifies"])
    if laureat["investissement_identifie_eur"]:
        assert investissement == Decimal(laureat["investissement_identifie_eur"])
    if laureat["emplois_potentiels"]:
        assert emplois == int(laureat["emplois_potentiels"])
    if laureat["projets_retenus"]:
        assert priorises == int(laureat["projets_retenus"])
    if laureat["aides_accordees_eur"]:
        assert aides == Decimal(laureat["aides_accordees_eur"])
    assert (
        3
        <= base_demo.scalaire(
            "select count(*) from sites where v_to is null and code_territoire = $c", {"c": laureat["code_territoire"]}
        )
        <= 8
    )


@pytest.mark.parametrize(
    "laureat", [ligne for ligne in _laureats() if ligne["projets_retenus"]], ids=lambda ligne: ligne["code_territoire"]
)
def test_hors_liste_retenue_rien_n_est_parti_vers_l_enveloppe(base_demo: Base, laureat: dict[str, str]) -> None:
    """Where the source publishes the list retained for the envelope (Cambrai 17, Chaumont – Grand Langres 7,
    Dreux 14), no other project went to it: none filed, granted or refused, so no aid engaged."""
    statuts = _par_territoire(
        base_demo,
        "select statut, count(*) from projets where v_to is null and code_territoire = $c group by statut",
        {"c": laureat["code_territoire"]},
    )
    assert set(statuts) <= {"identifie", "priorise", "abandonne"}
    assert statuts["priorise"] == int(laureat["projets_retenus"])


def test_cambrai_plus_de_300_emplois_dans_les_17_projets_retenus(base_demo: Base) -> None:
    nombre, emplois = base_demo.lignes(
        "select count(*), sum(emplois_prevus) from projets "
        "where v_to is null and code_territoire = 'cambrai' and statut = 'priorise'"
    )[0]
    assert nombre == 17 and emplois > 300


def test_enveloppes_publiees(base_demo: Base) -> None:
    """Published envelopes are kept as published; Cambrai's is 5 M€ in total (2.5 M€ + 2.5 M€ of local
    co-funding, the split being the hypothesis of laureats-publics.csv)."""
    stockees = {
        code: (enveloppe, cofinancement)
        for code, enveloppe, cofinancement in base_demo.lignes(
            "select code_territoire, enveloppe_aides_eur, cofinancement_local_eur from territoires where v_to is null"
        )
    }
    for ligne in _laureats():
        enveloppe, cofinancement = stockees[ligne["code_territoire"]]
        if ligne["enveloppe_aides_eur"]:
            assert enveloppe == Decimal(ligne["enveloppe_aides_eur"]), ligne["code_territoire"]
        if ligne["cofinancement_local_eur"]:
            assert cofinancement == Decimal(ligne["cofinancement_local_eur"]), ligne["code_territoire"]
    assert sum(stockees["cambrai"]) == Decimal("5000000")


def test_investissement_par_emploi_dans_la_fourchette_publiee(base_demo: Base) -> None:
    """Every territory's detected investment per detected job lies within the range of the territories that
    publish both figures: Lorient 224 M€ / 739 jobs = 303 112 € to Cambrai 286 M€ / 645 jobs = 443 411 €
    (Douaisis 334 532 €, Morlaix 366 667 € in between). Ardennes once had 1.17 M€ per job."""
    publies = [
        Decimal(ligne["investissement_identifie_eur"]) / int(ligne["emplois_potentiels"])
        for ligne in _laureats()
        if ligne["investissement_identifie_eur"] and ligne["emplois_potentiels"]
    ]
    bas, haut = min(publies), max(publies)
    assert (round(bas), round(haut)) == (303112, 443411)
    ratios = {
        code: investissement / emplois
        for code, investissement, emplois in base_demo.lignes(
            "select code_territoire, sum(investissement_eur), sum(emplois_prevus) from projets "
            "where v_to is null group by code_territoire"
        )
    }
    assert len(ratios) == len(_laureats())
    hors = {code: round(r) for code, r in ratios.items() if not bas <= r <= haut}
    assert hors == {}


def test_siren_de_demonstration() -> None:
    """The demonstration range: 9 digits starting with 0000 (below 000 100 000), 000000000 excluded."""
    assert est_siren_demo("000012343")
    assert not est_siren_demo("000000000")  # the usual "unknown" placeholder
    assert not est_siren_demo("000325175")  # the smallest SIREN of the Sirene stock file: a real unit
    assert not est_siren_demo("200068500")  # an EPCI (Cambrai)
    assert not est_siren_demo("732829320")
    assert not est_siren_demo("00001234")  # 8 digits
    assert not est_siren_demo("0000x2343")


def test_les_siren_de_la_demo_sont_tous_de_la_plage_et_valides(base_demo: Base) -> None:
    sirens = [s for (s,) in base_demo.lignes("select siren from projets where v_to is null")]
    assert len(sirens) == base_demo.scalaire("select count(*) from projets where v_to is null") > 1000
    assert len(set(sirens)) == len(sirens)
    assert [s for s in sirens if s is None or not est_siren_demo(s) or not _luhn(s)] == []
    # And no public body of the referential falls in the range.
    assert [s for (s,) in base_demo.lignes("select siren_epci from ref_epci") if est_siren_demo(s)] == []


def test_versements_regles_10_a_12(base_demo: Base) -> None:
    """Payments only on granted projects, never more than decided, repayments never more than the advance
    paid so far (at every date, stronger than rule 11), dates between the decision and today."""
    projets = {
        id_projet: (statut, subvention, avance, decision)
        for id_projet, statut, subvention, avance, decision in base_demo.lignes(
            "select id_projet, statut, subvention_eur, avance_remboursable_eur, date_decision "
            "from projets where v_to is null"
        )
    }
    mouvements = base_demo.lignes(
        "select id_projet, date, nature, montant_eur from versements where v_to is null "
        "order by id_projet, date, nature"
    )
    assert len(mouvements) > 100
    par_projet: dict[str, list[tuple[date, str, Decimal]]] = defaultdict(list)
    for id_projet, jour, nature, montant in mouvements:
        par_projet[id_projet].append((jour, nature, montant))
    for id_projet, liste in par_projet.items():
        statut, subvention, avance, decision = projets[id_projet]
        assert statut == "accorde", id_projet
        sommes: dict[str, Decimal] = defaultdict(Decimal)
        for jour, nature, montant in liste:  # by date; on one day "avance" comes before "remboursement"
            assert montant > 0 and decision <= jour <= date.today(), id_projet
            sommes[nature] += montant
            assert sommes["remboursement"] <= sommes["avance"], id_projet
        assert sommes["subvention"] <= subvention and sommes["avance"] <= avance, id_projet


def test_chaque_indicateur_d_execution_a_quelque_chose_a_montrer(base_demo: Base) -> None:
    """Each new key of indicateurs.md, computed here from its definition at today's reference date, is above
    zero on the whole programme and on at least three territories."""
    aujourd_hui = date.today()
    parametres = {"ref": aujourd_hui, "un_an_avant": aujourd_hui - timedelta(days=365)}
    par_nature = """
        select p.code_territoire, sum(v.montant_eur) from versements v
        join projets p on p.id_projet = v.id_projet and p.v_to is null
        where v.v_to is null and v.nature = '{nature}' and v.date <= $ref group by p.code_territoire
    """
    indicateurs = {
        "investissement_eur.detecte": "select code_territoire, sum(investissement_eur) from projets "
        "where v_to is null group by 1",
        "emplois.detectes": "select code_territoire, sum(emplois_prevus) from projets where v_to is null group by 1",
        "emplois.crees_soutenus": "select code_territoire, sum(coalesce(emplois_crees, 0)) from projets "
        "where v_to is null and statut = 'accorde' group by 1",
        "versements.subventions_eur": par_nature.format(nature="subvention"),
        "versements.avances_eur": par_nature.format(nature="avance"),
        "versements.rembourse_eur": par_nature.format(nature="remboursement"),
        "projets.en_attente_12_mois": "select code_territoire, count(*) from projets where v_to is null "
        "and statut in ('priorise', 'depose') and date_statut < $un_an_avant group by 1",
        "projets.accordes_sans_versement": """
            select p.code_territoire, count(*) from projets p
            where p.v_to is null and p.statut = 'accorde' and p.date_decision < $ref - interval 180 days
              and not exists (
                  select 1 from versements v where v.v_to is null and v.id_projet = p.id_projet
                    and v.nature in ('subvention', 'avance') and v.date <= $ref)
            group by 1
        """,
    }
    vides = {}
    for cle, requete in indicateurs.items():
        utilises = {nom: valeur for nom, valeur in parametres.items() if f"${nom}" in requete}
        valeurs = {code: v for code, v in base_demo.lignes(requete, utilises) if v}
        if sum(valeurs.values()) <= 0 or len(valeurs) < 3:
            vides[cle] = valeurs
    assert vides == {}
