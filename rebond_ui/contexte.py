"""What the frame computes once per run and the page reads: data version, state, options, filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rebond_core.indicateurs import Filtres
from rebond_core.versions import StatutDonnees


@dataclass(frozen=True)
class Contexte:
    version: int
    etat: StatutDonnees
    options: dict[str, list[tuple[Any, str]]]
    filtres: Filtres
