"""Counting the palmarès the way the organisers' communiqué does.

The communiqué of 2017 says: 38 awards (22 gold, 6 silver, 10 bronze) to 31
collectivités (1 région, 3 départements, 5 EPCI, 22 communes). Two rules make
those figures come out:

* a collectivité is counted once however many awards it has, and a joint
  dossier counts each of its bodies ("Angers" and "Angers Loire Métropole");
* an arrondissement is counted within its commune: "Paris 9e arrondissement"
  is Paris, already a laureate. Its commune is read from its name
  ("<commune> <n>e arrondissement"); an arrondissement whose name does not
  say it stays an arrondissement. Hence ``by_kind`` always lists commune, epci,
  departement and region (zeros included) and lists arrondissement only when
  such a one remains.

The same identity (kind, name, département) serves ``repeat_laureates``, so
Paris there includes the awards of the mairie du 9e.

``by_region`` and ``by_department`` count awards per place (an award once per
place, whatever its number of bodies there). The places that won nothing are
listed with 0 after the others when the caller names them (``all_regions``,
``all_departments``); :func:`palmares_stats`, what the ``stats`` command
shows, names the official ones within the filters.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from territoria_cli.filters import Filters, filter_awards
from territoria_cli.model import KINDS, LEVELS, Award, Kind, Laureate, Level
from territoria_cli.text import fold

_ARRONDISSEMENT = re.compile(r"(?P<commune>.+?)\s+\d+\s*(?:e|er|ème|eme)\s+arrondissement", re.IGNORECASE)


class Stats(NamedTuple):
    """The figures of a set of awards; dict orders are the orders to show them in."""

    awards: int
    by_level: dict[Level, int]
    by_category: dict[str, dict[Level, int]]
    bodies: int
    by_kind: dict[Kind, int]
    by_region: dict[str, int]
    by_department: dict[str, int]
    repeat_laureates: list[tuple[str, int]]

    def to_document(self) -> dict[str, Any]:
        """Plain JSON with stable English keys, for ``territoria stats --json``."""
        return {
            "awards": self.awards,
            "by_level": dict(self.by_level),
            "by_category": {category: dict(levels) for category, levels in self.by_category.items()},
            "bodies": self.bodies,
            "by_kind": dict(self.by_kind),
            "by_region": dict(self.by_region),
            "by_department": dict(self.by_department),
            "repeat_laureates": [{"name": name, "awards": count} for name, count in self.repeat_laureates],
        }


class _Body(NamedTuple):
    """A collectivité as the communiqué counts it."""

    kind: Kind
    name: str
    department: str | None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.kind, fold(self.name), self.department


def counted_body(body: Laureate) -> _Body:
    """The collectivité a body counts as: an arrondissement counts as its commune."""
    if body.kind == "arrondissement":
        match = _ARRONDISSEMENT.fullmatch(body.name.strip())
        if match:
            return _Body("commune", match.group("commune"), body.department)
    return _Body(body.kind, body.name, body.department)


def palmares_stats(awards: Sequence[Award], filters: Filters, *, hide_empty: bool = False) -> Stats:
    """The figures of the awards ``filters`` keep, with the régions and départements that won nothing.

    Those are the official ones (:mod:`territoria_cli.geography`) within the
    région and département filters: all 18 régions and 101 départements
    without such a filter, the départements of Occitanie with ``--region
    occitanie``. ``hide_empty`` leaves them out.
    """
    kept = filter_awards(awards, filters)
    if hide_empty:
        return compute_stats(kept)
    from territoria_cli import geography

    regions, departments = geography.places_within(filters.value("regions"), filters.value("departments"))
    return compute_stats(kept, all_regions=regions, all_departments=departments)


def compute_stats(
    awards: Sequence[Award], *, all_regions: Iterable[str] = (), all_departments: Iterable[str] = ()
) -> Stats:
    """Count ``awards`` (already filtered by the caller, if at all).

    ``all_regions`` (names) and ``all_departments`` (codes) are the places to
    list even when they won nothing: with 0, after the others, in the order given.
    """
    level_counts = Counter(award.level for award in awards)
    by_category: dict[str, dict[Level, int]] = {}
    for award in awards:
        levels = by_category.setdefault(award.category, dict.fromkeys(LEVELS, 0))
        levels[award.level] += 1

    bodies: dict[tuple[str, str, str | None], _Body] = {}
    awards_per_body: Counter[tuple[str, str, str | None]] = Counter()
    awards_per_region: Counter[str] = Counter()
    awards_per_department: Counter[str] = Counter()
    for award in awards:
        counted = {counted_body(body) for body in award.laureates}
        for body in counted:
            bodies.setdefault(body.key, body)
        awards_per_body.update({body.key for body in counted})
        awards_per_region.update({body.region for body in award.laureates})
        awards_per_department.update({body.department for body in award.laureates if body.department is not None})

    kind_counts = Counter(body.kind for body in bodies.values())
    by_kind: dict[Kind, int] = {
        kind: kind_counts[kind] for kind in KINDS if kind != "arrondissement" or kind_counts[kind]
    }
    repeat = [(bodies[key].name, count) for key, count in awards_per_body.items() if count > 1]
    return Stats(
        awards=len(awards),
        by_level={level: level_counts[level] for level in LEVELS},
        by_category=by_category,
        bodies=len(bodies),
        by_kind=by_kind,
        by_region=_with_empty(awards_per_region, all_regions, fold),
        by_department=_with_empty(awards_per_department, all_departments, str),
        repeat_laureates=sorted(repeat, key=lambda item: (-item[1], fold(item[0]))),
    )


def _with_empty(counts: Counter[str], every_place: Iterable[str], sort_key: Callable[[str], str]) -> dict[str, int]:
    """Places by number of awards, then by name; then the places of ``every_place`` that have none, with 0."""
    ranked = dict(sorted(counts.items(), key=lambda item: (-item[1], sort_key(item[0]))))
    return ranked | {place: 0 for place in every_place if place not in ranked}
