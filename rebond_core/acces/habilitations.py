"""Habilitations (shared/spec/acces.md): who may use the dashboard, with which role and which scope.

The list is the table `habilitations` of the base (schema 3). It is not versioned: restoring a data
version never changes it. The administrator's input is a CSV file (UTF-8 or Windows-1252, `;` or `,`),
validated whole — every error with its row, column and what was expected, in French, with a stable code,
in the same report as a workbook import (importation.rapport.Rapport) — and, when it holds no error,
replacing the whole list in one transaction (the file is the list). A file with one error changes nothing.

Expiry: `expire_le` is the last day of validity. A habilitation with `expire_le` = 31/12/2026 is valid
all that day and void from 01/01/2027 (`Habilitation.valide`); no `expire_le`, valid until removed.

Rights per role (`Habilitation.peut`): `cabinet` and `copil` read; `donnees` also imports, publishes and
restores; `admin` also manages the habilitations and reads the journal. Only `copil` has a scope (regions
and/or territories); the other roles are national. `peut` says what a role allows, not whether the
habilitation is still valid: callers check `valide(today)` first (rebond_ui/acces.py does).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from rebond_core import formats
from rebond_core.config import CELLULES_MAX_FEUILLE
from rebond_core.db import Base
from rebond_core.domaine import replier
from rebond_core.erreurs import FichierIllisible, RebondError
from rebond_core.importation import cellules
from rebond_core.importation.cellules import CelluleInvalide
from rebond_core.importation.lecture import Source, decoder_texte, detecter_separateur, octets
from rebond_core.importation.lecture import verifier_televersement as _verifier_taille
from rebond_core.importation.rapport import Rapport
from rebond_core.importation.validation import forme_comparee

ROLES = ("cabinet", "copil", "donnees", "admin")
ACTIONS = ("lire", "importer", "restaurer", "administrer")
DROITS: dict[str, frozenset[str]] = {
    "cabinet": frozenset({"lire"}),
    "copil": frozenset({"lire"}),
    "donnees": frozenset({"lire", "importer", "restaurer"}),
    "admin": frozenset(ACTIONS),
}
ROLE_PERIMETRE = "copil"  # the one role with a scope; the others are national

FEUILLE = "habilitations"  # the report's `feuille` of every problem of the file
COLONNES = ("email", "role", "regions", "territoires", "expire_le")
COLONNES_REQUISES = ("email", "role")
EMAIL_MAX = 254  # RFC 5321
# The local part starts with a letter, a digit or `_`: an address is never read as a formula (= + - @) by
# a spreadsheet opening the list or the journal.
_EMAIL = re.compile(
    r"[A-Za-z0-9_][A-Za-z0-9!#$%&'*+/=?^_`{|}~-]*(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_SEPARATEURS_LISTE = re.compile(r"[;,]")

# Every code this module reports, with its French message (placeholders filled from the problem). Codes
# shared with the workbook report keep the workbook's meaning; the wording here names the habilitations.
MESSAGES: dict[str, str] = {
    "valeur-manquante": "Valeur obligatoire manquante : {attendu}.",
    "email-invalide": (
        "Adresse électronique non valide : attendu une adresse de la forme prenom.nom@domaine.fr, sans espace "
        "ni accent, {max} caractères au plus."
    ),
    "role-inconnu": "Rôle inconnu : attendu cabinet, copil, donnees ou admin.",
    "region-inconnue": (
        "Code région INSEE « {code} » inconnu du référentiel (COG 2026) : attendu un code à deux chiffres, "
        "ex. 44 pour Grand Est, 01 pour la Guadeloupe."
    ),
    "territoire-inconnu": (
        "Territoire « {code} » absent de la base (version {version}) : attendu un code_territoire d'un "
        "territoire importé, ex. {exemple}."
    ),
    "date-invalide": (
        "Date attendue au format jj/mm/aaaa ou aaaa-mm-jj (ex. 31/12/2026), entre le 01/01/1900 et le 31/12/2100."
    ),
    "caractere-controle": "Caractère de contrôle interdit dans un texte ({caractere}) : retirez-le.",
    "perimetre-manquant": (
        "Le rôle copil exige un périmètre : attendu au moins une région (colonne regions) ou un territoire "
        "(colonne territoires)."
    ),
    "perimetre-interdit": (
        "Le rôle {role} est national : la colonne {colonne} doit rester vide (seul le rôle copil a un périmètre)."
    ),
    "email-duplique": (
        "Adresse en double : cette personne a déjà la ligne {ligne} (« {premiere} »). Une seule ligne par "
        "personne ; les majuscules ne comptent pas."
    ),
    "colonne-manquante": "Colonne obligatoire absente du fichier (colonnes attendues : {colonnes}).",
    "colonne-dupliquee": "Colonne présente deux fois (déjà colonne {premiere}).",
    "colonne-inconnue": "Colonne inconnue, ignorée (colonnes attendues : {colonnes}).",
    "aucune-ligne": (
        "Aucune habilitation dans le fichier : le fichier remplace toute la liste, il ne peut pas être vide "
        "(une ligne par personne sous la ligne d'en-tête)."
    ),
}
_ATTENDUS = {"email": "une adresse électronique", "role": "un rôle : cabinet, copil, donnees ou admin"}


class ListeModifiee(RebondError):
    """The habilitations changed between the check shown and the replacement: nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "La liste des habilitations a été modifiée par quelqu'un d'autre depuis la vérification : rien "
            "n'a été changé. Vérifiez à nouveau le fichier."
        )


# --- the habilitation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Habilitation:
    """One person's right: e-mail (lower case), role, scope (regions, territories: only for `copil`),
    last day of validity (None: no end)."""

    email: str
    role: str
    regions: tuple[str, ...] = ()
    territoires: tuple[str, ...] = ()
    expire_le: date | None = None

    def valide(self, au: date) -> bool:
        """Valid on the day `au`: through its `expire_le` included, void from the next day."""
        return self.expire_le is None or au <= self.expire_le

    @property
    def nationale(self) -> bool:
        return self.role != ROLE_PERIMETRE

    def peut(self, action: str) -> bool:
        """Whether the role allows `action` ('lire', 'importer', 'restaurer', 'administrer'); an unknown
        action is a programming error (ValueError), never a silent refusal or grant."""
        if action not in ACTIONS:
            raise ValueError(f"action inconnue : {action!r} (attendu l'une de {', '.join(ACTIONS)})")
        return action in DROITS.get(self.role, frozenset())

    def en_json(self) -> dict[str, Any]:
        """The object of `habilitations lister --json`."""
        return {
            "email": self.email,
            "role": self.role,
            "regions": list(self.regions),
            "territoires": list(self.territoires),
            "expire_le": self.expire_le.isoformat() if self.expire_le else None,
        }


# The local-mode operator (no identity provider configured): every right, national.
HABILITATION_LOCALE = Habilitation(email="operateur.local", role="admin")


# --- one row of the file: a pydantic model ---------------------------------------------------------


def _texte(valeur: Any) -> str | None:
    try:
        return cellules.lire_texte(valeur)
    except CelluleInvalide as erreur:
        if erreur.code == "caractere-controle":
            raise PydanticCustomError(
                "caractere-controle", MESSAGES["caractere-controle"], {"caractere": erreur.contexte["caractere"]}
            ) from None
        return str(valeur)  # an Excel error text (#N/A…) is then refused by the field's own rule


def _email(valeur: Any) -> str:
    texte = _texte(valeur)
    if texte is None:
        raise PydanticCustomError("valeur-manquante", MESSAGES["valeur-manquante"], {"attendu": _ATTENDUS["email"]})
    if len(texte) > EMAIL_MAX or not _EMAIL.fullmatch(texte):
        raise PydanticCustomError("email-invalide", MESSAGES["email-invalide"], {"max": EMAIL_MAX})
    return texte.lower()


def _role(valeur: Any) -> str:
    texte = _texte(valeur)
    if texte is None:
        raise PydanticCustomError("valeur-manquante", MESSAGES["valeur-manquante"], {"attendu": _ATTENDUS["role"]})
    role = replier(texte)
    if role not in ROLES:
        raise PydanticCustomError("role-inconnu", MESSAGES["role-inconnu"])
    return role


def _liste(valeur: Any) -> tuple[str, ...]:
    """Codes separated by `;` or `,` (whichever the file's delimiter is not, or both when quoted), each
    trimmed, empty ones dropped, each kept once in the order given."""
    texte = _texte(valeur)
    if texte is None:
        return ()
    codes = (cellules.normaliser_espaces(morceau) for morceau in _SEPARATEURS_LISTE.split(texte))
    return tuple(dict.fromkeys(code for code in codes if code))


def _date(valeur: Any) -> date | None:
    try:
        return cellules.lire_date(_texte(valeur))
    except CelluleInvalide:
        raise PydanticCustomError("date-invalide", MESSAGES["date-invalide"]) from None


def _region_connue(code: str, info: ValidationInfo) -> str:
    contexte = info.context or {}
    if code not in contexte.get("regions", ()):
        raise PydanticCustomError("region-inconnue", MESSAGES["region-inconnue"], {"code": code})
    return code


def _territoire_connu(code: str, info: ValidationInfo) -> str:
    """The territory's code as the base writes it (`Douaisis` is `douaisis`)."""
    contexte = info.context or {}
    connus: dict[str, str] = contexte.get("territoires", {})
    trouve = connus.get(forme_comparee(code))
    if trouve is None:
        exemple = min(connus.values(), default="douaisis")
        raise PydanticCustomError(
            "territoire-inconnu",
            MESSAGES["territoire-inconnu"],
            {"code": code, "version": contexte.get("version", 0), "exemple": exemple},
        )
    return trouve


class LigneHabilitation(BaseModel):
    """One row of the habilitations file, its cells as read (text). Validated with the context
    {"regions": codes of ref_regions, "territoires": {forme_comparee(code): code} of the base's current
    version, "version": that version}. The rules across columns (scope and role) and rows (one line per
    e-mail) are `valider`'s."""

    model_config = ConfigDict(frozen=True)

    email: Annotated[str, BeforeValidator(_email)]
    role: Annotated[str, BeforeValidator(_role)]
    regions: Annotated[tuple[Annotated[str, AfterValidator(_region_connue)], ...], BeforeValidator(_liste)] = ()
    territoires: Annotated[tuple[Annotated[str, AfterValidator(_territoire_connu)], ...], BeforeValidator(_liste)] = ()
    expire_le: Annotated[date | None, BeforeValidator(_date)] = None

    def habilitation(self) -> Habilitation:
        return Habilitation(self.email, self.role, self.regions, self.territoires, self.expire_le)


# --- reading the file --------------------------------------------------------------------------------


@dataclass
class FichierHabilitations:
    """The file as read: name, SHA-256, header row (its spreadsheet row number and cells) and data rows
    (spreadsheet row number, cells), blank rows left out."""

    nom: str
    sha256: str
    ligne_entete: int
    entetes: list[str]
    lignes: list[tuple[int, list[str]]]


def verifier_televersement(nom: str, taille: int) -> None:
    """Server-side check of the file: a .csv, not empty, within the upload limit (FichierIllisible)."""
    if Path(nom).suffix.lower() != ".csv":
        extension = Path(nom).suffix.lower() or "sans extension"
        raise FichierIllisible(
            f"{nom} : type de fichier refusé ({extension}) ; la liste des habilitations est un fichier .csv."
        )
    _verifier_taille(nom, taille)


def lire_fichier(source: Source) -> FichierHabilitations:
    """Read the CSV file (a path, or (name, bytes) for an upload, never written to disk): UTF-8 with or
    without BOM or Windows-1252, delimiter `;`, `,` or tab, detected. The first non-blank row is the header.
    An unreadable file raises FichierIllisible (exit status 2)."""
    nom, contenu = octets(source, verifier_televersement)
    texte = decoder_texte(contenu, nom)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=detecter_separateur(texte))
    entete: tuple[int, list[str]] | None = None
    lignes: list[tuple[int, list[str]]] = []
    nombre_cellules = 0
    try:
        for numero, cellules_ in enumerate(lecteur, start=1):
            nombre_cellules += len(cellules_)
            if nombre_cellules > CELLULES_MAX_FEUILLE:
                raise FichierIllisible(
                    f"{nom} : fichier refusé — plus de {formats.nombre(CELLULES_MAX_FEUILLE)} cellules (atteint à "
                    f"la ligne {formats.nombre(numero)}) : ce n'est pas une liste d'habilitations."
                )
            if not any(c.strip() for c in cellules_):
                continue
            if entete is None:
                entete = (numero, [" ".join(c.split()) for c in cellules_])
            else:
                lignes.append((numero, cellules_))
    except csv.Error as erreur:
        raise FichierIllisible(f"{nom} : CSV illisible ({erreur}).") from erreur
    ligne_entete, entetes = entete if entete else (1, [])
    return FichierHabilitations(nom, hashlib.sha256(contenu).hexdigest(), ligne_entete, entetes, lignes)


# --- validating it -----------------------------------------------------------------------------------


def contexte_validation(base: Base) -> dict[str, Any]:
    """What a row is checked against: the referential's regions, the territories of the base's current
    version (a habilitation names a territory that exists now)."""
    version = base.version_courante()
    territoires = [ligne[0] for ligne in base.lignes("select code_territoire from territoires_a($v)", {"v": version})]
    return {
        "regions": frozenset(ligne[0] for ligne in base.lignes("select code_region from ref_regions")),
        "territoires": {forme_comparee(code): code for code in territoires},
        "version": version,
    }


def valider(fichier: FichierHabilitations, contexte: dict[str, Any]) -> tuple[Rapport, list[Habilitation]]:
    """Every problem of the file in a report (errors first, then top-down) and, when it holds no error,
    the habilitations it lists in its order; with an error, no habilitation."""
    rapport = Rapport()
    indices = _correspondance_entetes(fichier, rapport)
    manquantes = {c for c in COLONNES_REQUISES if c not in indices.values()}
    if not fichier.lignes:
        rapport.ajouter("aucune-ligne", feuille=FEUILLE, message_fr=MESSAGES["aucune-ligne"])
    habilitations: list[Habilitation] = []
    vues: dict[str, tuple[int, str]] = {}  # e-mail in lower case → (first row, as written)
    for numero, cellules_ in fichier.lignes:
        brutes = {colonne: (cellules_[i] if i < len(cellules_) else None) for i, colonne in indices.items()}
        ligne = _valider_ligne(numero, brutes, manquantes, contexte, rapport)
        _regle_perimetre(numero, brutes, rapport)
        email = _email_ou_rien(brutes.get("email"))
        if email is not None:
            if email in vues:
                premiere, ecrite = vues[email]
                rapport.ajouter(
                    "email-duplique",
                    feuille=FEUILLE,
                    ligne=numero,
                    colonne="email",
                    valeur=brutes.get("email"),
                    message_fr=MESSAGES["email-duplique"].format(ligne=premiere, premiere=ecrite),
                )
            else:
                vues[email] = (numero, str(brutes.get("email")).strip())
        if ligne is not None:
            habilitations.append(ligne.habilitation())
    rapport.trier()
    return rapport, (habilitations if rapport.valide else [])


def _correspondance_entetes(fichier: FichierHabilitations, rapport: Rapport) -> dict[int, str]:
    """Column index → column of the contract, headers folded as in the workbook contract (case, accents,
    spaces, hyphens and underscores); unknown (warning), duplicated and missing columns reported."""
    attendues = ", ".join(COLONNES)
    indices: dict[int, str] = {}
    premieres: dict[str, str] = {}
    for indice, entete in enumerate(fichier.entetes):
        if not entete.strip():
            continue
        colonne = replier(entete)
        if colonne not in COLONNES:
            rapport.ajouter(
                "colonne-inconnue",
                feuille=FEUILLE,
                ligne=fichier.ligne_entete,
                colonne=entete,
                message_fr=MESSAGES["colonne-inconnue"].format(colonnes=attendues),
            )
        elif colonne in premieres:
            rapport.ajouter(
                "colonne-dupliquee",
                feuille=FEUILLE,
                ligne=fichier.ligne_entete,
                colonne=colonne,
                valeur=entete,
                message_fr=MESSAGES["colonne-dupliquee"].format(premiere=premieres[colonne]),
            )
        else:
            premieres[colonne] = entete
            indices[indice] = colonne
    for colonne in COLONNES_REQUISES:
        if colonne not in premieres:
            rapport.ajouter(
                "colonne-manquante",
                feuille=FEUILLE,
                ligne=fichier.ligne_entete,
                colonne=colonne,
                message_fr=MESSAGES["colonne-manquante"].format(colonnes=attendues),
            )
    return indices


def _valider_ligne(
    numero: int, brutes: dict[str, Any], manquantes: set[str], contexte: dict[str, Any], rapport: Rapport
) -> LigneHabilitation | None:
    """The row through the model; each error reported at its cell (a list's code at its column, the code
    as value). A column missing from the file is reported once, at the header, not at every row."""
    donnees = {colonne: valeur for colonne, valeur in brutes.items()}
    donnees.update(dict.fromkeys(manquantes))
    try:
        return LigneHabilitation.model_validate(donnees, context=contexte)
    except ValidationError as erreur:
        for detail in erreur.errors(include_url=False):
            colonne = str(detail["loc"][0]) if detail["loc"] else None
            if colonne in manquantes:
                continue
            valeur = detail["input"] if len(detail["loc"]) > 1 else brutes.get(colonne or "")
            rapport.ajouter(
                detail["type"], feuille=FEUILLE, ligne=numero, colonne=colonne, valeur=valeur, message_fr=detail["msg"]
            )
        return None


def _regle_perimetre(numero: int, brutes: dict[str, Any], rapport: Rapport) -> None:
    """Only `copil` has a scope, and it must have one. Read from the cells themselves, so that the rule is
    reported even when another cell of the row (an unknown region, say) is wrong."""
    try:
        role = _role(brutes.get("role"))
    except PydanticCustomError:
        return  # the role's own error is reported
    regions, territoires = _liste_ou_rien(brutes.get("regions")), _liste_ou_rien(brutes.get("territoires"))
    if role == ROLE_PERIMETRE:
        if not regions and not territoires:
            rapport.ajouter(
                "perimetre-manquant",
                feuille=FEUILLE,
                ligne=numero,
                colonne="territoires",
                message_fr=MESSAGES["perimetre-manquant"],
            )
        return
    for colonne, codes in (("regions", regions), ("territoires", territoires)):
        if codes:
            rapport.ajouter(
                "perimetre-interdit",
                feuille=FEUILLE,
                ligne=numero,
                colonne=colonne,
                valeur=brutes.get(colonne),
                message_fr=MESSAGES["perimetre-interdit"].format(role=role, colonne=colonne),
            )


def _liste_ou_rien(valeur: Any) -> tuple[str, ...]:
    try:
        return _liste(valeur)
    except PydanticCustomError:
        return ()


def _email_ou_rien(valeur: Any) -> str | None:
    try:
        return _email(valeur)
    except PydanticCustomError:
        return None


# --- the list in the base ----------------------------------------------------------------------------

_SELECTION = "select email, role, regions, territoires, expire_le from habilitations"


def _habilitation(ligne: Sequence[Any]) -> Habilitation:
    email, role, regions, territoires, expire_le = ligne
    return Habilitation(email, role, tuple(regions or ()), tuple(territoires or ()), expire_le)


def lister(base: Base) -> list[Habilitation]:
    """Every habilitation of the base, by e-mail."""
    return [_habilitation(ligne) for ligne in base.lignes(f"{_SELECTION} order by email")]


def trouver(base: Base, email: str) -> Habilitation | None:
    """The habilitation of this e-mail (case and surrounding spaces ignored), valid or not; None if absent."""
    lignes = base.lignes(f"{_SELECTION} where email = $email", {"email": email.strip().lower()})
    return _habilitation(lignes[0]) if lignes else None


def derniere_importation(base: Base) -> tuple[datetime, str] | None:
    """When the list in the base was imported, and by whom (None when it was never imported)."""
    ligne = base.lignes("select importe_le, importe_par from habilitations order by importe_le desc limit 1")
    return (ligne[0][0], ligne[0][1]) if ligne else None


def empreinte(habilitations: Iterable[Habilitation]) -> str:
    """A fingerprint of a list (order ignored): the replacement checks that the list it replaces is still
    the one the administrator saw."""
    texte = "\n".join(sorted(repr(h) for h in habilitations))
    return hashlib.sha256(texte.encode()).hexdigest()


@dataclass(frozen=True)
class Changements:
    """What a new list changes: e-mails added, removed, modified (role, scope or expiry), unchanged count."""

    ajoutees: tuple[str, ...] = ()
    retirees: tuple[str, ...] = ()
    modifiees: tuple[str, ...] = ()
    inchangees: int = 0

    @property
    def nombre(self) -> int:
        """The number of habilitations of the new list."""
        return len(self.ajoutees) + len(self.modifiees) + self.inchangees

    def resume(self) -> str:
        """'12 habilitation(s) : 2 ajoutée(s), 1 retirée(s), 3 modifiée(s), 6 inchangée(s)'."""
        n = formats.nombre
        return (
            f"{n(self.nombre)} habilitation(s) : {n(len(self.ajoutees))} ajoutée(s), {n(len(self.retirees))} "
            f"retirée(s), {n(len(self.modifiees))} modifiée(s), {n(self.inchangees)} inchangée(s)"
        )


def comparer(anciennes: Iterable[Habilitation], nouvelles: Iterable[Habilitation]) -> Changements:
    avant = {h.email: h for h in anciennes}
    apres = {h.email: h for h in nouvelles}
    return Changements(
        ajoutees=tuple(sorted(set(apres) - set(avant))),
        retirees=tuple(sorted(set(avant) - set(apres))),
        modifiees=tuple(sorted(e for e in set(apres) & set(avant) if apres[e] != avant[e])),
        inchangees=sum(1 for e in set(apres) & set(avant) if apres[e] == avant[e]),
    )


def remplacer(
    base: Base, habilitations: Sequence[Habilitation], auteur: str, empreinte_attendue: str | None = None
) -> None:
    """Replace the whole list by `habilitations`, in one transaction (all or nothing). With
    `empreinte_attendue`, only if the list is still that one (otherwise ListeModifiee, nothing written)."""
    maintenant = datetime.now().replace(microsecond=0)
    lignes = [
        (h.email, h.role, list(h.regions), list(h.territoires), h.expire_le, maintenant, auteur) for h in habilitations
    ]
    with base.transaction() as curseur:
        if empreinte_attendue is not None:
            actuelles = [_habilitation(ligne) for ligne in curseur.execute(_SELECTION).fetchall()]
            if empreinte(actuelles) != empreinte_attendue:
                raise ListeModifiee
        curseur.execute("delete from habilitations")
        if lignes:
            curseur.executemany("insert into habilitations values (?, ?, ?, ?, ?, ?, ?)", lignes)


@dataclass
class ResultatHabilitations:
    """What an import of the habilitations file found and did: the file (name, SHA-256), the report, the
    list it holds (empty with an error), what it changes, whether the list of the base was replaced."""

    nom: str
    sha256: str
    rapport: Rapport
    habilitations: list[Habilitation] = field(default_factory=list)
    changements: Changements | None = None
    remplacees: bool = False

    def objet_journal(self) -> str:
        """The journal's `objet` of a replacement: the file and what changed."""
        resume = self.changements.resume() if self.changements else ""
        return f"{self.nom} (SHA-256 {self.sha256[:12]}) — {resume}"


def importer(
    base: Base, source: Source, auteur: str, simulation: bool = False, empreinte_attendue: str | None = None
) -> ResultatHabilitations:
    """Read and validate the file; when it holds no error (and not `simulation`), replace the whole list
    by it in one transaction. A file with an error changes nothing. An unreadable file (not .csv, empty,
    too large, not text) raises FichierIllisible. The caller writes the journal (it knows who acted)."""
    fichier = lire_fichier(source)
    rapport, habilitations = valider(fichier, contexte_validation(base))
    resultat = ResultatHabilitations(fichier.nom, fichier.sha256, rapport)
    if not rapport.valide:
        return resultat
    resultat.habilitations = habilitations
    resultat.changements = comparer(lister(base), habilitations)
    if not simulation:
        remplacer(base, habilitations, auteur, empreinte_attendue)
        resultat.remplacees = True
    return resultat
