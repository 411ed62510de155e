"""WhatsApp ``.txt`` exports (Android, iOS, old iOS; any locale's date and clock).

The file is read twice:

1. a pre-scan (:func:`_prescan`), line by line, that matches the first headers with one
   general regex, picks the file's header *style* (brackets or not, seconds, AM/PM, date
   separator), decides the day/month order from the data, and finds the group's title;
2. the parse proper, in blocks of a few hundred KB: one regex compiled for that style
   splits a block at its headers (:func:`_units`), so a header arrives with its rest and
   any continuation lines at once, and a line that merely starts with something date-like
   in another style stays a continuation. The loop over headers (:func:`_parse`) has a
   fast path for the common message and leaves anything else to the general path.

Times are parsed without ``strptime``: a header's day part (marks, date) maps (cached)
to the UTC instant of its local midnight and its time part (cached) to a ``timedelta``;
days on which the zone's offset changes take the slow, exact path through ``zoneinfo``.

Message ``text`` is kept exactly as exported (only the line terminator is removed;
continuation lines are joined with ``"\\n"``). Handles are stripped of invisible marks.
Memory stays flat whatever the file's size: one block, its pieces, one pending record and the
caches (one entry per day, time of day and sender).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .chat import (
    DEVICE_OWNER,
    ChatHeader,
    ChatMessage,
    ChatRecord,
    GroupEvent,
    MembershipEvent,
    Rejected,
)
from .whatsapp_render import STYLES, render
from .whatsapp_system import (
    FIXED_KINDS,
    KIND_ENDINGS,
    MEMBERSHIP_KINDS,
    OWNER_WORDS,
    classify,
    is_edited,
    mentions,
    message_kind,
)

__all__ = ["sniff", "parse", "detect_date_order", "render", "STYLES"]

DATE_ORDERS = ("dmy", "mdy", "ymd")

_MARKS = "\ufeff\u200e\u200f"
_AMPM = r"[ \u202f\u00a0]?[AaPp]\.?[ \u202f\u00a0]?[Mm]\.?"

# One pattern for every variant; used to sniff and pre-scan only.
_GENERAL = re.compile(
    rf"[{_MARKS}]*(?P<br>\[)?"
    r"(?P<a>\d{1,4})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<c>\d{1,4})\.?,? "
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?P<S>[:.]\d{2})?"
    rf"(?P<ap>{_AMPM})?"
    r"(?(br)\] ?|(?P<close> [-–] |: ))"
    r"(?P<rest>.*)"
)
_DATE_PARTS = re.compile(r"(\d+)[/.\-](\d+)[/.\-](\d+)")
_TIME_PARTS = re.compile(
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:[ \u202f\u00a0]?([AaPp])\.?[ \u202f\u00a0]?[Mm]\.?)?"
)
_QUOTES = "\"“”„«»"
#: Last four characters of every placeholder ending (see whatsapp_system.KIND_ENDINGS).
_KIND_TAILS = frozenset(e[-4:] for e in KIND_ENDINGS)
#: Their last characters: a text ending otherwise needs no closer look at its end.
_TAIL_ENDS = frozenset(e[-1:] for e in KIND_ENDINGS) | {">"}  # ">": the edited mark
#: First characters of a message text that need a closer look (placeholder, iOS system line).
_ODD_STARTS = frozenset(("<", "\u200e", "\u200f"))
_PRESCAN_HEADERS = 200  # headers looked at to pick the style


@dataclass(frozen=True, slots=True)
class _Style:
    """What every header of one file looks like."""

    kind: str  # "android" | "ios" | "ios_old"
    sep: str  # the date separator: "/", "." or "-"
    seconds: bool
    ampm: bool

    def header(self, groups: str) -> str:
        """The regex of a header up to its rest (marks, date, time, the closing mark).

        ``groups``: "" none; "parts" the part up to the time, the part from it (the day
        part and the time part of the header, each a cache key) and the rest of the line;
        "stamp" the date and the time as written.
        """
        sep = re.escape(self.sep)
        time = r"\d{1,2}[:.]\d{2}" + (r"[:.]\d{2}" if self.seconds else "") + (
            _AMPM if self.ampm else "")
        date = rf"\d{{1,4}}{sep}\d{{1,2}}{sep}\d{{1,4}}"
        open_, close = {"android": ("", " [-–] "), "ios": (r"\[", r"\] ?"),
                        "ios_old": ("", ": ")}[self.kind]
        if groups == "stamp":
            date, time = f"({date})", f"({time})"
        elif groups == "parts":
            # Possessive where giving back cannot make a match (a bit faster, same matches).
            date = date.replace("}", "}+")
            return rf"([{_MARKS}]*+{open_}{date}\.?,? )({time}{close})(.*+)"
        return rf"[{_MARKS}]*{open_}{date}\.?,? {time}{close}"

    def splitter(self) -> re.Pattern[str]:
        """Splits ``"\\n" + block`` into [lead, day, time, rest, more, day, time, rest, more,
        …] (see :func:`_units`)."""
        return re.compile(r"\n" + self.header("parts"))

    def line(self) -> re.Pattern[str]:
        """One line as (day part, time part, rest); all None for no header."""
        return re.compile(rf"(?:{self.header('parts')}|)")

    def stamp(self) -> re.Pattern[str]:
        """The date and the time of a header's day part + time part."""
        return re.compile(self.header("stamp"))


_DEFAULT_STYLE = _Style("android", "/", False, False)


class _OrderVote:
    """Decides day/month order from the dates of one file, fed one header at a time."""

    __slots__ = ("ymd", "dmy_hard", "mdy_hard", "dec_dmy", "dec_mdy", "prev")

    def __init__(self) -> None:
        self.ymd = self.dmy_hard = self.mdy_hard = self.dec_dmy = self.dec_mdy = 0
        self.prev: tuple[int, int, int] | None = None

    def feed(self, a: str, b: str, c: str) -> None:
        ia, ib, ic = int(a), int(b), int(c)
        if len(a) >= 3 or ia > 31:
            self.ymd += 1
            return
        if ib > 31 or ia == 0 or ib == 0:
            return
        if ia > 12 >= ib:
            self.dmy_hard += 1
        elif ib > 12 >= ia:
            self.mdy_hard += 1
        # Dates must (mostly) increase: count the steps backwards under each reading.
        if self.prev is not None:
            pa, pb, pc = self.prev
            if (ic, ib, ia) < (pc, pb, pa):
                self.dec_dmy += 1
            if (ic, ia, ib) < (pc, pa, pb):
                self.dec_mdy += 1
        self.prev = (ia, ib, ic)

    def decided(self) -> bool:
        return bool(self.ymd or self.dmy_hard or self.mdy_hard
                    or abs(self.dec_dmy - self.dec_mdy) >= 3)

    def result(self, default: str) -> str:
        if self.ymd:
            return "ymd"
        if self.dmy_hard or self.mdy_hard:
            return "dmy" if self.dmy_hard >= self.mdy_hard else "mdy"
        if self.dec_dmy != self.dec_mdy:
            return "dmy" if self.dec_dmy < self.dec_mdy else "mdy"
        return default


@dataclass(slots=True)
class _Scan:
    style: _Style | None
    date_order: str
    title: str | None
    #: An iOS system lines' speaker (the group's name) that holds ": " itself, as
    #: "Lates: Team 2: " — else its first part would be read as a sender.
    colon_speaker: str = ""


def _style_of(m: re.Match[str]) -> _Style:
    kind = "ios" if m["br"] else ("ios_old" if m["close"] == ": " else "android")
    return _Style(kind, m["s"], m["S"] is not None, m["ap"] is not None)


def _prescan(lines: Iterable[str]) -> _Scan:
    """Style, date order and title of a file, from as few of its lines as will do."""
    it = iter(lines)
    seen: list[tuple[_Style, str, str, str]] = []
    title: str | None = None
    colon_speaker = ""
    match = _GENERAL.match
    for line in it:
        m = match(line)
        if m is None:
            continue
        seen.append((_style_of(m), m["a"], m["b"], m["c"]))
        if not colon_speaker:
            colon_speaker = _colon_speaker(m["rest"])
        if title is None and ("group" in line or "Gruppe" in line):
            for ev in classify(_header_rest(m["rest"])) or ():
                if ev.kind == "created" and ev.value:
                    title = ev.value
        if len(seen) >= _PRESCAN_HEADERS:
            break
    if not seen:
        return _Scan(None, "dmy", None)
    counts: dict[_Style, int] = {}
    for s, *_ in seen:
        counts[s] = counts.get(s, 0) + 1
    style = max(counts, key=lambda s: counts[s])
    vote = _OrderVote()
    for s, a, b, c in seen:
        if s == style:
            vote.feed(a, b, c)
    if not vote.decided():
        for line in it:  # undecided: keep reading this file's headers until decided or EOF
            m = match(line)
            if m is not None and _style_of(m) == style:
                vote.feed(m["a"], m["b"], m["c"])
                if vote.decided():
                    break
    # No evidence either way: "8/12/16, 4:20 PM" (12 h clock, 2-digit year, no zero padding)
    # is the US month-first habit; anything else defaults to day-first.
    first = next((a, c) for s, a, _b, c in seen if s == style)
    us = style.ampm and len(first[1]) == 2 and not first[0].startswith("0")
    return _Scan(style, vote.result("mdy" if us else "dmy"), title, colon_speaker)


def _colon_speaker(rest: str) -> str:
    """``"Lates: Team 2: "`` for an iOS system line of a group whose name holds ": " (only
    when what follows is system text: a message may hold ": " and a mark too)."""
    i = _system_colon(rest)
    return rest[:i + 2] if i > 0 and ": " in rest[:i] and classify(rest[i + 2:]) else ""


def _system_colon(rest: str) -> int:
    """Where the ": " before an iOS system text (a direction mark) is, or -1."""
    i = rest.find(": \u200e")
    return i if i >= 0 else rest.find(": \u200f")


def _header_rest(rest: str) -> str:
    """The system text of a header's rest: after "Group name: " on iOS 2024+ (the name may
    hold ": " itself)."""
    i = _system_colon(rest)
    return rest[i + 2:] if i > 0 else rest


def detect_date_order(lines: Iterable[str]) -> str:
    """The day/month order of a WhatsApp export's lines: ``"dmy"``, ``"mdy"`` or ``"ymd"``.

    Decided from the data: a value above 12 in the first or second place, a 4-digit first
    field, or else the reading under which dates go backwards least often. Stops reading
    as soon as it is decided.
    """
    return _prescan(lines).date_order


def sniff(head: str) -> bool:
    """True when the first few KB of a text file look like a WhatsApp export (any variant).

    One of the first 50 lines must be a message or system-line header, in any style, with
    a possible time of day (JSON, CSV or notes that merely contain dates do not pass).
    """
    for line in head.splitlines()[:50]:
        m = _GENERAL.match(line)
        if m is not None and _valid_header_numbers(m):
            return True
    return False


def _valid_header_numbers(m: re.Match[str]) -> bool:
    return int(m["H"]) < 24 and int(m["M"]) < 60 and int(m["b"]) <= 31


def _iter_text_lines(path: Path) -> Iterator[str]:
    with open(path, "rb") as f:
        for raw in f:
            yield raw.decode("utf-8", "replace").rstrip("\r\n")


class _Clock:
    """Local export times to UTC, with caches so no line pays for ``zoneinfo``.

    ``days`` maps a date as written to the UTC instant of its local midnight (only for days
    on which the zone's offset does not change); ``times`` maps a time as written to a
    ``timedelta`` since midnight. A header's instant is then one addition.
    """

    def __init__(self, timezone: str, order: str) -> None:
        self.tz = ZoneInfo(timezone)
        self.order = order
        self.days: dict[str, datetime] = {}
        self.times: dict[str, timedelta] = {}

    def exact(self, dtext: str, ttext: str) -> datetime | None:
        """The UTC instant of a header's date and time; None when they are impossible."""
        td = self.times.get(ttext)
        if td is None:
            td = self._time(ttext)
            if td is None:
                return None
            self.times[ttext] = td
        base = self.days.get(dtext)
        if base is not None:
            return base + td
        ymd = self._date(dtext)
        if ymd is None:
            return None
        try:
            # The zone's offsets at the day's start and end (naive: no aware datetime is built).
            tz = self.tz
            off = tz.utcoffset(datetime(*ymd))
            if off is not None and off == tz.utcoffset(datetime(*ymd, 23, 59, 59)):
                base = self.days[dtext] = datetime(*ymd, tzinfo=UTC) - off
                return base + td
            # The offset changes today: exact conversion, fold=0 for an ambiguous local time.
            return (datetime(*ymd) + td).replace(tzinfo=self.tz).astimezone(UTC)
        except OverflowError:  # year 1 or 9999 pushed out of range by the zone: impossible
            return None

    def _date(self, text: str) -> tuple[int, int, int] | None:
        m = _DATE_PARTS.fullmatch(text)
        if m is None:
            return None
        a, b, c = m.groups()
        if self.order == "ymd":
            y, mo, d = a, b, c
        elif self.order == "mdy":
            mo, d, y = a, b, c
        else:
            d, mo, y = a, b, c
        year = int(y) + (2000 if len(y) <= 2 else 0)
        try:
            datetime(year, int(mo), int(d))
        except ValueError:
            return None
        return year, int(mo), int(d)

    @staticmethod
    def _time(text: str) -> timedelta | None:
        m = _TIME_PARTS.fullmatch(text)
        if m is None:
            return None
        h, mi, s, ap = int(m[1]), int(m[2]), int(m[3] or 0), m[4]
        if ap is not None:
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if ap in "Pp" else 0)
        if h > 23 or mi > 59 or s > 59:
            return None
        return timedelta(hours=h, minutes=mi, seconds=s)


def parse(path: Path, *, timezone: str = "Europe/London", date_order: str | None = None,
          owner_names: Iterable[str] = ()) -> Iterator[ChatRecord]:
    """Stream the records of one WhatsApp ``.txt`` export.

    Parameters
    ----------
    path
        The export. Read as a stream of lines, twice (pre-scan, then parse).
    timezone
        The zone the exporting phone showed times in; times are converted to UTC.
    date_order
        ``"dmy"``, ``"mdy"`` or ``"ymd"`` to override the order decided from the data.
    owner_names
        Names under which the device owner appears as a *sender* in this export; those
        messages get :data:`DEVICE_OWNER` as sender. "You"/"Du"/… in system lines always do.

    Yields
    ------
    ChatRecord
        One :class:`ChatHeader` first, then :class:`ChatMessage`, :class:`MembershipEvent`,
        :class:`GroupEvent` and :class:`Rejected` records in file order. Line numbers are
        1-based physical lines. Never raises on the file's content.
    """
    # One generator, not a wrapper around one: a ``yield from`` costs on every record.
    return _parse(Path(path), timezone, date_order, frozenset(owner_names))


#: A record that may yet get further lines.
_Pending = ChatMessage | MembershipEvent | GroupEvent
_BLOCK = 1 << 18  # bytes decoded and split at a time (small enough to stay in the CPU cache)


def _units(path: Path, style: _Style) -> Iterator[list[str]]:
    """The file a block at a time, as units ``[day, time, rest, more, day, time, rest, more, …]``.

    A block ends at a line end and is split at every header (:meth:`_Style.splitter` on the
    block with a newline put in front): ``day`` and ``time`` are the header up to its rest,
    ``rest`` the rest of the header line, ``more`` "" or the following non-header lines, each
    after a "\\n". The first unit is ``("", "", "", lead)``: the block's lines before its
    first header. A block that is not valid UTF-8 or holds a NUL byte is done line by line,
    each line its own unit: a header, a non-header ``("", "", "", "\\n" + line)``, or a bad
    line ``("", reason, "", line)`` with bytes shown as ``\\xNN``.
    """
    split, match = style.splitter().split, style.line().match
    carry = b""  # the start of a line the last block cut
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_BLOCK)
            if chunk:
                buf = b"\n" + carry + chunk  # the newline the splitter wants before a header
                cut = buf.rfind(b"\n", 1)
                if cut < 0:  # one line longer than a block: read on
                    carry = buf[1:]
                    continue
                carry = buf[cut + 1:]
                body = memoryview(buf)[:cut]  # no copy; the block's last line end left out
            elif carry:
                body, carry = memoryview(b"\n" + carry), b""  # a last line without an end
            else:
                return
            try:
                text = str(body, "utf-8")
            except UnicodeDecodeError:
                text = ""
            if text and "\x00" not in text:
                if "\r" in text:
                    text = text.replace("\r\n", "\n")  # exact: every \r\n is a line end
                    if chunk and text.endswith("\r"):  # the \r of the line end left out
                        text = text[:-1]
                units: list[str] = split(text)
                units[0:0] = ("", "", "")  # the lead is a unit too
                yield units
            else:
                units = []
                for line in bytes(body[1:]).split(b"\n"):
                    units += _bad_unit(line, match)
                yield units


def _bad_unit(raw: bytes, match: Callable[[str], re.Match[str] | None]
              ) -> tuple[str, str, str, str]:
    """One line of a block that could not be decoded whole, as a unit (see :func:`_units`)."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "", "invalid UTF-8", "", raw.decode("utf-8", "backslashreplace")
    if "\x00" in line:
        return "", "binary data (NUL byte)", "", line
    m = match(line)
    assert m is not None  # the pattern matches any line without a newline
    day, time, rest = m.groups()
    return (day, time, rest, "") if day is not None else ("", "", "", "\n" + line)


def _parse(path: Path, timezone: str, date_order: str | None,
           owners: frozenset[str]) -> Iterator[ChatRecord]:
    """:func:`parse`, in one function with local names bound: its loop runs once per message."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}, not {date_order!r}")
    scan = _prescan(_iter_text_lines(path))
    order = date_order or scan.date_order
    yield ChatHeader(platform="whatsapp", title=scan.title, date_order=order)
    style = scan.style or _DEFAULT_STYLE
    clock = _Clock(timezone, order)
    precise = style.seconds
    stamp_match = style.stamp().match
    # A header's day part (marks, date) → UTC instant of its local midnight, and its time part
    # → time since midnight: two cache hits and an addition per header (see _Clock).
    days: dict[str, datetime] = {}
    times: dict[str, timedelta] = {}
    handles: dict[str, str] = {}
    known: set[str] = set()  # participants' names seen so far, for @mentions without isolates
    kind_tails, tail_ends, odd_starts, fixed_kinds = (_KIND_TAILS, _TAIL_ENDS, _ODD_STARTS,
                                                      FIXED_KINDS)
    speaker = scan.colon_speaker
    pend: _Pending | None = None
    # True when finishing pend takes more than a yield: there is none yet, it has further
    # lines, rejected lines wait behind it, or its text may hold mentions or the edited mark.
    odd = True
    cont: list[str] | None = None  # pend's further lines
    deferred: list[Rejected] = []  # rejected lines inside a pending record, yielded after it
    lineno = 0
    # The last header's parts and instant: the next often has the same minute.
    last_day = last_time = "\n"  # in no header's parts
    last_sent = datetime.min
    for units in _units(path, style):
        it = iter(units)
        for day_part, time_part, rest, more in zip(it, it, it, it, strict=True):
            if time_part == last_time and day_part == last_day:  # the same minute again
                sent = last_sent
            else:
                try:  # two cache hits for all but a file's first headers
                    sent = last_sent = days[day_part] + times[time_part]
                    last_time, last_day = time_part, day_part
                except KeyError:  # also every unit that is no header (its day_part is "")
                    got = _stamp(day_part, time_part, stamp_match, clock, days, times) \
                        if day_part else None
                    if got is None:
                        if day_part:  # an impossible date or time: not a header after all
                            lines = (day_part + time_part + rest + more).split("\n")
                        elif time_part:  # a line that is not UTF-8 text; time_part says why
                            lineno += 1
                            deferred.append(Rejected(lineno, more, time_part))
                            if pend is None:
                                yield from deferred
                                deferred.clear()
                            odd = True
                            continue
                        elif more:
                            lines = more[1:].split("\n")
                        else:
                            continue  # no lead
                        reason = ("header with an impossible date or time" if day_part
                                  else "not a message header and no message before it")
                        for other in lines:
                            lineno += 1
                            if pend is not None:
                                if cont is None:
                                    cont = [other]
                                else:
                                    cont.append(other)
                                odd = True
                            elif other.strip():
                                yield Rejected(lineno, other, reason)
                            reason = "not a message header and no message before it"
                        continue
                    sent = last_sent = got
                    last_time, last_day = time_part, day_part

            # A new header: finish the pending record first.
            if odd:
                if pend is not None:
                    if cont is not None:
                        pend.text = pend.text + "\n" + "\n".join(cont)
                        cont = None
                    if pend.__class__ is ChatMessage:
                        _finish(pend, known)  # type: ignore[arg-type]
                    yield pend
                if deferred:
                    yield from deferred
                    deferred.clear()
            else:
                yield pend  # type: ignore[misc]

            lineno += 1
            if speaker and rest.startswith(speaker):
                name, colon, text = speaker[:-2], ": ", rest[len(speaker):]
            else:
                name, colon, text = rest.partition(": ")
            if colon and name:
                try:
                    sender = handles[name]
                except KeyError:
                    sender = handles[name] = _sender(name, owners)
                    if sender:
                        known.add(_handle(name, _NO_OWNERS))
            else:
                sender = ""
            # The common case: a message whose text neither starts nor ends like a placeholder
            # or a system line (only those are worth a regex) nor ends with ">" (edited?).
            last = text[-1:]
            if sender and text[:1] not in odd_starts and (
                    last not in tail_ends or last != ">" and text[-4:] not in kind_tails):
                pend = ChatMessage(lineno, sent, sender, text, "text", precise)
                odd = "@" in text
            elif sender and text in fixed_kinds:  # "<Media omitted>", "This message was deleted"
                pend = ChatMessage(lineno, sent, sender, text, fixed_kinds[text], precise)
                odd = False  # no mention, not edited: the text is fixed
            else:
                records = _header_records(lineno, sent, rest, name, colon, text, sender, precise,
                                          owners, known)
                pend = records.pop()
                yield from records
                odd = True
            if more:  # the record's further lines came with it
                cont = [more[1:]]
                lineno += more.count("\n")
                odd = True
    if pend is not None:
        if cont is not None:
            pend.text = pend.text + "\n" + "\n".join(cont)
        if pend.__class__ is ChatMessage:
            _finish(pend, known)  # type: ignore[arg-type]
        yield pend
    yield from deferred


def _header_records(lineno: int, sent: datetime, rest: str, name: str, colon: str, text: str,
                    sender: str, precise: bool, owners: frozenset[str], known: set[str]
                    ) -> list[_Pending]:
    """The records of a header that is not a plain message: the general path.

    ``name``, ``colon`` and ``text`` are ``rest`` partitioned at its first ": "; ``sender`` is
    the handle for ``name`` ("" when that is no sender's name).
    """
    if sender:
        t0 = text[:1]
        if t0 == "\u200e" or t0 == "\u200f":
            # iOS: "Group: ‎Alice added Bob", "Bob: ‎Your security code with Bob changed"
            events = _events(lineno, sent, rest, text, owners, known)
            if events is not None:
                return events
        kind = (message_kind(text) if t0 == "<" or t0 == "\u200e" or text[-4:] in _KIND_TAILS
                else "text")
        return [ChatMessage(lineno, sent, sender, text, kind, precise)]
    if not colon and rest.endswith(":") and (sender := _sender(rest[:-1], owners)):
        # "Name:" with an empty message (the trailing space was trimmed).
        return [ChatMessage(lineno, sent, sender, "", "text", precise)]
    found = _events(lineno, sent, rest, _header_rest(rest), owners, known)
    if found is not None:
        return found
    if name and colon and rest[:1] not in "\u200e\u200f":
        # Quotes in the name part but no known system text: a message after all.
        return [ChatMessage(lineno, sent, _handle(name, owners), text, message_kind(text),
                            precise)]
    return [GroupEvent(lineno, sent, "other", rest)]


def _stamp(day: str, time: str, match: Callable[[str], re.Match[str] | None], clock: _Clock,
           days: dict[str, datetime], times: dict[str, timedelta]) -> datetime | None:
    """A header's UTC instant by the exact path; remembers its day and time parts when the
    clock cached their values (not on a day on which the zone's offset changes)."""
    m = match(day + time)
    assert m is not None  # the splitter matched these parts
    dtext, ttext = m[1], m[2]
    sent = clock.exact(dtext, ttext)
    if sent is not None:
        base = clock.days.get(dtext)
        if base is not None:
            days[day] = base
        td = clock.times.get(ttext)
        if td is not None:
            times[time] = td
    return sent


def _finish(msg: ChatMessage, known: set[str]) -> None:
    """What needs the whole text: mentions and the edited marker."""
    text = msg.text
    if "@" in text:
        msg.mentions = mentions(text, known)
    if text[-1:] == ">" and is_edited(text):
        msg.edited = True


def _sender(name: str, owners: frozenset[str]) -> str:
    """The handle for a header's name part, or "" when the part may be system text instead:
    it starts with a mark (iOS system line) or has a quote (a subject like "A: b")."""
    if name[:1] in "\u200e\u200f" or any(q in name for q in _QUOTES):
        return ""
    return _handle(name, owners)


def _handle(raw: str, owners: frozenset[str]) -> str:
    """A sender as shown, without invisible marks; the owner's own name → DEVICE_OWNER."""
    name = (raw if raw.isascii() else raw.translate(_HANDLE_MARKS)).strip()
    return DEVICE_OWNER if name in owners else name


_NO_OWNERS: frozenset[str] = frozenset()
_HANDLE_MARKS = {cp: None for cp in (0xFEFF, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D,
                                     0x202E, 0x2066, 0x2067, 0x2068, 0x2069)} | {
    0x202F: " ", 0x00A0: " "}


def _person(raw: str | None, owners: frozenset[str]) -> str | None:
    """A name in a system line: "You"/"Du"/… is the device owner."""
    if raw is None:
        return None
    name = raw.translate(_HANDLE_MARKS).strip()
    if name in OWNER_WORDS or name in owners:
        return DEVICE_OWNER
    return name


def _events(lineno: int, at: datetime, rest: str, text: str, owners: frozenset[str],
            known: set[str]) -> list[_Pending] | None:
    """System records for one line, or None when ``text`` is no known system line."""
    found = classify(text)
    if found is None:
        return None
    out: list[_Pending] = []
    for ev in found:
        actor = _person(ev.actor, owners)
        if ev.kind in MEMBERSHIP_KINDS:
            handle = _person(ev.handle, owners) or actor
            if handle is None:
                continue
            known.update(p for p in (handle, actor) if p is not None and p != DEVICE_OWNER)
            out.append(MembershipEvent(lineno, at, ev.kind, handle, actor, rest))  # type: ignore
        else:
            out.append(GroupEvent(lineno, at, ev.kind, rest, actor, ev.value))
    return out or None
