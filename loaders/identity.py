"""Stable ids: the same input gives the same id on every load and every machine."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lowercase ASCII slug: ``"Officer A (PC)"`` → ``"officer-a-pc"``.

    Non-ASCII letters are folded; a text with none left hashes to ``x<8 hex>``.

    >>> slug("Charing Cross police station")
    'charing-cross-police-station'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = _NON_WORD.sub("-", folded).strip("-")
    return out or "x" + hashlib.sha256(text.encode()).hexdigest()[:8]


_last_text: tuple[datetime | None, str] = (None, "")


def utc_text(moment: datetime) -> str:
    """An aware datetime as the graph's UTC text ``YYYY-MM-DDTHH:MM:SSZ``."""
    global _last_text
    last = _last_text
    if last[0] is moment:
        # Parsers hand the same object to the messages of one minute; the tuple holds a
        # reference, so an identical id is the identical time.
        return last[1]
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times must carry their zone")
    utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    # isoformat is the fastest formatter; this runs once per message.
    text = utc.isoformat(timespec="seconds")[:19] + "Z"
    _last_text = (moment, text)
    return text


_PHONE = re.compile(r"\+?[\d\s().\-]{7,24}")


@lru_cache(maxsize=1 << 16)  # each export of a case checks every handle of the case file
def phone_digits(handle: str) -> str | None:
    """The digits of a handle that is a phone number (``+44 7700 900038`` and the
    ``447700900038`` a WhatsApp mention shows are one number), else None.

    >>> phone_digits("+44 7700 900038"), phone_digits("Kev Barker")
    ('447700900038', None)
    """
    if not _PHONE.fullmatch(handle):
        return None
    digits = "".join(c for c in handle if c.isdigit())
    return digits if 7 <= len(digits) <= 15 else None


def person_id(key: str) -> str:
    return f"person:{key}"


def unresolved_person_id(platform: str, handle: str) -> str:
    return f"person:{platform}:{slug(handle)}"


def account_id(platform: str, handle: str) -> str:
    return f"{platform}:{handle}"


def message_id(group: str, sender: str, sent_at_utc: str, content: str, occurrence: int) -> str:
    """The id of a message: its group, sender person, minute, content and occurrence.

    The minute (not the second) is used because one export has seconds and another
    does not; ``occurrence`` tells apart the same text sent twice in one minute.
    """
    key = "\x1f".join((group, sender, sent_at_utc[:16], content, str(occurrence)))
    return "msg:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def file_sha256(path: str | bytes | object, *, chunk: int = 1 << 20) -> tuple[str, int, int]:
    """sha256 hex, size in bytes and newline count of a file, read in chunks."""
    h = hashlib.sha256()
    size = lines = 0
    with open(path, "rb") as f:  # type: ignore[arg-type]
        while block := f.read(chunk):
            h.update(block)
            size += len(block)
            lines += block.count(b"\n")
    return h.hexdigest(), size, lines
