"""What the frame computes once per run and the page reads: data version and state, options, filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rebond_core.perimetre import Filtres
from rebond_core.versions import StatutDonnees


@dataclass(frozen=True)
class Contexte:
    version: int
    etat: StatutDonnees
    options: dict[str, list[tuple[Any, str]]]
    filtres: Filtres  # the shared filters, pinned to `version`

    @property
    def sans_filtre(self) -> Filtres:
        """The whole base at the same version (national figures, the median of all laureates)."""
        return Filtres(version=self.version)
