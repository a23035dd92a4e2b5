"""The one reader of the link's parameters: tolerant and typed.

Links circulate (by mail, in minutes of meetings) and anyone can type one, so a value of the link may be
anything: a superscript digit, a number out of bounds, a name in the wrong case, ten thousand characters,
a control character. Each method of `Lecteur` returns a value of the expected type within its bounds and
never raises; what it could not use is dropped, and what it had to bring within bounds is clamped, each
with a French notice (`Lecteur.avis`, plain text: escape it to show it in Markdown, see `afficher`).

Numbers are read the French or the English way ('1,5', '1.5', '1 000', with ordinary or no-break spaces),
with ASCII digits only ('²', '١' and '５' are refused, where `str.isdigit` and `int` would accept or choke
on them). Choices are matched on their code, else, when that is unambiguous, on their code or label
folded (case, accents, separators)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

from rebond_core import formats

V = TypeVar("V")

LONGUEUR_MAX = 200  # a longer value is no code, number or name of ours: refused before any parsing
LONGUEUR_AFFICHEE = 40  # a value quoted in a notice is cut after this many characters
VRAI = ("1", "oui", "true", "vrai", "yes", "on")
FAUX = ("0", "non", "false", "faux", "no", "off")
_NOMBRE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?", re.ASCII)
_ESPACES = re.compile(r"[ \u00a0\u202f\u2009]")


def citer(valeur: str) -> str:
    """A value of the link as a notice quotes it: whitespace runs as one space, invisible and control
    characters (bidirectional overrides included) as U+FFFD, cut after LONGUEUR_AFFICHEE characters."""
    texte = " ".join(valeur.split())
    texte = "".join(c if c.isprintable() else "\ufffd" for c in texte)
    return texte if len(texte) <= LONGUEUR_AFFICHEE else texte[:LONGUEUR_AFFICHEE] + "…"


def lire_nombre(texte: str) -> float | None:
    """A finite number written with ASCII digits ('12', '-1,5', '1 000', '2e3'), else None."""
    if len(texte) > LONGUEUR_MAX:
        return None
    propre = _ESPACES.sub("", texte.strip()).replace(",", ".")
    if not _NOMBRE.fullmatch(propre):
        return None
    valeur = float(propre)
    return valeur if math.isfinite(valeur) else None


def lire_entier(texte: str) -> int | None:
    """A whole number ('12', '1 000', '12.0'), else None (a fraction is not a whole number)."""
    valeur = lire_nombre(texte)
    if valeur is None or valeur != int(valeur):
        return None
    return int(valeur)


@dataclass
class Lecteur:
    """The parameters of one link (name → every value given, in order) and the notices of their reading."""

    parametres: Mapping[str, Sequence[str]]
    avis: list[str] = field(default_factory=list)

    @classmethod
    def du_lien(cls) -> Lecteur:
        """The reader of the page's link (st.query_params)."""
        import streamlit as st  # noqa: PLC0415 — the parsing above is tested without Streamlit

        parametres = st.query_params
        return cls({nom: list(parametres.get_all(nom)) for nom in parametres.keys()})

    def _brut(self, nom: str, quoi: str) -> str | None:
        """The one value of a single-valued parameter (the last, with a notice, when given several times)."""
        valeurs = list(self.parametres.get(nom, ()))
        if not valeurs:
            return None
        if len(valeurs) > 1:
            self.avis.append(f"Lien : {quoi} ({nom}) donné {len(valeurs)} fois, seule la dernière valeur est lue.")
        return valeurs[-1]

    def _invalide(self, nom: str, brut: str, quoi: str, attendu: str, repli: str) -> None:
        self.avis.append(f"Lien : {quoi} ({nom}) : « {citer(brut)} » invalide, attendu {attendu} ; {repli}.")

    def liste(self, nom: str, choix: Mapping[V, str], quoi: str, inconnu: str = "inconnu") -> list[V]:
        """Every value of a multi-valued parameter that names one of `choix` (code → label), in order,
        each once; an unknown value is dropped with a notice (`inconnu` says why: unknown, or outside the
        user's scope)."""
        retenus: list[V] = []
        for brut in self.parametres.get(nom, ()):
            valeur = _trouver(brut, choix)
            if valeur is None:
                self.avis.append(f"Lien : {quoi} ({nom}) : « {citer(brut)} » {inconnu}, ignoré.")
            elif valeur not in retenus:
                retenus.append(valeur)
        return retenus

    def choix(self, nom: str, choix: Mapping[str, str], defaut: str, quoi: str) -> str:
        """The code of `choix` (code → label) the parameter names; `defaut` when absent or unknown (notice)."""
        brut = self._brut(nom, quoi)
        if brut is None:
            return defaut
        valeur = _trouver(brut, choix)
        if valeur is None:
            attendu = " ou ".join(f"« {c} »" for c in choix) if len(choix) <= 8 else "une valeur de la liste"
            self._invalide(nom, brut, quoi, attendu, f"« {defaut} » utilisé")
            return defaut
        return valeur

    def booleen(self, nom: str, defaut: bool, quoi: str) -> bool:
        """1/0, oui/non, true/false (any case); `defaut` when absent or unreadable (notice)."""
        brut = self._brut(nom, quoi)
        if brut is None:
            return defaut
        propre = brut.strip().lower()
        if propre in VRAI or propre in FAUX:
            return propre in VRAI
        self._invalide(nom, brut, quoi, "1 ou 0", f"{'1' if defaut else '0'} utilisé")
        return defaut

    def entier(self, nom: str, defaut: int, minimum: int, maximum: int, quoi: str) -> int:
        """A whole number; out of [minimum, maximum] it is clamped, unreadable it is `defaut` (notices)."""
        brut = self._brut(nom, quoi)
        if brut is None:
            return defaut
        valeur = lire_entier(brut)
        attendu = f"un entier de {formats.nombre(minimum)} à {formats.nombre(maximum)}"
        if valeur is None:
            self._invalide(nom, brut, quoi, attendu, f"valeur par défaut utilisée ({formats.nombre(defaut)})")
            return defaut
        return int(self._borner(nom, brut, valeur, minimum, maximum, quoi, 0))

    def nombre(self, nom: str, defaut: float, minimum: float, maximum: float, quoi: str) -> float:
        """A number; out of [minimum, maximum] it is clamped, unreadable it is `defaut` (notices)."""
        brut = self._brut(nom, quoi)
        if brut is None:
            return defaut
        valeur = lire_nombre(brut)
        if valeur is None:
            attendu = f"un nombre de {formats.nombre(minimum, None)} à {formats.nombre(maximum, None)}"
            self._invalide(nom, brut, quoi, attendu, f"valeur par défaut utilisée ({formats.nombre(defaut, None)})")
            return defaut
        return self._borner(nom, brut, valeur, minimum, maximum, quoi, None)

    def _borner(
        self, nom: str, brut: str, valeur: float, minimum: float, maximum: float, quoi: str, dec: int | None
    ) -> float:
        borne = min(max(valeur, minimum), maximum)
        if borne != valeur:
            self.avis.append(
                f"Lien : {quoi} ({nom}) : « {citer(brut)} » hors limites (de {formats.nombre(minimum, dec)} à "
                f"{formats.nombre(maximum, dec)}), ramené à {formats.nombre(borne, dec)}."
            )
        return borne

    def montant(self, nom: str, quoi: str, maximum: Decimal) -> Decimal | None:
        """An amount in euros ≥ 0, to the cent ('62000000', '62 000 000', '1250000,50', '45,5 M€'); None when
        absent or unreadable (notice); above `maximum` it is clamped (notice)."""
        brut = self._brut(nom, quoi)
        if brut is None:
            return None
        valeur = lire_montant(brut)
        if valeur is None:
            self._invalide(nom, brut, quoi, "un montant en euros ≥ 0, au centime près", "ignoré")
            return None
        if valeur > maximum:
            self.avis.append(
                f"Lien : {quoi} ({nom}) : « {citer(brut)} » hors limites (au plus {formats.euros(maximum)}), "
                f"ramené à {formats.euros(maximum)}."
            )
            return maximum
        return valeur

    def texte(self, nom: str, quoi: str) -> str | None:
        """A free value (an identifier checked later by the page), None when absent or too long (notice)."""
        brut = self._brut(nom, quoi)
        if brut is None or not brut.strip():
            return None
        if len(brut) > LONGUEUR_MAX:
            self._invalide(nom, brut, quoi, f"au plus {LONGUEUR_MAX} caractères", "ignoré")
            return None
        return brut.strip()


_MONTANT = re.compile(r"[0-9]{1,15}(?:[.,][0-9]{1,2})?", re.ASCII)


def lire_montant(texte: str) -> Decimal | None:
    """An amount in euros ≥ 0 to the cent, at most 15 digits before the decimal point, else None."""
    if len(texte) > LONGUEUR_MAX:
        return None
    propre = _ESPACES.sub("", texte.strip()).removesuffix("€")
    millions = propre[-1:] in ("M", "m")
    propre = propre[:-1] if millions else propre
    if not _MONTANT.fullmatch(propre):
        return None
    try:
        valeur = Decimal(propre.replace(",", ".")) * (1_000_000 if millions else 1)
    except InvalidOperation:  # pragma: no cover — the pattern lets only plain decimals through
        return None
    return valeur.quantize(Decimal("0.01"))


def _trouver(brut: str, choix: Mapping[V, str]) -> V | None:
    """The code of `choix` that `brut` names: its text exactly, else its code or label once folded."""
    if len(brut) > LONGUEUR_MAX:
        return None
    propre = brut.strip()
    entier = lire_entier(propre)
    for code in choix:
        if str(code) == propre or (isinstance(code, int) and entier == code):
            return code
    replie = _replier(propre)
    if not replie:
        return None
    trouves = {code for code, libelle in choix.items() if replie in (_replier(str(code)), _replier(libelle))}
    return trouves.pop() if len(trouves) == 1 else None


_SEPARATEURS = re.compile(r"[\s\-_]+")


@lru_cache(maxsize=4096)
def _replier(texte: str) -> str:
    """Case, accents and separators folded; unlike domaine.replier, no compatibility folding: '²' and '５'
    stay what they are (no digit of a link is read from them)."""
    sans_accents = "".join(c for c in unicodedata.normalize("NFD", texte) if not unicodedata.combining(c))
    return _SEPARATEURS.sub("_", sans_accents.casefold()).strip("_")


def afficher(avis: Iterable[str]) -> None:
    """The notices on the page, escaped (they quote the link)."""
    import streamlit as st  # noqa: PLC0415

    from rebond_ui.surete import echapper  # noqa: PLC0415

    for texte in avis:
        st.warning(echapper(texte), icon=":material/link_off:")
