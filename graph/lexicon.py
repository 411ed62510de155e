"""Compile a taxonomy's ``terms`` and ``patterns`` and find them in message text.

A term matches on word boundaries, case-insensitively, with the usual English
inflections of its last word (``rape`` → rapes, raped, raping, raper; ``hit`` →
hits, hitting). Several words match across any whitespace. A pattern is a Python
regular expression used as written (case-insensitive). What a flag records is
the lexicon entry that matched (the term or the pattern as written), so every
flag can be traced to one line of ``categories.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import CaseFileError

_VOWELS = "aeiou"
# Suffixes tried on the last word of a term; "" keeps the bare word.
_SUFFIXES = ("", "s", "es", "ed", "er", "ers", "ing", "ist", "ists")


def _word_forms(word: str) -> str:
    """A regex for ``word`` and its inflections (without boundaries)."""
    w = re.escape(word)
    forms = [w + "(?:" + "|".join(s for s in _SUFFIXES if s) + ")?"]
    if word.endswith("e") and len(word) > 2:
        # rape → raping, raped, raper
        forms.append(re.escape(word[:-1]) + "(?:ing|ed|er|ers|ist|ists)")
    elif (len(word) >= 3 and word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS
          and word[-3] not in _VOWELS):
        # hit → hitting, hitter; slap → slapped
        forms.append(w + re.escape(word[-1]) + "(?:ing|ed|er|ers)")
    return "(?:" + "|".join(forms) + ")"


def term_regex(term: str) -> str:
    """The regex a lexicon term compiles to, e.g. ``term_regex("rape")``."""
    words = term.strip().lower().split()
    if not words:
        raise ValueError("empty term")
    head = [re.escape(w) for w in words[:-1]]
    body = r"\s+".join([*head, _word_forms(words[-1])])
    # \b fails next to a non-word character (e.g. a term ending in "'"), so use lookarounds.
    return rf"(?<!\w){body}(?!\w)"


@dataclass(frozen=True)
class CategoryLexicon:
    category: str
    # One (entry as written, compiled regex) per term and per pattern.
    entries: tuple[tuple[str, re.Pattern[str]], ...]

    def match(self, text: str) -> list[str]:
        """The entries that occur in ``text``, in lexicon order."""
        return [entry for entry, rx in self.entries if rx.search(text)]


@dataclass(frozen=True)
class Lexicon:
    categories: tuple[CategoryLexicon, ...]

    def code(self, text: str | None) -> dict[str, list[str]]:
        """``{category: [matched entries]}`` for one message text (categories with a match only).

        >>> lex = compile_lexicon([{"id": "sexual_violence", "terms": ["rape"]}])
        >>> lex.code("I would happily rape you")
        {'sexual_violence': ['rape']}
        >>> lex.code("grape juice")
        {}
        """
        if not text:
            return {}
        out: dict[str, list[str]] = {}
        for cat in self.categories:
            found = cat.match(text)
            if found:
                out[cat.category] = found
        return out


def compile_lexicon(taxonomy: list[dict[str, Any]]) -> Lexicon:
    """Compile every category's ``terms`` and ``patterns``; a bad one names its category."""
    cats = []
    for cat in taxonomy:
        cid = str(cat["id"])
        entries: list[tuple[str, re.Pattern[str]]] = []
        for field, build in (("terms", term_regex), ("patterns", lambda p: p)):
            values = cat.get(field) or []
            if not isinstance(values, list):
                raise CaseFileError(f"taxonomy: {cid}.{field} must be a list",
                                    detail=[{"file": "categories.yaml", "field": f"{cid}.{field}",
                                             "message": "not a list"}])
            for value in values:
                try:
                    entries.append((str(value), re.compile(build(str(value)), re.IGNORECASE)))
                except (re.error, ValueError) as exc:
                    raise CaseFileError(
                        f"taxonomy: {cid}.{field}: {value!r} is not usable: {exc}",
                        detail=[{"file": "categories.yaml", "field": f"{cid}.{field}",
                                 "message": str(exc)}]) from exc
        if entries:
            cats.append(CategoryLexicon(cid, tuple(entries)))
    return Lexicon(tuple(cats))
