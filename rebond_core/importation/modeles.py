"""One pydantic model per imported table, following the contract's types, bounds and cell conventions.

These classes are **field registries, not validated models**: nothing instantiates them. Each field's
annotation carries its cell parser (cellules.py) and its rules; `validation.py` takes each field out as a
`TypeAdapter` and validates a column's distinct values once (much faster than a model per row). Before
that, en_bloc.py runs the same validators on a whole column at once (a rule may add `tous_valides`, its
check of a whole column: see `_Regle`) and leaves to the TypeAdapter only the values it doubts.

Every field is optional in the model: a column may be absent from a sheet (the stored value is then
kept). `Requis` marks the columns that must be present and filled (`DefinitionTable.colonnes_requises`
finds them by that marker). Errors carry our stable codes (see messages.py) so that the report can name
the rule broken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ValidationInfo, create_model
from pydantic.functional_validators import BeforeValidator
from pydantic_core import PydanticCustomError

from rebond_core.importation import cellules
from rebond_core.importation.cellules import CelluleInvalide
from rebond_core.importation.messages import MESSAGES
from rebond_core.referentiel import Referentiel

SURFACE_MAX_HA = Decimal(100_000)  # excluded


def _erreur(code: str, **contexte: object) -> PydanticCustomError:
    return PydanticCustomError(code, MESSAGES[code], contexte or None)


@dataclass(frozen=True)
class _Cellule(BeforeValidator):
    """A cell parser of cellules.py as a before-validator; `parseur` lets en_bloc.py run the parser itself
    (and its simple reader) on a whole column."""

    parseur: Callable[[Any], Any] | None = None


def _cellule(parseur: Callable[..., Any]) -> BeforeValidator:
    """A BeforeValidator reading one cell with a parser of cellules.py (each distinct value of a
    column is validated once by validation._lire_colonne: no memory is needed here)."""

    def valider(valeur: Any) -> Any:
        try:
            return parseur(valeur)
        except CelluleInvalide as erreur:
            raise _erreur(erreur.code, **erreur.contexte) from None

    return _Cellule(valider, parseur=parseur)


def _liste_cellule() -> BeforeValidator:
    def valider(valeur: Any, info: ValidationInfo) -> Any:
        virgule = bool(info.context and info.context.get("virgule_admise"))
        try:
            return cellules.lire_liste(valeur, virgule)
        except CelluleInvalide as erreur:
            raise _erreur(erreur.code, **erreur.contexte) from None

    return BeforeValidator(valider)


@dataclass(frozen=True)
class _Regle(AfterValidator):
    """An after-validator with its check of a whole column for en_bloc.py: `tous_valides(valeurs)` is
    True only when the validator accepts every value of the list and returns each unchanged (False says
    nothing: each value is then validated on its own)."""

    tous_valides: Callable[[list[Any]], bool] | None = None


def _presentes(valeurs: list[Any]) -> list[Any]:
    return [valeur for valeur in valeurs if valeur is not None]


def _requis(valeur: Any) -> Any:
    if valeur is None:
        raise _erreur("valeur-manquante")
    return valeur


def _positif(valeur: Any) -> Any:
    if valeur is not None and valeur < 0:
        raise _erreur("valeur-negative")
    return valeur


def _tous_positifs(valeurs: list[Any]) -> bool:
    return min(filter(None, valeurs), default=0) >= 0  # None and zeros left out


def _strictement_positif(valeur: Any) -> Any:
    if valeur is not None and valeur <= 0:
        raise _erreur("valeur-non-positive")
    return valeur


def _tous_strictement_positifs(valeurs: list[Any]) -> bool:
    return 0 not in valeurs and min(filter(None, valeurs), default=1) > 0


def _bornes(minimum: int, maximum: int) -> AfterValidator:
    def valider(valeur: int | None) -> int | None:
        if valeur is not None and valeur < minimum:
            raise _erreur("valeur-trop-petite", min=minimum)
        if valeur is not None and valeur > maximum:
            raise _erreur("valeur-trop-grande", max=maximum)
        return valeur

    def tous_valides(valeurs: list[Any]) -> bool:
        presentes = _presentes(valeurs)
        return not presentes or (min(presentes) >= minimum and max(presentes) <= maximum)

    return _Regle(valider, tous_valides=tous_valides)


def _surface_bornee(valeur: Decimal | None) -> Decimal | None:
    if valeur is not None and valeur >= SURFACE_MAX_HA:
        raise _erreur("surface-hors-bornes")
    return valeur


def _motif(expression: str, attendu: str) -> AfterValidator:
    compile_ = re.compile(expression)

    def valider(valeur: str | None) -> str | None:
        if valeur is not None and not compile_.fullmatch(valeur):
            raise _erreur("format-invalide", attendu=attendu)
        return valeur

    return _Regle(valider, tous_valides=lambda valeurs: all(map(compile_.fullmatch, _presentes(valeurs))))


def _longueur_max(maximum: int) -> AfterValidator:
    def valider(valeur: str | None) -> str | None:
        if valeur is not None and len(valeur) > maximum:
            raise _erreur("texte-trop-long", longueur=len(valeur), max=maximum)
        return valeur

    return _Regle(valider, tous_valides=lambda valeurs: max(map(len, _presentes(valeurs)), default=0) <= maximum)


def _cle_visible(valeur: str | None) -> str | None:
    """A key holds no invisible, bidirectional or control character (contract rule 1); it is kept in
    Unicode NFC, the form keys are compared in."""
    if valeur is None:
        return None
    invisible = cellules.caractere_invisible(valeur)
    if invisible:
        raise _erreur("cle-caractere-invisible", caractere=invisible)
    return unicodedata.normalize("NFC", valeur)


def _cles_visibles(valeurs: list[Any]) -> bool:
    """Keys all in ASCII without control character: NFC leaves them as they are."""
    ensemble = "".join(_presentes(valeurs))
    return ensemble.isascii() and cellules.caractere_invisible(ensemble) is None


@dataclass(frozen=True)
class _Defaut(_Regle):
    """A column's default, stored for an empty cell; recognised by its type, so that a table's defaults
    (`DefinitionTable.defauts`) are read from the model rather than declared a second time."""

    valeur: Any = None


def _defaut(defaut: Any) -> _Defaut:
    return _Defaut(
        lambda valeur: defaut if valeur is None else valeur,
        tous_valides=lambda valeurs: None not in valeurs,
        valeur=defaut,
    )


def _referentiel(context: Any) -> Referentiel | None:
    return context.get("referentiel") if context else None


def _code_numerique(longueur: int) -> Callable[[Any], str | None]:
    """Text, with the leading zeros Excel drops from a number cell restored (8105 → 08105)."""

    def lire(valeur: Any) -> str | None:
        resultat = cellules.lire_texte(valeur)
        if resultat is not None and isinstance(valeur, (int, float)) and resultat.isdigit():
            return resultat.zfill(longueur)
        return resultat

    return lire


def _region_connue(valeur: str | None, info: ValidationInfo) -> str | None:
    ref = _referentiel(info.context)
    if valeur is not None and ref is not None and valeur not in ref.regions:
        raise _erreur("region-inconnue")
    return valeur


def _commune_connue(valeur: str | None, info: ValidationInfo) -> str | None:
    ref = _referentiel(info.context)
    if valeur is not None and ref is not None and valeur not in ref.communes:
        raise _erreur("commune-inconnue")
    return valeur


def _siren_valide(valeur: str | None) -> str | None:
    if valeur is not None and not cellules.siren_valide(valeur):
        raise _erreur("siren-invalide")
    return valeur


def _epci_connus(valeurs: list[str] | None, info: ValidationInfo) -> list[str] | None:
    if valeurs is None:
        return None
    mal_formes = [v for v in valeurs if not re.fullmatch(r"\d{9}", v)]
    if mal_formes:
        raise _erreur("format-invalide", attendu="SIREN de 9 chiffres, séparés par « ; »")
    ref = _referentiel(info.context)
    inconnus = [v for v in valeurs if ref is not None and v not in ref.epci]
    if inconnus:
        raise _erreur("epci-inconnu", siren=", ".join(inconnus))
    return list(dict.fromkeys(valeurs))


def _filieres(valeurs: list[str] | None) -> list[str] | None:
    if valeurs is None:
        return None
    codes = []
    for valeur in valeurs:
        try:
            codes.append(cellules.lire_code("filiere", valeur))
        except CelluleInvalide as erreur:
            raise _erreur(erreur.code, **erreur.contexte) from None
    if "hors_transport" in codes:
        raise _erreur("filiere-interdite")
    return list(dict.fromkeys(c for c in codes if c))


def _enum(nom: str) -> BeforeValidator:
    return _cellule(lambda valeur: cellules.lire_code(nom, valeur))


class _Requis(_Regle):
    """The marker of a required column (a value must be present), recognised by its type."""


Requis = _Requis(_requis, tous_valides=lambda valeurs: None not in valeurs)
TEXTE_MAX = 2000  # characters of any text cell (a title, a name): beyond, a pasted document, not a value
Texte = Annotated[str | None, _cellule(cellules.lire_texte), _longueur_max(TEXTE_MAX)]
Entier = Annotated[int | None, _cellule(cellules.lire_entier)]
EntierPositif = Annotated[int | None, _cellule(cellules.lire_entier), _Regle(_positif, tous_valides=_tous_positifs)]
Montant = Annotated[Decimal | None, _cellule(cellules.lire_montant), _Regle(_positif, tous_valides=_tous_positifs)]
Date = Annotated[date | None, _cellule(cellules.lire_date)]
Booleen = Annotated[bool | None, _cellule(cellules.lire_booleen), _defaut(False)]
Liste = Annotated[list[str] | None, _liste_cellule()]
Commune = Annotated[
    str | None,
    _cellule(_code_numerique(5)),
    _motif(r"\d{5}|2[AB]\d{3}", "code commune INSEE de 5 caractères (ex. 59178, 2A004)"),
    AfterValidator(_commune_connue),
]


class Modele(BaseModel):
    """Base of the field registries below."""


class Releve(Modele):
    numero: Annotated[Entier, Requis, _bornes(1, 1000)] = None
    date_limite: Annotated[Date, Requis] = None
    date_annonce: Date = None


class Territoire(Modele):
    code_territoire: Annotated[
        Texte, Requis, _motif(r"[a-z0-9-]{2,40}", "2 à 40 minuscules, chiffres ou tirets (ex. douaisis)")
    ] = None
    nom: Annotated[Texte, Requis] = None
    releve: Annotated[Entier, Requis, _bornes(1, 1000)] = None
    region: Annotated[
        Texte,
        Requis,
        _cellule(_code_numerique(2)),
        _motif(r"\d{2}", "code région INSEE à 2 chiffres"),
        AfterValidator(_region_connue),
    ] = None
    epci: Annotated[Liste, Requis, AfterValidator(_epci_connus)] = None
    filieres: Annotated[Liste, Requis, AfterValidator(_filieres)] = None
    statut_mission: Annotated[str | None, _enum("statut_mission"), Requis] = None
    date_debut_mission: Date = None
    date_fin_mission: Date = None
    cabinet: Texte = None
    cout_mission_eur: Annotated[Montant, Requis] = None
    enveloppe_aides_eur: Annotated[Montant, Requis] = None
    cofinancement_local_eur: Montant = None
    industriels_rencontres: EntierPositif = None


class Projet(Modele):
    id_projet: Annotated[Texte, Requis, _Regle(_cle_visible, tous_valides=_cles_visibles), _longueur_max(40)] = None
    code_territoire: Annotated[Texte, Requis] = None
    intitule: Annotated[Texte, Requis] = None
    entreprise: Annotated[Texte, Requis] = None
    siren: Annotated[
        str | None,
        _cellule(_code_numerique(9)),
        _motif(r"\d{9}", "9 chiffres"),
        AfterValidator(_siren_valide),
    ] = None
    commune: Commune = None
    filiere: Annotated[str | None, _enum("filiere"), Requis] = None
    origine: Annotated[str | None, _enum("origine"), Requis] = None
    statut: Annotated[str | None, _enum("statut"), Requis] = None
    investissement_eur: Annotated[Montant, Requis] = None
    emplois_prevus: Annotated[EntierPositif, Requis] = None
    emplois_crees: EntierPositif = None
    aide_demandee_eur: Montant = None
    subvention_eur: Annotated[Montant, _defaut(Decimal("0.00"))] = None
    avance_remboursable_eur: Annotated[Montant, _defaut(Decimal("0.00"))] = None
    date_decision: Date = None
    innovant: Booleen = None
    transition_ecologique: Booleen = None
    date_statut: Date = None  # contract 2


def _reference_nfc(valeur: str | None) -> str | None:
    """A reference to a key, in the Unicode form keys are compared in (contract rule 1); the pipeline
    then writes it as the referenced row's spelling."""
    return None if valeur is None else unicodedata.normalize("NFC", valeur)


MontantStrictementPositif = Annotated[
    Decimal | None,
    _cellule(cellules.lire_montant),
    _Regle(_strictement_positif, tous_valides=_tous_strictement_positifs),
]


class Versement(Modele):
    """Contract 2: one movement of aid (payment of the grant or of the advance, repayment of the advance)."""

    id_versement: Annotated[Texte, Requis, _Regle(_cle_visible, tous_valides=_cles_visibles), _longueur_max(40)] = None
    id_projet: Annotated[Texte, Requis, AfterValidator(_reference_nfc)] = None
    date: Annotated[Date, Requis] = None
    nature: Annotated[str | None, _enum("nature"), Requis] = None
    montant_eur: Annotated[MontantStrictementPositif, Requis] = None


Score = Annotated[Entier, _bornes(0, 5)]


class SiteBase(Modele):
    id_site: Annotated[Texte, Requis, _Regle(_cle_visible, tous_valides=_cles_visibles)] = None
    code_territoire: Annotated[Texte, Requis] = None
    nom: Annotated[Texte, Requis] = None
    commune: Commune = None
    surface_ha: Annotated[
        Decimal | None,
        _cellule(cellules.lire_nombre),
        Requis,
        _Regle(_strictement_positif, tous_valides=_tous_strictement_positifs),
        _Regle(_surface_bornee, tous_valides=lambda valeurs: max(_presentes(valeurs), default=0) < SURFACE_MAX_HA),
    ] = None
    type_foncier: Annotated[str | None, _enum("type_foncier"), Requis] = None
    maitrise_fonciere: Annotated[str | None, _enum("maitrise_fonciere"), Requis] = None
    disponibilite: Annotated[Entier, _bornes(2020, 2040)] = None


def modele_sites(criteres: list[str]) -> type[Modele]:
    """The sites model, with one `score_<critere>` column per criterion of the grids."""
    champs: dict[str, Any] = {f"score_{code}": (Score, None) for code in criteres}
    return create_model("Site", __base__=SiteBase, **champs)


@dataclass(frozen=True)
class DefinitionTable:
    """What the import needs to know of a table besides its model."""

    nom: str
    modele: type[Modele]
    cle: str
    decimales: dict[str, int] = field(default_factory=dict)  # column → decimals kept (more: rounded, warned)
    references: dict[str, str] = field(default_factory=dict)  # column → table whose key it names (rule 1)

    @property
    def colonnes(self) -> list[str]:
        return list(self.modele.model_fields)

    @property
    def defauts(self) -> dict[str, Any]:
        """Column → the value an empty cell stores (declared by `_defaut` in the model)."""
        return {
            nom: marque.valeur
            for nom, info in self.modele.model_fields.items()
            for marque in info.metadata
            if isinstance(marque, _Defaut)
        }

    @property
    def colonnes_requises(self) -> list[str]:
        return [n for n, info in self.modele.model_fields.items() if any(isinstance(m, _Requis) for m in info.metadata)]
