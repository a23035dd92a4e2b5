"""The indicators of spec/indicateurs.md, each declared once in the registry below (key, label, unit,
French explanation, and how it derives from the named sums of sql/indicateurs.sql), computed from one query.
The filters carry the reference date (`Filtres.au`, today by default): payments are counted up to it and
delays measured to it (sql/perimetre.sql).

Adding an indicator: a named sum in sql/indicateurs.sql if none fits (one line), then one `Indicateur` in
`INDICATEURS` whose `calcul` reads the sums by name, e.g. `lambda s: s.projets("emplois_crees", ACCORDES)`.
The pages, the command line and the JSON take it from the registry."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rebond_core import formats
from rebond_core.config import ATTENTE_MAX_JOURS, DELAI_VERSEMENT_JOURS, ENVELOPPE_AIDES_EUR, ENVELOPPE_INGENIERIE_EUR
from rebond_core.db import Base
from rebond_core.domaine import FILIERES, STATUT_ACCORDE, STATUTS_ACTIFS, STATUTS_PIPELINE, STATUTS_PROJET
from rebond_core.formats import EMPLOIS, EUROS, NOMBRE, RATIO, TAUX
from rebond_core.perimetre import SANS_FILTRE, requete_perimetre
from rebond_core.perimetre import Filtres as Filtres  # the scope's filters, also imported from here
from rebond_core.perimetre import verifier_filtres as verifier_filtres
from rebond_core.versions import version_a_lire

ACCORDES = (STATUT_ACCORDE,)


@dataclass(frozen=True)
class Sommes:
    """The named sums of sql/indicateurs.sql for one scope, read by name.

    `par_statut_filiere`: the projects of P summed per (statut, filière), one dict per pair holding
    `statut`, `filiere` and each named project sum; `territoires`: the sums over T; `toute_la_base`: the
    sums over the whole base, whatever the filters."""

    par_statut_filiere: tuple[dict[str, Any], ...]
    territoires: dict[str, Any]
    toute_la_base: dict[str, Any]

    def projets(self, somme: str, statuts: Collection[str] | None = None, filiere: str | None = None) -> Any:
        """The named project sum over the projects whose statut is in `statuts` (all when None) and of
        `filiere` (all when None); 0 when none (a Decimal for amounts, whose names end in _eur). A null
        sum (a filtered sum of a pair with no such project) counts 0."""
        return sum(
            (
                ligne[somme]
                for ligne in self.par_statut_filiere
                if (statuts is None or ligne["statut"] in statuts)
                and (filiere is None or ligne["filiere"] == filiere)
                and ligne[somme] is not None
            ),
            Decimal(0) if somme.endswith("_eur") else 0,
        )


@dataclass(frozen=True)
class Indicateur:
    """One indicator: its key (dots nest it in the JSON), French label, unit (formats.EUROS …), the French
    explanation shown next to it, and `calcul`, how its value derives from the named sums. `precision`
    is what the value counts when its unit alone does not say it (a ratio's units), written after it."""

    cle: str
    libelle: str
    unite: str
    mode_de_calcul: str
    calcul: Callable[[Sommes], Any] = field(repr=False, compare=False)
    precision: str = ""

    def texte(self, valeur: Any) -> str:
        """The value as a person reads it: formats.indicateur by unit, then the precision ('19,5 € par €
        d'aide'); a missing value is formats.VIDE alone."""
        texte = formats.indicateur(valeur, self.unite)
        return f"{texte}{formats.ESPACE_UNITE}{self.precision}" if self.precision and texte != formats.VIDE else texte


def _aides_engagees(s: Sommes) -> Decimal:
    return s.projets("aides_eur", ACCORDES)


def _emplois_crees_soutenus(s: Sommes) -> int:
    return int(s.projets("emplois_crees", ACCORDES))


def _verse(s: Sommes) -> Decimal:
    return Decimal(s.projets("verse_subventions_eur")) + Decimal(s.projets("verse_avances_eur"))


def _ratio(numerateur: Any, denominateur: Any) -> Decimal | None:
    return None if not denominateur else Decimal(numerateur) / Decimal(denominateur)


_ACTIFS = "projets actifs (ni refusés ni abandonnés)"
INDICATEURS: tuple[Indicateur, ...] = (
    Indicateur(
        "territoires.nombre",
        "Territoires lauréats",
        NOMBRE,
        "Nombre de territoires lauréats dans le périmètre choisi.",
        lambda s: s.territoires["nombre"],
    ),
    Indicateur(
        "projets.total",
        "Projets détectés",
        NOMBRE,
        "Nombre de projets détectés par les missions, tous statuts confondus.",
        lambda s: s.projets("nombre"),
    ),
    Indicateur(
        "emplois.potentiels",
        "Emplois potentiels",
        EMPLOIS,
        f"Somme des emplois prévus des {_ACTIFS}.",
        lambda s: s.projets("emplois_prevus", STATUTS_ACTIFS),
    ),
    Indicateur(
        "emplois.soutenus",
        "Emplois soutenus",
        EMPLOIS,
        "Somme des emplois prévus des projets accordés.",
        lambda s: s.projets("emplois_prevus", ACCORDES),
    ),
    Indicateur(
        "emplois.crees",
        "Emplois créés",
        EMPLOIS,
        "Somme des emplois constatés comme créés, tous projets (non renseigné = 0).",
        lambda s: s.projets("emplois_crees"),
    ),
    Indicateur(
        "investissement_eur.potentiel",
        "Investissement potentiel",
        EUROS,
        f"Somme des investissements productifs des {_ACTIFS}.",
        lambda s: s.projets("investissement_eur", STATUTS_ACTIFS),
    ),
    Indicateur(
        "investissement_eur.soutenu",
        "Investissement soutenu",
        EUROS,
        "Somme des investissements productifs des projets accordés.",
        lambda s: s.projets("investissement_eur", ACCORDES),
    ),
    Indicateur(
        "enveloppe_ingenierie.total_eur",
        "Enveloppe ingénierie",
        EUROS,
        "Enveloppe nationale de la Banque des Territoires (10 M€), quels que soient les filtres.",
        lambda s: ENVELOPPE_INGENIERIE_EUR,
    ),
    Indicateur(
        "enveloppe_ingenierie.engage_eur",
        "Ingénierie engagée",
        EUROS,
        "Somme des coûts des missions d'ingénierie des territoires du périmètre.",
        lambda s: s.territoires["cout_mission_eur"],
    ),
    Indicateur(
        "enveloppe_ingenierie.taux",
        "Taux d'engagement de l'ingénierie",
        TAUX,
        "Ingénierie engagée divisée par l'enveloppe nationale de 10 M€.",
        lambda s: s.territoires["cout_mission_eur"] / ENVELOPPE_INGENIERIE_EUR,
    ),
    Indicateur(
        "enveloppe_aides.total_eur",
        "Enveloppe aides",
        EUROS,
        "Enveloppe nationale de Bpifrance (90 M€), quels que soient les filtres.",
        lambda s: ENVELOPPE_AIDES_EUR,
    ),
    Indicateur(
        "enveloppe_aides.alloue_eur",
        "Enveloppes allouées",
        EUROS,
        "Somme des enveloppes d'aides attribuées aux territoires du périmètre.",
        lambda s: s.territoires["enveloppe_aides_eur"],
    ),
    Indicateur(
        "enveloppe_aides.subventions_eur",
        "Subventions accordées",
        EUROS,
        "Somme des subventions décidées sur les projets accordés.",
        lambda s: s.projets("subventions_eur", ACCORDES),
    ),
    Indicateur(
        "enveloppe_aides.avances_eur",
        "Avances remboursables accordées",
        EUROS,
        "Somme des avances remboursables décidées sur les projets accordés.",
        lambda s: s.projets("avances_eur", ACCORDES),
    ),
    Indicateur(
        "enveloppe_aides.engage_eur",
        "Aides engagées",
        EUROS,
        "Subventions plus avances remboursables des projets accordés.",
        _aides_engagees,
    ),
    Indicateur(
        "enveloppe_aides.taux",
        "Taux d'engagement des aides",
        TAUX,
        "Aides engagées divisées par l'enveloppe nationale de 90 M€.",
        lambda s: _aides_engagees(s) / ENVELOPPE_AIDES_EUR,
    ),
    Indicateur(
        "enveloppe_aides.demandes_en_cours_eur",
        "Demandes en cours",
        EUROS,
        "Somme des aides demandées par les projets priorisés ou déposés (non renseigné = 0).",
        lambda s: s.projets("aide_demandee_eur", STATUTS_PIPELINE),
    ),
    Indicateur(
        "enveloppe_aides.reste_eur",
        "Reste de l'enveloppe nationale",
        EUROS,
        "90 M€ moins les aides engagées sur toute la base, quels que soient les filtres.",
        lambda s: ENVELOPPE_AIDES_EUR - s.toute_la_base["aides_accordees_eur"],
    ),
    Indicateur(
        "effet_levier",
        "Effet de levier",
        RATIO,
        "Euros d'investissement soutenu par euro d'aide engagée (€/€) : investissement des projets accordés "
        "divisé par leurs aides (vide sans aide).",
        lambda s: _ratio(s.projets("investissement_eur", ACCORDES), _aides_engagees(s)),
        precision="€/€",
    ),
    Indicateur(
        "aide_par_emploi_eur",
        "Aide par emploi soutenu",
        EUROS,
        "Aides engagées divisées par les emplois soutenus (vide sans emploi soutenu).",
        lambda s: _ratio(_aides_engagees(s), s.projets("emplois_prevus", ACCORDES)),
    ),
    # What the missions detected, whatever became of it: the figures comparable to published mission results.
    Indicateur(
        "investissement_eur.detecte",
        "Investissement détecté",
        EUROS,
        "Somme des investissements productifs de tous les projets détectés, quel que soit leur statut : le "
        "chiffre comparable aux résultats publiés des missions.",
        lambda s: s.projets("investissement_eur"),
    ),
    Indicateur(
        "emplois.detectes",
        "Emplois détectés",
        EMPLOIS,
        "Somme des emplois prévus de tous les projets détectés, quel que soit leur statut : le chiffre "
        "comparable aux emplois potentiels publiés des missions.",
        lambda s: s.projets("emplois_prevus"),
    ),
    # Execution, after the call: jobs created, what was never allotted, payments and delays as of the
    # reference date.
    Indicateur(
        "emplois.crees_soutenus",
        "Emplois créés soutenus",
        EMPLOIS,
        "Somme des emplois constatés comme créés sur les projets accordés (non renseigné = 0).",
        _emplois_crees_soutenus,
    ),
    Indicateur(
        "emplois.taux_realisation",
        "Réalisation des emplois",
        TAUX,
        "Emplois créés sur les projets accordés divisés par les emplois qu'ils prévoient (vide sans emploi soutenu).",
        lambda s: _ratio(_emplois_crees_soutenus(s), s.projets("emplois_prevus", ACCORDES)),
    ),
    Indicateur(
        "enveloppe_aides.non_alloue_eur",
        "Jamais allouée aux territoires",
        EUROS,
        "90 M€ moins les enveloppes attribuées à tous les territoires de la base, quels que soient les filtres.",
        lambda s: ENVELOPPE_AIDES_EUR - s.toute_la_base["enveloppes_allouees_eur"],
    ),
    Indicateur(
        "versements.subventions_eur",
        "Subventions versées",
        EUROS,
        "Somme des versements de subvention aux projets du périmètre, datés au plus tard à la date de référence.",
        lambda s: s.projets("verse_subventions_eur"),
    ),
    Indicateur(
        "versements.avances_eur",
        "Avances versées",
        EUROS,
        "Somme des versements d'avance remboursable aux projets du périmètre, datés au plus tard à la date de "
        "référence.",
        lambda s: s.projets("verse_avances_eur"),
    ),
    Indicateur(
        "versements.verse_eur",
        "Aides versées",
        EUROS,
        "Subventions plus avances versées aux projets du périmètre, au plus tard à la date de référence.",
        _verse,
    ),
    Indicateur(
        "versements.taux",
        "Part versée des aides",
        TAUX,
        "Aides versées divisées par les aides engagées (vide quand rien n'est engagé).",
        lambda s: _ratio(_verse(s), _aides_engagees(s)),
    ),
    Indicateur(
        "versements.rembourse_eur",
        "Avances remboursées",
        EUROS,
        "Somme des remboursements d'avance des projets du périmètre, datés au plus tard à la date de référence.",
        lambda s: s.projets("rembourse_eur"),
    ),
    Indicateur(
        "projets.en_attente_12_mois",
        "En attente > 12 mois",
        NOMBRE,
        f"Projets priorisés ou déposés qui ont atteint ce statut plus de {ATTENTE_MAX_JOURS} jours avant la date "
        "de référence (sans date de statut : non comptés).",
        lambda s: s.projets("en_attente_longue", STATUTS_PIPELINE),
    ),
    Indicateur(
        "projets.accordes_sans_versement",
        "Accordés sans versement",
        NOMBRE,
        f"Projets accordés plus de {DELAI_VERSEMENT_JOURS} jours avant la date de référence, sans aucun "
        "versement de subvention ou d'avance daté au plus tard à cette date.",
        lambda s: s.projets("accordes_sans_versement", ACCORDES),
    ),
)
PAR_CLE = {i.cle: i for i in INDICATEURS}
# The two breakdowns: projects per status (all statuses), and these sums of the active projects per filière.
SOMMES_PAR_FILIERE = ("nombre", "investissement_eur", "emplois_prevus")
EXPLICATION_PAR_STATUT = "Nombre de projets par statut, les six statuts toujours présents."
EXPLICATION_PAR_FILIERE = f"Par filière : nombre, investissement et emplois prévus des {_ACTIFS}."


@dataclass
class Resultat:
    """Flat values keyed as in the registry, plus the two breakdowns, and the reference date they were
    computed for (not part of the JSON)."""

    valeurs: dict[str, Any]
    par_statut: dict[str, int] = field(default_factory=dict)
    par_filiere: dict[str, dict[str, Any]] = field(default_factory=dict)
    au: date | None = None


def sommes(base: Base, filtres: Filtres = SANS_FILTRE) -> Sommes:
    """The named sums of sql/indicateurs.sql for the (already checked) filters: one query, one row."""
    version = version_a_lire(base, filtres.version)
    ligne = base.dictionnaire(requete_perimetre("indicateurs"), filtres.parametres(version))
    return Sommes(tuple(ligne["projets"] or ()), ligne["territoires"], _toute_la_base(base, version, ligne))


def _toute_la_base(base: Base, version: int, ligne: dict[str, Any]) -> dict[str, Any]:
    """The national sums: of the whole base, or, for a scoped base (which holds only its scope's rows),
    the ones precomputed on the whole base (acces/portee.py, table reference_nationale)."""
    if not base.restreinte:
        return dict(ligne["toute_la_base"])
    return base.dictionnaire(
        "select aides_accordees_eur, enveloppes_allouees_eur from reference_nationale where version = $v",
        {"v": version},
    )


def calculer(base: Base, filtres: Filtres = SANS_FILTRE, indicateurs: tuple[Indicateur, ...] = INDICATEURS) -> Resultat:
    """Every indicator of `indicateurs` (the registry by default) for the (already checked) filters."""
    s = sommes(base, filtres)
    return Resultat(
        valeurs={indicateur.cle: indicateur.calcul(s) for indicateur in indicateurs},
        par_statut={statut: s.projets("nombre", (statut,)) for statut in STATUTS_PROJET},
        par_filiere={
            filiere: {somme: s.projets(somme, STATUTS_ACTIFS, filiere) for somme in SOMMES_PAR_FILIERE}
            for filiere in FILIERES
        },
        au=filtres.date_reference,
    )


def _nombre_json(valeur: Any) -> Any:
    """Decimal → int when whole, else float; other values unchanged."""
    if isinstance(valeur, Decimal):
        return int(valeur) if valeur == valeur.to_integral_value() else float(valeur)
    return valeur


def en_json(resultat: Resultat) -> dict[str, Any]:
    """The nested object of the `indicateurs --json` command (keys split on dots)."""
    racine: dict[str, Any] = {}
    for cle, valeur in resultat.valeurs.items():
        noeud = racine
        *parents, feuille = cle.split(".")
        for parent in parents:
            noeud = noeud.setdefault(parent, {})
        noeud[feuille] = _nombre_json(valeur)
    racine["projets"]["par_statut"] = dict(resultat.par_statut)
    racine["projets"]["par_filiere"] = {
        f: {k: _nombre_json(v) for k, v in d.items()} for f, d in resultat.par_filiere.items()
    }
    return racine
