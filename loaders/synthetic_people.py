"""Synthetic officers, the units they serve in, and the names their colleagues' phones show.

Part of the synthetic case generator (:mod:`conductgraph.loaders.synthetic_case`).
Everything here is a pure function of a seed: the same seed gives the same people,
units, postings, contact names and phone styles.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta

FIRST_NAMES = (
    "Adam", "Aisha", "Alex", "Amir", "Amy", "Ben", "Callum", "Chloe", "Dan", "Dev", "Ella",
    "Emma", "Femi", "Gareth", "Grace", "Harry", "Hannah", "Imran", "Jack", "Jade", "James",
    "Jess", "Joe", "Kate", "Kev", "Laura", "Liam", "Lucy", "Marcus", "Mo", "Nadia", "Nathan",
    "Olivia", "Owen", "Priya", "Rachel", "Raj", "Rob", "Ryan", "Sam", "Sarah", "Scott",
    "Sophie", "Steve", "Tom", "Tariq", "Vicky", "Will", "Zoe", "Connor",
)
SURNAMES = (
    "Abbott", "Ahmed", "Bailey", "Baker", "Bennett", "Brooks", "Campbell", "Carter", "Chapman",
    "Clarke", "Collins", "Cooper", "Davies", "Dixon", "Edwards", "Ellis", "Evans", "Fairbairn",
    "Fisher", "Fletcher", "Graham", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson",
    "James", "Johnson", "Kaur", "Kelly", "Khan", "King", "Lewis", "Marsh", "Mason", "Mills",
    "Moore", "Morgan", "Murphy", "Nolan", "Okafor", "Owen", "Palmer", "Patel", "Pearce", "Price",
    "Reid", "Roberts", "Shaw", "Singh", "Stone", "Taylor", "Turner", "Walker", "Ward", "Webb",
    "Whitfield", "Wood", "Wright", "Young",
)
NICKNAMES = ("Big", "Little", "Sarge", "Guv", "Skip", "Mad", "Posh", "Tiny")

#: Ranks from the most common down the hierarchy, with the share of officers holding each.
RANKS: tuple[tuple[str, float], ...] = (
    ("PC", 0.62), ("DC", 0.12), ("PS", 0.11), ("DS", 0.05), ("Insp", 0.05), ("DI", 0.02),
    ("Ch Insp", 0.015), ("Supt", 0.01), ("Ch Supt", 0.005),
)
STATUSES: tuple[tuple[str, float], ...] = (
    ("serving", 0.9), ("resigned", 0.04), ("retired", 0.03), ("dismissed", 0.03),
)

#: WhatsApp export styles (keys of ``whatsapp_render.STYLES``) a phone may use, with their
#: share and the zone the phone shows times in.
PHONE_STYLES: tuple[tuple[str, float, str], ...] = (
    ("android24_dmy", 0.34, "Europe/London"), ("ios_seconds_dmy", 0.26, "Europe/London"),
    ("android12_dmy", 0.1, "Europe/London"), ("android12_mdy", 0.08, "Europe/London"),
    ("ios12_mdy", 0.07, "Europe/London"), ("german", 0.06, "Europe/Berlin"),
    ("german_ios", 0.04, "Europe/Berlin"), ("ymd", 0.03, "Europe/London"),
    ("ios_old", 0.02, "Europe/London"),
)

CASE_START = date(2016, 1, 4)
CASE_DAYS = 3 * 365


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    kind: str
    part_of: str  # a unit id or the organisation id


@dataclass(frozen=True, slots=True)
class Posting:
    unit: str
    start: date
    end: date | None
    role: str | None = None


@dataclass(slots=True)
class Person:
    """One synthetic person. ``handles`` are every name their colleagues' phones show."""

    key: str  # case-file id, e.g. "officer-0042"
    name: str
    short: str  # "Dan W"
    nickname: str
    phone: str  # "+44 7700 900042"
    rank: str | None
    status: str
    postings: list[Posting] = field(default_factory=list)
    #: True when no phone saved them and the case file does not map their number.
    unmapped: bool = False
    style: str = "android24_dmy"
    timezone: str = "Europe/London"

    @property
    def mention(self) -> str:
        """How a WhatsApp mention of them reads on every phone: their number without spaces."""
        return self.phone.replace(" ", "").lstrip("+")

    @property
    def whatsapp_handles(self) -> list[str]:
        return [self.name, self.short, self.nickname, self.phone, self.mention]


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def make_units(rng: random.Random, people: int, org: str) -> list[Unit]:
    """A hierarchy: basic command units → stations → teams, about one team per 12 people."""
    teams_wanted = max(1, people // 12)
    bcus = max(1, round(teams_wanted ** 0.5 / 2))
    areas = ("Central West", "Central North", "North East", "South", "East", "West",
             "North West", "South East", "Central East", "South West")
    streets = ("Charing Cross", "Belgravia", "Paddington Green", "Holborn", "Brixton",
               "Lewisham", "Stoke Newington", "Wembley", "Ilford", "Croydon", "Hammersmith",
               "Kentish Town", "Walworth", "Forest Gate", "Sutton", "Bow", "Acton", "Peckham")
    team_kinds = ("response team", "neighbourhood team", "CID", "custody team", "TSG unit",
                  "safeguarding team")
    units: list[Unit] = []
    stations: list[Unit] = []
    for b in range(bcus):
        bcu = Unit(f"bcu-{b + 1:02d}", f"{areas[b % len(areas)]} BCU"
                   + (f" {b // len(areas) + 1}" if b >= len(areas) else ""), "bcu", org)
        units.append(bcu)
        for _ in range(max(1, round(teams_wanted / bcus / 3))):
            n = len(stations)
            name = streets[n % len(streets)] + (f" {n // len(streets) + 1}" if n >= len(streets)
                                                 else "")
            st = Unit(f"station-{n + 1:03d}", f"{name} police station", "station", bcu.id)
            stations.append(st)
            units.append(st)
    for t in range(teams_wanted):
        st = stations[t % len(stations)]
        kind = team_kinds[rng.randrange(len(team_kinds))]
        units.append(Unit(f"team-{t + 1:03d}", f"{st.name.removesuffix(' police station')} "
                          f"{kind} {chr(65 + t // len(stations) % 26)}", "team", st.id))
    return units


def _postings(rng: random.Random, teams: list[Unit], stations: list[Unit]) -> list[Posting]:
    """One to three consecutive postings; the last one may still be open."""
    start = CASE_START - timedelta(days=rng.randrange(0, 4 * 365))
    out: list[Posting] = []
    for n in range(rng.choices((1, 2, 3), (0.45, 0.4, 0.15))[0]):
        if teams and rng.random() < 0.85:
            unit = teams[rng.randrange(len(teams))]
        else:
            unit = stations[rng.randrange(len(stations))]
        length = timedelta(days=rng.randrange(200, 1500))
        end: date | None = start + length
        if n == 2 or (end is not None and end > CASE_START + timedelta(days=CASE_DAYS)):
            end = None
        role = "supervisor" if rng.random() < 0.08 else None
        out.append(Posting(unit.id, start, end, role))
        if end is None:
            break
        start = end + timedelta(days=1)
    return out


def make_people(rng: random.Random, count: int, units: list[Unit]) -> list[Person]:
    """``count`` officers with unique names, handles, ranks, postings and phone styles."""
    teams = [u for u in units if u.kind == "team"]
    stations = [u for u in units if u.kind == "station"]
    # Every handle names one person only, or the case file could not map it.
    taken: set[str] = set()
    people: list[Person] = []
    for i in range(count):
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            name = f"{first} {last}" if f"{first} {last}" not in taken else (
                f"{first} {chr(65 + rng.randrange(26))}. {last}")
            if name not in taken:
                break
        taken.add(name)
        short = f"{first} {last[0]}"
        short = short if short not in taken else f"{first} {last[:3]}{i}"
        taken.add(short)
        nickname = f"{rng.choice(NICKNAMES)} {first}" if rng.random() < 0.5 else f"{last} {i}"
        nickname = nickname if nickname not in taken else f"{last} {i}"
        taken.add(nickname)
        style, weight_tz = _style(rng)
        person = Person(
            key=f"officer-{i + 1:04d}", name=name, short=short, nickname=nickname,
            phone=f"+44 7700 9{i:05d}", rank=_pick(rng, RANKS), status=_pick(rng, STATUSES),
            postings=_postings(rng, teams, stations), unmapped=rng.random() < 0.03,
            style=style, timezone=weight_tz,
        )
        people.append(person)
    return people


def _style(rng: random.Random) -> tuple[str, str]:
    i = rng.choices(range(len(PHONE_STYLES)), [s[1] for s in PHONE_STYLES])[0]
    return PHONE_STYLES[i][0], PHONE_STYLES[i][2]


def contact_name(owner: Person, other: Person) -> str:
    """The name ``owner``'s phone shows for ``other``: stable per pair, varied across phones.

    An unmapped person is saved by nobody, so every phone shows their number (and the
    exports still merge on it).
    """
    if other.unmapped:
        return other.phone
    r = zlib.crc32(f"{owner.key}|{other.key}".encode()) % 100
    if r < 55:
        return other.name
    if r < 80:
        return other.short
    if r < 92:
        return other.nickname
    return other.phone


def unit_members(people: list[Person], units: list[Unit]) -> dict[str, list[int]]:
    """Indexes of the people ever posted to each unit or to a unit below it."""
    parent = {u.id: u.part_of for u in units}
    out: dict[str, list[int]] = {u.id: [] for u in units}
    for i, p in enumerate(people):
        seen: set[str] = set()
        for post in p.postings:
            unit: str | None = post.unit
            while unit in parent and unit not in seen:
                seen.add(unit)
                out[unit].append(i)
                unit = parent[unit]
    return out
