"""The importable tables: model, key and defaults, in the contract's order (`versements` since contract 2)."""

from __future__ import annotations

from functools import cache

from rebond_core.domaine import replier
from rebond_core.grilles import codes_criteres
from rebond_core.importation.modeles import (
    DefinitionTable,
    Projet,
    Releve,
    Territoire,
    Versement,
    modele_sites,
)


@cache
def definitions() -> dict[str, DefinitionTable]:
    """Table name → definition, in dependency order (relèves before territories before projects before
    their payments)."""
    return {
        "releves": DefinitionTable("releves", Releve, "numero"),
        "territoires": DefinitionTable("territoires", Territoire, "code_territoire"),
        "projets": DefinitionTable("projets", Projet, "id_projet"),
        "sites": DefinitionTable("sites", modele_sites(codes_criteres()), "id_site", decimales={"surface_ha": 4}),
        "versements": DefinitionTable("versements", Versement, "id_versement", references={"id_projet": "projets"}),
    }


@cache
def colonnes_connues(table: str) -> frozenset[str]:
    """The folded column names of a table, for header matching."""
    return frozenset(replier(c) for c in definitions()[table].colonnes)
