"""Typed errors carrying a French message for the user."""

from __future__ import annotations


class RebondError(Exception):
    """Base of every error the user should read; `message_fr` is shown as is."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


class FichierIllisible(RebondError):
    """A file that is empty, not a workbook, not text, or too large (exit status 2)."""


class ValeurFiltreInconnue(RebondError):
    """A filter value absent from the referential or the base (exit status 2)."""


class HorsPerimetre(ValeurFiltreInconnue):
    """A filter value or an object outside the scope of the user the data is computed for (exit status 2)."""


class VersionInconnue(RebondError):
    """A version number that does not exist (exit status 2)."""


class BaseExistante(RebondError):
    """The database exists already and --force was not given (exit status 2)."""


class BaseIndisponible(RebondError):
    """The database file cannot be opened (locked by another process, missing)."""


class GrilleInvalide(RebondError):
    """A criteria grid file (data/grilles) that breaks the rules: duplicate code, negative weight, all zero."""


class ReglageInvalide(RebondError):
    """An unknown grid or criterion, a negative weight, all weights zero, a threshold outside 0–5."""


class ErreurStockage(RebondError):
    """The machine failed the base: disk full, file too large, read-only or damaged (exit status 2);
    nothing was written."""


class BaseModifiee(RebondError):
    """The base moved on (another publish) between reading it and writing: nothing was written."""

    def __init__(self, attendue: int, trouvee: int) -> None:
        super().__init__(
            f"La base a changé depuis la vérification (version {trouvee} au lieu de {attendue}) : "
            "rien n'a été écrit. Relancez la vérification pour voir les changements à jour."
        )
