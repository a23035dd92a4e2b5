"""What the frame computes once per run and the page reads: data version and state, options, filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rebond_core.acces.habilitations import Habilitation
from rebond_core.acces.portee import Portee
from rebond_core.perimetre import Filtres
from rebond_core.versions import StatutDonnees


@dataclass(frozen=True)
class Contexte:
    version: int
    etat: StatutDonnees
    options: dict[str, list[tuple[Any, str]]]
    filtres: Filtres  # the shared filters, pinned to `version` and to today (`au`, the reference date)
    habilitation: Habilitation  # who reads (the local operator in local mode)
    portee: Portee  # what they may see: every figure of the page is computed on it (rebond_ui/donnees.py)

    @property
    def au(self) -> date:
        """The reference date of the figures shown (today)."""
        return self.filtres.date_reference

    @property
    def sans_filtre(self) -> Filtres:
        """No filter, at the same version and date: the whole base for a national user, the whole scope for
        a COPIL member (the national sums they may see come from precomputed figures)."""
        return Filtres(version=self.version, au=self.filtres.au)

    def seulement_territoire(self, code: str) -> Filtres:
        """One territory alone, whatever the other filters (its figures compared with published ones)."""
        return Filtres(territoire=(code,), version=self.version, au=self.filtres.au)
