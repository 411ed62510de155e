"""WhatsApp system lines and message placeholders, in English and German.

A system line is what WhatsApp writes for something that happened in the group
rather than something someone said: "Alice added Bob", "Du hast die Gruppe
verlassen", the encryption notice. :func:`classify` turns the text of one such
line into :class:`SystemEvent` tuples; :func:`message_kind` tells a media
placeholder or a deleted-message notice from ordinary text.

The patterns match text with the invisible marks removed (see :func:`clean`);
the caller keeps the text as exported.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import NamedTuple

from .chat import MessageKind

#: Invisible characters WhatsApp wraps around names, numbers and mentions. Deleted for
#: matching; U+202F and U+00A0 become plain spaces.
_INVISIBLE = {
    0xFEFF: None, 0x200E: None, 0x200F: None, 0x202A: None, 0x202B: None, 0x202C: None,
    0x202D: None, 0x202E: None, 0x2066: None, 0x2067: None, 0x2068: None, 0x2069: None,
    0x202F: " ", 0x00A0: " ",
}

#: How a system line names the device owner, per locale (English, German, Spanish, French).
OWNER_WORDS = frozenset({"You", "you", "Du", "du", "Dich", "dich", "Sie", "Tú", "tú", "Te", "te",
                         "Vous", "vous"})

#: Membership kinds; every other event kind becomes a GroupEvent.
MEMBERSHIP_KINDS = frozenset({"created", "added", "joined", "left", "removed"})


class SystemEvent(NamedTuple):
    """One thing a system line says. ``handle`` entered or left; ``actor`` did it."""

    kind: str
    handle: str | None = None
    actor: str | None = None
    value: str | None = None


def clean(text: str) -> str:
    """``text`` without the invisible marks, outer spaces or a final full stop."""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    text = text.strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text


_Q = "[\"“”„«»']"  # quotes around a subject: straight (Android), curly (iOS), German „“
_NOT_Q = "[^\"“”„«»]"
_SPLIT_NAMES = re.compile(r",\s+|\s+(?:and|und|y|et)\s+")


def _names(text: str) -> list[str]:
    """"Bob, Carl and Dee" → ["Bob", "Carl", "Dee"] (the list after "added"/"removed")."""
    return [n.strip() for n in _SPLIT_NAMES.split(text) if n.strip()]


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Order matters: the specific group-change patterns come before the generic
# "X removed Y" / "X hat Y entfernt", which would otherwise swallow "X removed the group icon".
_EVENT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("encryption_notice", _c(r".*\b(?:end-to-end[- ]encrypt|ende-zu-ende)")),
    ("security_code_changed", _c(r"^your security code with (?P<actor>.+?) changed\b")),
    ("security_code_changed", _c(r"^(?P<actor>.+?)['’]s security code changed\b")),
    ("security_code_changed",
     _c(r"^(?:deine sicherheitsnummer für|dein sicherheitscode für|die sicherheitsnummer von"
        r"|der sicherheitscode von) (?P<actor>.+?) hat sich geändert\b")),
    ("number_changed",
     _c(r"^(?P<actor>.+?) changed (?:their|his|her|the) phone number\b")),
    ("number_changed", _c(r"^(?P<actor>.+?) changed to (?P<value>\+?[\d ()-]{6,})$")),
    ("number_changed",
     _c(r"^(?P<actor>.+?) hat (?:seine|ihre|die|eine) telefonnummer\b.*geändert")),
    ("number_changed", _c(r"^(?P<actor>.+?) hat zu (?P<value>\+?[\d ()-]{6,}) gewechselt$")),
    ("created", _c(rf"^(?P<actor>.+?) created (?:the )?group {_Q}(?P<value>{_NOT_Q}*){_Q}$")),
    ("created", _c(r"^(?P<actor>.+?) created (?:this|the) group$")),
    ("created",
     _c(rf"^(?P<actor>.+?) (?:hat|hast) (?:die )?gruppe {_Q}(?P<value>{_NOT_Q}*){_Q} erstellt$")),
    ("created", _c(r"^(?P<actor>.+?) (?:hat|hast) (?:diese|die) gruppe erstellt$")),
    ("subject_changed",
     _c(rf"^(?P<actor>.+?) changed (?:the subject|the group name|this group's name)"
        rf"(?: from {_Q}.*?{_Q})? to {_Q}(?P<value>.*){_Q}$")),
    ("subject_changed",
     _c(rf"^(?P<actor>.+?) (?:hat|hast) den (?:betreff|gruppennamen|gruppenbetreff)"
        rf"(?: von {_Q}.*?{_Q})? (?:zu|in) {_Q}(?P<value>.*){_Q} geändert$")),
    ("description_changed",
     _c(r"^(?P<actor>.+?) (?:changed|deleted|removed) the group description\b")),
    ("description_changed",
     _c(r"^(?P<actor>.+?) (?:hat|hast) die gruppenbeschreibung (?:geändert|gelöscht|entfernt)")),
    ("icon_changed",
     _c(r"^(?P<actor>.+?) (?:changed|deleted|removed) (?:this group's|the group|the group's) "
        r"(?:icon|photo|picture)$")),
    ("icon_changed",
     _c(r"^(?P<actor>.+?) (?:hat|hast) (?:das gruppenbild|das bild dieser gruppe|das gruppenfoto) "
        r"(?:geändert|gelöscht|entfernt)$")),
    ("settings_changed",
     _c(r"^(?P<actor>.+?) changed (?:this group's|the group's|the group) settings\b")),
    ("settings_changed", _c(r"^(?P<actor>.+?) (?:hat|hast) die gruppeneinstellungen\b")),
    ("admin", _c(r"^(?P<actor>.+?) (?:(?:is|are|'re) now an admin|(?:ist|bist) jetzt admin)$")),
    ("joined",
     _c(r"^(?P<handle>.+?) joined(?: using (?:this|the|a) group(?:['’]s)?(?: invite)? link"
        r"| via (?:an |the )?invite link| from the community)?$")),
    ("joined", _c(r"^(?P<handle>.+?) (?:ist|bist) .*beigetreten$")),
    ("left", _c(r"^(?P<handle>.+?) left(?: the group)?$")),
    ("left", _c(r"^(?P<handle>.+?) (?:hat|hast) die gruppe verlassen$")),
    ("left", _c(r"^(?P<handle>.+?) (?:ist|bist) ausgetreten$")),
    ("added", _c(r"^(?P<handle>.+?) (?:was|were) added$")),
    ("added", _c(r"^(?P<handle>.+?) (?:wurde|wurdest) hinzugefügt$")),
    ("removed", _c(r"^(?P<handle>.+?) (?:was|were) removed$")),
    ("removed", _c(r"^(?P<handle>.+?) (?:wurde|wurdest) entfernt$")),
    ("added", _c(r"^(?P<actor>.+?) added (?P<targets>.+)$")),
    ("added", _c(r"^(?P<actor>.+?) (?:hat|hast) (?P<targets>.+) hinzugefügt$")),
    ("removed", _c(r"^(?P<actor>.+?) removed (?P<targets>.+)$")),
    ("removed", _c(r"^(?P<actor>.+?) (?:hat|hast) (?P<targets>.+) (?:aus der gruppe )?entfernt$")),
]

# Cheap filter: a system line contains one of these words; ordinary messages that pass
# still have to match a pattern above.
_KEYWORDS = _c(
    r"added|removed|joined|left|created|changed|admin|encrypt|security code|hinzugefügt|"
    r"entfernt|beigetreten|verlassen|ausgetreten|erstellt|geändert|gewechselt|ende-zu-ende"
)


def classify(text: str) -> list[SystemEvent] | None:
    """The events a system line's text describes, or None when it is not a known system line.

    Parameters
    ----------
    text
        The text after the timestamp (or after the group name on iOS), marks included.

    Returns
    -------
    list of SystemEvent or None
        Several events for "A added B, C and D" (one per person added). Names are returned
        as written (marks removed); mapping "You" to the device owner is the caller's job.
    """
    plain = clean(text)
    if not plain or _KEYWORDS.search(plain) is None:
        return None
    for kind, pattern in _EVENT_PATTERNS:
        m = pattern.match(plain)
        if m is None:
            continue
        groups = m.groupdict()
        actor = groups.get("actor")
        value = groups.get("value")
        if "targets" in groups:
            targets = _names(groups["targets"])
            if not targets:
                continue
            return [SystemEvent(kind, t, actor, value) for t in targets]
        handle = groups.get("handle")
        if kind == "created":
            handle = actor
        elif kind in ("joined", "left"):
            actor = handle
        return [SystemEvent(kind, handle, actor, value)]
    return None


# --- message placeholders ---------------------------------------------------------------

_MEDIA = _c(
    r"^(?:<(?:media omitted|medien ausgeschlossen|medien weggelassen|multimedia omitido"
    r"|médias omis)>"
    r"|<(?:attached|anhang|adjunto|pièce jointe): [^>]*>"
    r"|(?:.+ )?(?:image|video|audio|gif|sticker|document|contact card|photo) omitted"
    r"|(?:.+ )?(?:bild|video|audio|gif|sticker|dokument|kontaktkarte|foto) weggelassen"
    r"|\S.* \((?:file attached|datei angehängt)\)"
    r"|view once (?:photo|video|voice message)|null)$"
)
_DELETED = _c(
    r"^(?:this message was deleted|you deleted this message|diese nachricht wurde gelöscht"
    r"|du hast diese nachricht gelöscht|se eliminó este mensaje|eliminaste este mensaje"
    r"|ce message a été supprimé|vous avez supprimé ce message)$"
)
_EDITED = _c(r"<(?:this message was edited|diese nachricht wurde bearbeitet)>\s*$")

#: Text that is a placeholder exactly as Android writes it: found with one dict lookup.
FIXED_KINDS: dict[str, MessageKind] = {
    "<Media omitted>": "media",
    "<Medien ausgeschlossen>": "media",
    "<Medien weggelassen>": "media",
    "This message was deleted": "deleted",
    "You deleted this message": "deleted",
    "Diese Nachricht wurde gelöscht": "deleted",
    "Du hast diese Nachricht gelöscht": "deleted",
}

#: Ends of texts worth a closer look (anything else is plain text without a regex).
KIND_ENDINGS = ("omitted", "weggelassen", "deleted", "deleted.", "message", "message.",
                "gelöscht", "gelöscht.", "attached)", "angehängt)", "null", ">", "mensaje",
                "supprimé", "omis>")


def message_kind(text: str) -> MessageKind:
    """``"media"``, ``"deleted"`` or ``"text"`` for a message's first line."""
    plain = clean(text)
    if _DELETED.match(plain):
        return "deleted"
    if _MEDIA.match(plain):
        return "media"
    return "text"


def is_edited(text: str) -> bool:
    """True when the message ends with WhatsApp's "edited" marker."""
    return _EDITED.search(text) is not None


# What counts as an @mention, and why so strictly: every mention becomes a MENTIONS edge to a
# person, so a false one invents a person ("@home", "me@example.com", "@447700900038 10 mins"
# read as one number). WhatsApp itself writes a mention as "@" + the name between the isolates
# U+2068/U+2069 (current exports) or "@" + the phone number's digits (older exports and
# non-contacts); both are unambiguous. A name without isolates is only taken when it is a
# participant already seen in the file (a sender or a system line's person), longest first,
# because names have spaces and nothing else says where they end.
_MENTION = re.compile(
    r"@(?:\u2068([^\u2069\n]+)\u2069"           # a name or number between isolates
    r"|\u202a?(\+?\d{7,15})(?!\d)"              # a phone number: its digits, nothing after
    r"|(?<!\w@)(?=[^\s@]))"                     # maybe a known participant's name (no e-mail)
)
_NAME_WORDS = 6  # the most words a participant's name is looked up with
_NAME_END = ".,:;!?"


def mentions(text: str, known: Container[str] = frozenset()) -> list[str]:
    """The handles ``@``-mentioned in ``text``, marks removed, in order, without repeats.

    ``known`` are the participants' names seen so far: the only names without isolates
    that count (see the note on ``_MENTION``).
    """
    out: list[str] = []
    for m in _MENTION.finditer(text):
        raw = m.group(1) or m.group(2)
        if raw is not None:
            name = clean(raw)
        elif known:
            name = _known_name(text, m.end(), known)
        else:
            continue
        if name and name not in out:
            out.append(name)
    return out


def _known_name(text: str, start: int, known: Container[str]) -> str:
    """The longest known name that ``text`` has at ``start``, ending at a word's end; or ""."""
    end = text.find("\n", start)
    words = text[start:end if end >= 0 else len(text)].split(" ", _NAME_WORDS)[:_NAME_WORDS]
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        if name in known:
            return name
        bare = name.rstrip(_NAME_END)  # "@Kev, see you"
        if bare != name and bare in known:
            return bare
    return ""
