"""What the frame computes once per run and the page reads: data version, state, options, filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rebond_core.indicateurs import Filtres
from rebond_core.tableaux import EtatDonnees


@dataclass(frozen=True)
class Contexte:
    version: int
    etat: EtatDonnees
    options: dict[str, list[tuple[Any, str]]]
    filtres: Filtres
