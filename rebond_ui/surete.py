"""User text (imported names, authors, file names, link values) shown inside Streamlit's Markdown:
every ASCII punctuation mark is backslash-escaped, so no link, image, HTML, LaTeX or Streamlit
directive (:material/…:, :red[…]) it may contain is interpreted; and an invisible word joiner is put
inside `://`, `@` and `www.`, so that bare addresses are not turned into links either. Tables need
none of this."""

from __future__ import annotations

import re

_PONCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WWW = re.compile(r"(?i)(www)(\.)")
JOINT = "\u2060"  # WORD JOINER: invisible, breaks Markdown's automatic links


def echapper(valeur: object) -> str:
    """The text as it is, safe to put in st.markdown, st.header, st.caption and alerts."""
    texte = " ".join(str(valeur).split())
    texte = texte.replace("://", ":" + JOINT + "//").replace("@", "@" + JOINT)
    texte = _WWW.sub(r"\1" + JOINT + r"\2", texte)
    return _PONCTUATION.sub(r"\\\1", texte)
