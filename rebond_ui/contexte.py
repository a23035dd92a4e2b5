"""What the frame computes once per run and the page reads: data version and state, options, filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rebond_core.perimetre import Filtres
from rebond_core.versions import StatutDonnees


@dataclass(frozen=True)
class Contexte:
    version: int
    etat: StatutDonnees
    options: dict[str, list[tuple[Any, str]]]
    filtres: Filtres  # the shared filters, pinned to `version` and to today (`au`, the reference date)

    @property
    def au(self) -> date:
        """The reference date of the figures shown (today)."""
        return self.filtres.date_reference

    @property
    def sans_filtre(self) -> Filtres:
        """The whole base at the same version and date (national figures, the median of all laureates)."""
        return Filtres(version=self.version, au=self.filtres.au)

    def seulement_territoire(self, code: str) -> Filtres:
        """One territory alone, whatever the other filters (its figures compared with published ones)."""
        return Filtres(territoire=(code,), version=self.version, au=self.filtres.au)
