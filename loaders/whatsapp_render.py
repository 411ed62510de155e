"""Write chat records back out as a WhatsApp ``.txt`` export, in one of several styles.

The inverse of :func:`conductgraph.loaders.whatsapp.parse`: ``parse(render(records))``
gives the same senders, texts, kinds and membership events, with times truncated to
the style's precision. Deterministic, so the synthetic case generator and the benchmark
can rely on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .chat import DEVICE_OWNER, ChatMessage, GroupEvent, MembershipEvent

LRM = "\u200e"


@dataclass(frozen=True, slots=True)
class RenderStyle:
    """How one phone/locale writes a header; ``fmt`` is a ``str.format`` template over
    d, m, Y (4-digit), y (2-digit), H, h (12 h), M, S, P (AM/PM), p (am/pm)."""

    fmt: str
    kind: str  # "android" | "ios" | "ios_old"
    order: str  # the date order a parser must use
    seconds: bool
    lang: str  # "en" | "de": wording of placeholders and system lines


#: The styles :func:`render` knows. Each is a real combination seen in exports.
STYLES: dict[str, RenderStyle] = {
    # Android, UK locale, 24 h: "12/08/2016, 16:20 - Name: text"
    "android24_dmy": RenderStyle("{d:02}/{m:02}/{Y}, {H:02}:{M:02}", "android", "dmy", False, "en"),
    # Android, US locale, 12 h with a narrow no-break space: "8/12/16, 4:20 PM - Name: text"
    "android12_mdy": RenderStyle("{m}/{d}/{y:02}, {h}:{M:02}\u202f{P}", "android", "mdy", False,
                                 "en"),
    # Android, UK locale, 12 h lower case with a no-break space: "12/08/2016, 4:20 pm - …"
    "android12_dmy": RenderStyle("{d:02}/{m:02}/{Y}, {h}:{M:02}\u00a0{p}", "android", "dmy", False,
                                 "en"),
    # iOS, UK locale, with seconds: "[12/08/2016, 16:20:05] Name: text"
    "ios_seconds_dmy": RenderStyle("{d:02}/{m:02}/{Y}, {H:02}:{M:02}:{S:02}", "ios", "dmy", True,
                                   "en"),
    # iOS, US locale, 12 h: "[8/12/16, 4:20:05 PM] Name: text"
    "ios12_mdy": RenderStyle("{m}/{d}/{y:02}, {h}:{M:02}:{S:02}\u202f{P}", "ios", "mdy", True, "en"),
    # Old iOS (before 2017): "12/08/2016 16:20:05: Name: text"
    "ios_old": RenderStyle("{d:02}/{m:02}/{Y} {H:02}:{M:02}:{S:02}", "ios_old", "dmy", True, "en"),
    # Android, German locale: "12.08.16, 16:20 - Name: text"
    "german": RenderStyle("{d:02}.{m:02}.{y:02}, {H:02}:{M:02}", "android", "dmy", False, "de"),
    # iOS, German locale: "[12.08.16, 16:20:05] Name: text"
    "german_ios": RenderStyle("{d:02}.{m:02}.{y:02}, {H:02}:{M:02}:{S:02}", "ios", "dmy", True,
                              "de"),
    # Year first (Swedish, Canadian, …): "2016-08-12 16:20 - Name: text"
    "ymd": RenderStyle("{Y}-{m:02}-{d:02} {H:02}:{M:02}", "android", "ymd", False, "en"),
}

_PLACEHOLDER = {
    ("en", "android", "media"): "<Media omitted>",
    ("en", "ios", "media"): LRM + "image omitted",
    ("de", "android", "media"): "<Medien ausgeschlossen>",
    ("de", "ios", "media"): LRM + "Bild weggelassen",
    ("en", "android", "deleted"): "This message was deleted",
    ("en", "ios", "deleted"): LRM + "This message was deleted.",
    ("de", "android", "deleted"): "Diese Nachricht wurde gelöscht",
    ("de", "ios", "deleted"): LRM + "Diese Nachricht wurde gelöscht.",
}

# System lines; {a} the actor, {h} the handle, {v} a value. The owner's forms are separate
# because both languages conjugate ("You added", "Du hast … hinzugefügt").
_MEMBERSHIP = {
    "en": {
        "created": ("{a} created this group", "You created this group"),
        "added": ("{a} added {h}", "You added {h}"),
        "added_passive": ("{h} was added", "You were added"),
        "joined": ("{h} joined using this group's invite link",
                   "You joined using this group's invite link"),
        "left": ("{h} left", "You left"),
        "removed": ("{a} removed {h}", "You removed {h}"),
        "removed_passive": ("{h} was removed", "You were removed"),
    },
    "de": {
        "created": ("{a} hat diese Gruppe erstellt", "Du hast diese Gruppe erstellt"),
        "added": ("{a} hat {h} hinzugefügt", "Du hast {h} hinzugefügt"),
        "added_passive": ("{h} wurde hinzugefügt", "Du wurdest hinzugefügt"),
        "joined": ("{h} ist der Gruppe über den Einladungslink beigetreten",
                   "Du bist der Gruppe über den Einladungslink beigetreten"),
        "left": ("{h} hat die Gruppe verlassen", "Du hast die Gruppe verlassen"),
        "removed": ("{a} hat {h} entfernt", "Du hast {h} entfernt"),
        "removed_passive": ("{h} wurde entfernt", "Du wurdest entfernt"),
    },
}
_OWNER_OBJECT = {"en": ("You", "you"), "de": ("Du", "dich")}

_GROUP = {
    "en": {
        "subject_changed": ('{a} changed the subject to "{v}"', 'You changed the subject to "{v}"'),
        "description_changed": ("{a} changed the group description",
                                "You changed the group description"),
        "icon_changed": ("{a} changed this group's icon", "You changed this group's icon"),
        "security_code_changed": ("Your security code with {a} changed. Tap to learn more.",) * 2,
        "number_changed": ("{a} changed their phone number to a new number. Tap to message or add "
                           "the new number.",) * 2,
        "encryption_notice": ("Messages and calls are end-to-end encrypted. No one outside of this "
                              "chat, not even WhatsApp, can read or listen to them. Tap to learn "
                              "more.",) * 2,
    },
    "de": {
        "subject_changed": ("{a} hat den Betreff zu „{v}“ geändert",
                            "Du hast den Betreff zu „{v}“ geändert"),
        "description_changed": ("{a} hat die Gruppenbeschreibung geändert",
                                "Du hast die Gruppenbeschreibung geändert"),
        "icon_changed": ("{a} hat das Gruppenbild geändert", "Du hast das Gruppenbild geändert"),
        "security_code_changed": ("Deine Sicherheitsnummer für {a} hat sich geändert. Tippe, um "
                                  "mehr zu erfahren.",) * 2,
        "number_changed": ("{a} hat die Telefonnummer zu einer neuen Nummer geändert.",) * 2,
        "encryption_notice": ("Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand "
                              "außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal "
                              "WhatsApp. Tippe, um mehr zu erfahren.",) * 2,
    },
}


def _stamp(style: RenderStyle, local: datetime) -> str:
    h12 = local.hour % 12 or 12
    pm = local.hour >= 12
    return style.fmt.format(d=local.day, m=local.month, Y=local.year, y=local.year % 100,
                            H=local.hour, h=h12, M=local.minute, S=local.second,
                            P="PM" if pm else "AM", p="pm" if pm else "am")


def _line(style: RenderStyle, stamp: str, body: str, marked: bool) -> str:
    if style.kind == "ios":
        # iOS puts a LRM before the bracket of media and system lines.
        return f"{LRM if marked else ''}[{stamp}] {body}\n"
    if style.kind == "ios_old":
        return f"{stamp}: {body}\n"
    return f"{stamp} - {body}\n"


def _system_text(rec: MembershipEvent | GroupEvent, style: RenderStyle) -> str:
    lang = style.lang
    subject, obj = _OWNER_OBJECT[lang]
    if isinstance(rec, MembershipEvent):
        key: str = rec.kind
        actor = rec.actor
        doer: str | None
        if key in ("added", "removed") and actor is None:
            key, doer = key + "_passive", rec.handle
        elif key == "created":
            actor = doer = actor or rec.handle
        elif key in ("added", "removed"):
            doer = actor
        else:  # joined, left: the person did it themselves
            doer = rec.handle
        template = _MEMBERSHIP[lang][key][1 if doer == DEVICE_OWNER else 0]
        handle = obj if rec.handle == DEVICE_OWNER else rec.handle
        return template.format(a=actor or "", h=handle)
    if rec.kind not in _GROUP[lang]:
        return rec.text
    template = _GROUP[lang][rec.kind][1 if rec.actor == DEVICE_OWNER else 0]
    actor = subject if rec.actor == DEVICE_OWNER else (rec.actor or "")
    return template.format(a=actor, v=rec.value or "")


def render(records: Iterable[ChatMessage | MembershipEvent | GroupEvent | object], *, style: str,
           timezone: str = "Europe/London", owner: str | None = None) -> Iterator[str]:
    """Yield a WhatsApp export, one string per record, each ending in ``"\\n"``.

    Parameters
    ----------
    records
        Messages and events in the order to write them. Other records (a ChatHeader,
        Rejected lines) are skipped, so ``render(parse(path), …)`` works.
    style
        A key of :data:`STYLES`.
    timezone
        Zone the export's local times are written in.
    owner
        Name shown as sender of the device owner's messages (default ``"You"``; parse with
        ``owner_names=[owner]`` to map it back). System lines always say "You"/"Du".

    Notes
    -----
    A message's text is written as it is (several lines when it has newlines). A media or
    deleted message with empty text gets the style's placeholder. An event's ``text``, when
    set, is written as exported (once for consecutive events from one line); otherwise the
    style's wording is used.
    """
    try:
        st = STYLES[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; one of {sorted(STYLES)}") from None
    tz = ZoneInfo(timezone)
    place = "ios" if st.kind == "ios" else "android"
    me = owner or "You"
    last_key: tuple[int, int, int, int] | None = None
    last_stamp = ""
    last_event: tuple[int, str] | None = None
    for rec in records:
        if isinstance(rec, ChatMessage):
            at = rec.sent_at
        elif isinstance(rec, MembershipEvent | GroupEvent):
            if rec.at is None:
                raise ValueError(f"line {rec.line}: an event without a time cannot be rendered")
            at = rec.at
        else:
            continue
        local = at.astimezone(UTC).astimezone(tz)
        key = (local.toordinal(), local.hour, local.minute, local.second)
        if key != last_key:  # consecutive records often share a stamp: format it once
            last_key, last_stamp = key, _stamp(st, local)
        if isinstance(rec, ChatMessage):
            text = rec.text
            if not text and rec.kind in ("media", "deleted"):
                text = _PLACEHOLDER[(st.lang, place, rec.kind)]
                if rec.kind == "deleted" and rec.sender == DEVICE_OWNER:
                    text = {"en": "You deleted this message",
                            "de": "Du hast diese Nachricht gelöscht"}[st.lang]
            sender = me if rec.sender == DEVICE_OWNER else rec.sender
            yield _line(st, last_stamp, f"{sender}: {text}", text[:1] == LRM)
        elif rec.text:
            # "A added B, C and D" parsed into three events is one line as exported.
            if (rec.line, rec.text) != last_event:
                yield _line(st, last_stamp, rec.text, True)
            last_event = (rec.line, rec.text)
        else:
            body = _system_text(rec, st)
            yield _line(st, last_stamp, LRM + body if st.kind == "ios" else body, True)
