"""The indicators of spec/indicateurs.md: declared once (label, unit, how it is computed), computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rebond_core.config import ENVELOPPE_AIDES_EUR, ENVELOPPE_INGENIERIE_EUR
from rebond_core.db import Base, sql
from rebond_core.domaine import FILIERES, STATUTS_ACTIFS, STATUTS_PIPELINE, STATUTS_PROJET, trouver_code
from rebond_core.erreurs import ValeurFiltreInconnue
from rebond_core.versions import version_a_lire

EUROS, NOMBRE, EMPLOIS, TAUX, RATIO = "€", "nombre", "emplois", "taux", "ratio"


@dataclass(frozen=True)
class Indicateur:
    cle: str
    libelle: str
    unite: str
    mode_de_calcul: str


_ACTIFS = "projets actifs (ni refusés ni abandonnés)"
INDICATEURS: tuple[Indicateur, ...] = (
    Indicateur(
        "territoires.nombre", "Territoires lauréats", NOMBRE, "Nombre de territoires lauréats dans le périmètre choisi."
    ),
    Indicateur(
        "projets.total",
        "Projets détectés",
        NOMBRE,
        "Nombre de projets détectés par les missions, tous statuts confondus.",
    ),
    Indicateur("emplois.potentiels", "Emplois potentiels", EMPLOIS, f"Somme des emplois prévus des {_ACTIFS}."),
    Indicateur("emplois.soutenus", "Emplois soutenus", EMPLOIS, "Somme des emplois prévus des projets accordés."),
    Indicateur(
        "emplois.crees",
        "Emplois créés",
        EMPLOIS,
        "Somme des emplois constatés comme créés, tous projets (non renseigné = 0).",
    ),
    Indicateur(
        "investissement_eur.potentiel",
        "Investissement potentiel",
        EUROS,
        f"Somme des investissements productifs des {_ACTIFS}.",
    ),
    Indicateur(
        "investissement_eur.soutenu",
        "Investissement soutenu",
        EUROS,
        "Somme des investissements productifs des projets accordés.",
    ),
    Indicateur(
        "enveloppe_ingenierie.total_eur",
        "Enveloppe ingénierie",
        EUROS,
        "Enveloppe nationale de la Banque des Territoires (10 M€), quels que soient les filtres.",
    ),
    Indicateur(
        "enveloppe_ingenierie.engage_eur",
        "Ingénierie engagée",
        EUROS,
        "Somme des coûts des missions d'ingénierie des territoires du périmètre.",
    ),
    Indicateur(
        "enveloppe_ingenierie.taux",
        "Taux d'engagement de l'ingénierie",
        TAUX,
        "Ingénierie engagée divisée par l'enveloppe nationale de 10 M€.",
    ),
    Indicateur(
        "enveloppe_aides.total_eur",
        "Enveloppe aides",
        EUROS,
        "Enveloppe nationale de Bpifrance (90 M€), quels que soient les filtres.",
    ),
    Indicateur(
        "enveloppe_aides.alloue_eur",
        "Enveloppes allouées",
        EUROS,
        "Somme des enveloppes d'aides attribuées aux territoires du périmètre.",
    ),
    Indicateur(
        "enveloppe_aides.subventions_eur",
        "Subventions accordées",
        EUROS,
        "Somme des subventions décidées sur les projets accordés.",
    ),
    Indicateur(
        "enveloppe_aides.avances_eur",
        "Avances remboursables accordées",
        EUROS,
        "Somme des avances remboursables décidées sur les projets accordés.",
    ),
    Indicateur(
        "enveloppe_aides.engage_eur",
        "Aides engagées",
        EUROS,
        "Subventions plus avances remboursables des projets accordés.",
    ),
    Indicateur(
        "enveloppe_aides.taux",
        "Taux d'engagement des aides",
        TAUX,
        "Aides engagées divisées par l'enveloppe nationale de 90 M€.",
    ),
    Indicateur(
        "enveloppe_aides.demandes_en_cours_eur",
        "Demandes en cours",
        EUROS,
        "Somme des aides demandées par les projets priorisés ou déposés (non renseigné = 0).",
    ),
    Indicateur(
        "enveloppe_aides.reste_eur",
        "Reste de l'enveloppe nationale",
        EUROS,
        "90 M€ moins les aides engagées sur toute la base, quels que soient les filtres.",
    ),
    Indicateur(
        "effet_levier",
        "Effet de levier",
        RATIO,
        "Investissement soutenu divisé par les aides engagées (vide sans aide).",
    ),
    Indicateur(
        "aide_par_emploi_eur",
        "Aide par emploi soutenu",
        EUROS,
        "Aides engagées divisées par les emplois soutenus (vide sans emploi soutenu).",
    ),
)
PAR_CLE = {i.cle: i for i in INDICATEURS}
EXPLICATION_PAR_STATUT = "Nombre de projets par statut, les six statuts toujours présents."
EXPLICATION_PAR_FILIERE = f"Par filière : nombre, investissement et emplois prévus des {_ACTIFS}."


@dataclass(frozen=True)
class Filtres:
    """The four filters; an empty tuple means no filter. `version` None means the current state."""

    region: tuple[str, ...] = ()
    releve: tuple[int, ...] = ()
    filiere: tuple[str, ...] = ()
    territoire: tuple[str, ...] = ()
    version: int | None = None

    def parametres(self, version: int) -> dict[str, Any]:
        return {
            "version": version,
            "regions": list(self.region),
            "releves": list(self.releve),
            "filieres": list(self.filiere),
            "territoires": list(self.territoire),
        }


@dataclass
class Resultat:
    """Flat values keyed as in the registry, plus the two breakdowns."""

    valeurs: dict[str, Any]
    par_statut: dict[str, int] = field(default_factory=dict)
    par_filiere: dict[str, dict[str, Any]] = field(default_factory=dict)


def verifier_filtres(base: Base, filtres: Filtres) -> Filtres:
    """Check each filter value (referential for regions, base for relèves and territories) and turn
    filière labels into codes. Raises ValeurFiltreInconnue on the first unknown value."""
    version = version_a_lire(base, filtres.version)
    for region in filtres.region:
        if not base.scalaire("select count(*) from ref_regions where code_region = $c", {"c": region}):
            raise ValeurFiltreInconnue(f"Région inconnue du référentiel : {region}.")
    for numero in filtres.releve:
        if not base.scalaire("select count(*) from releves_a($v) where numero = $n", {"v": version, "n": numero}):
            raise ValeurFiltreInconnue(f"Relève absente de la base : {numero}.")
    for code in filtres.territoire:
        requete = "select count(*) from territoires_a($v) where code_territoire = $c"
        if not base.scalaire(requete, {"v": version, "c": code}):
            raise ValeurFiltreInconnue(f"Territoire absent de la base : {code}.")
    filieres = []
    for valeur in filtres.filiere:
        filiere = trouver_code("filiere", valeur)
        if filiere is None:
            raise ValeurFiltreInconnue(f"Filière inconnue : {valeur} (attendu l'une de {', '.join(FILIERES)}).")
        filieres.append(filiere)
    return Filtres(filtres.region, filtres.releve, tuple(filieres), filtres.territoire, version)


def calculer(base: Base, filtres: Filtres = Filtres()) -> Resultat:
    """Every indicator for the (already checked) filters, from one query (sql/indicateurs.sql)."""
    parametres = filtres.parametres(version_a_lire(base, filtres.version))
    lignes = base.lignes(sql("perimetre") + sql("indicateurs"), parametres)
    projets = [_Somme(*ligne[1:]) for ligne in lignes if ligne[0] == "projets"]
    _, _, _, nombre_t, _, _, _, cout_t, enveloppes_t, _ = next(ligne for ligne in lignes if ligne[0] == "territoires")
    engage_base = next(ligne for ligne in lignes if ligne[0] == "base")[7]
    return Resultat(
        valeurs=_valeurs(projets, int(nombre_t), _d(cout_t), _d(enveloppes_t), _d(engage_base)),
        par_statut={s: sum(p.nombre for p in projets if p.statut == s) for s in STATUTS_PROJET},
        par_filiere={f: _par_filiere([p for p in projets if p.filiere == f and p.actif]) for f in FILIERES},
    )


@dataclass(frozen=True)
class _Somme:
    """The sums over the projects of one (statut, filière) of the scope."""

    statut: str
    filiere: str
    nombre: int
    investissement_eur: Decimal
    emplois_prevus: int
    emplois_crees: int
    subventions_eur: Decimal
    avances_eur: Decimal
    aide_demandee_eur: Decimal

    @property
    def actif(self) -> bool:
        return self.statut in STATUTS_ACTIFS


def _d(valeur: Any) -> Decimal:
    return Decimal(0) if valeur is None else Decimal(valeur)


def _total(sommes: list[_Somme], champ: str) -> Any:
    return sum((getattr(s, champ) for s in sommes), Decimal(0) if champ.endswith("_eur") else 0)


def _par_filiere(sommes: list[_Somme]) -> dict[str, Any]:
    return {
        "nombre": _total(sommes, "nombre"),
        "investissement_eur": _total(sommes, "investissement_eur"),
        "emplois_prevus": _total(sommes, "emplois_prevus"),
    }


def _ratio(numerateur: Decimal, denominateur: Decimal) -> Decimal | None:
    return None if not denominateur else Decimal(numerateur) / Decimal(denominateur)


def _valeurs(
    projets: list[_Somme], territoires: int, cout: Decimal, enveloppes: Decimal, engage_base: Decimal
) -> dict[str, Any]:
    actifs = [p for p in projets if p.actif]
    accordes = [p for p in projets if p.statut == "accorde"]
    subventions, avances = _total(accordes, "subventions_eur"), _total(accordes, "avances_eur")
    engage = subventions + avances
    soutenu = _total(accordes, "investissement_eur")
    emplois_soutenus = _total(accordes, "emplois_prevus")
    return {
        "territoires.nombre": territoires,
        "projets.total": _total(projets, "nombre"),
        "emplois.potentiels": _total(actifs, "emplois_prevus"),
        "emplois.soutenus": emplois_soutenus,
        "emplois.crees": _total(projets, "emplois_crees"),
        "investissement_eur.potentiel": _total(actifs, "investissement_eur"),
        "investissement_eur.soutenu": soutenu,
        "enveloppe_ingenierie.total_eur": ENVELOPPE_INGENIERIE_EUR,
        "enveloppe_ingenierie.engage_eur": cout,
        "enveloppe_ingenierie.taux": cout / ENVELOPPE_INGENIERIE_EUR,
        "enveloppe_aides.total_eur": ENVELOPPE_AIDES_EUR,
        "enveloppe_aides.alloue_eur": enveloppes,
        "enveloppe_aides.subventions_eur": subventions,
        "enveloppe_aides.avances_eur": avances,
        "enveloppe_aides.engage_eur": engage,
        "enveloppe_aides.taux": engage / ENVELOPPE_AIDES_EUR,
        "enveloppe_aides.demandes_en_cours_eur": _total(
            [p for p in projets if p.statut in STATUTS_PIPELINE], "aide_demandee_eur"
        ),
        "enveloppe_aides.reste_eur": ENVELOPPE_AIDES_EUR - engage_base,
        "effet_levier": _ratio(soutenu, engage),
        "aide_par_emploi_eur": _ratio(engage, Decimal(emplois_soutenus)),
    }


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
