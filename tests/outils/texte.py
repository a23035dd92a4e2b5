"""What a person reads of a Markdown text the pages escaped (rebond_ui.surete.echapper)."""

from __future__ import annotations

import re

from rebond_ui.surete import JOINT


def lu(texte: str) -> str:
    """The text as shown: backslash escapes and word joiners removed, every whitespace run as one space
    (echapper does the same, narrow no-break spaces included)."""
    return " ".join(re.sub(r"\\(.)", r"\1", texte).replace(JOINT, "").split())


# Values that broke or could break a reader of links: digits that are not ASCII, overflows, controls, lengths.
PIEGES = [
    "²",
    "١٢",
    "１２",
    "1e999",
    "-1e999",
    "nan",
    "inf",
    "9" * 5000,
    "1" * 30,
    "\x00",
    "\u202e3",
    "",
    " ",
    "--1",
    "1,2,3",
    "0x10",
    "1_000",
    "½",
]
