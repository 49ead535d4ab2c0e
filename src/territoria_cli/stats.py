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

Awards, unlike collectivités, are counted by :func:`count_by` under each
distinct value of a field: a joint dossier of a commune and an EPCI counts
once under "Commune" and once under "EPCI" (so awards by kind add up to more
than the awards), and once only under "Pays de la Loire" when both bodies
are there. ``count_by`` serves ``stats --by FIELD`` for any of
:data:`BY_FIELDS`, and cross-tables of several fields.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from territoria_cli.errors import UsageError
from territoria_cli.filters import Filters, filter_awards
from territoria_cli.i18n import _
from territoria_cli.model import (
    BY_FIELDS,
    FIELD_LABELS,
    KIND_LABELS,
    KINDS,
    LEVEL_LABELS,
    LEVELS,
    AwardFacts,
    Kind,
    Lang,
    Laureate,
    Level,
)
from territoria_cli.text import fold, quoted

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
    #: Awards per kind of body; a joint dossier counts under each of its kinds.
    awards_by_kind: dict[Kind, int]

    def to_document(self) -> dict[str, Any]:
        """Plain JSON with stable English keys, for ``territoria stats --json``."""
        return {
            "awards": self.awards,
            "by_level": dict(self.by_level),
            "by_category": {category: dict(levels) for category, levels in self.by_category.items()},
            "bodies": self.bodies,
            "by_kind": dict(self.by_kind),
            "awards_by_kind": dict(self.awards_by_kind),
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


def palmares_stats(awards: Sequence[AwardFacts], filters: Filters, *, hide_empty: bool = False) -> Stats:
    """The figures of the awards ``filters`` keep, with the régions and départements that won nothing.

    Those are the official ones (:mod:`territoria_cli.geography`) within the
    région and département filters: all 18 régions and 101 départements
    without such a filter, the départements of Occitanie with ``--region
    occitanie``. ``hide_empty`` leaves them out.
    """
    kept = filter_awards(awards, filters)
    if hide_empty:
        return compute_stats(kept)
    places = official_places(filters)
    return compute_stats(kept, all_regions=places["region"], all_departments=places["department"])


def palmares_counts(awards: Sequence[AwardFacts], filters: Filters, fields: Sequence[str], *, hide_empty: bool = False) -> Counts:
    """``stats --by``: :func:`count_by` of the awards ``filters`` keep, with the places that won nothing as for
    :func:`palmares_stats`."""
    return count_by(filter_awards(awards, filters), fields, {} if hide_empty else official_places(filters))


def official_places(filters: Filters) -> dict[str, tuple[str, ...]]:
    """The official régions (names) and départements (codes) within the région and département filters."""
    from territoria_cli import geography

    regions, departments = geography.places_within(filters.value("regions"), filters.value("departments"))
    return {"region": tuple(regions), "department": tuple(departments)}


def compute_stats(
    awards: Sequence[AwardFacts], *, all_regions: Iterable[str] = (), all_departments: Iterable[str] = ()
) -> Stats:
    """Count ``awards`` (already filtered by the caller, if at all).

    ``all_regions`` (names) and ``all_departments`` (codes) are the places to
    list even when they won nothing: with 0, after the others, in the order given.

    The facts of a set of bodies (which collectivités it counts as, which
    places) are worked out once per distinct set, then counted: a big store
    repeats its laureates, and working them out again for each award made
    100,000 awards cost 1.3 s instead of 0.2 s (measured).
    """
    by_category: dict[str, dict[Level, int]] = {}
    level_counts: Counter[Level] = Counter()
    for (category, level), count in Counter((award.category, award.level) for award in awards).items():
        by_category.setdefault(category, dict.fromkeys(LEVELS, 0))[level] += count
        level_counts[level] += count

    bodies: dict[tuple[str, str, str | None], _Body] = {}
    facts: dict[tuple[Laureate, ...], tuple[set[tuple[str, str, str | None]], set[str], set[str]]] = {}
    for award in awards:
        if award.laureates not in facts:
            counted = {counted_body(body) for body in award.laureates}
            for body in counted:
                bodies.setdefault(body.key, body)
            facts[award.laureates] = (
                {body.key for body in counted},
                {body.region for body in award.laureates},
                {body.department for body in award.laureates if body.department is not None},
            )
    awards_per_body: Counter[tuple[str, str, str | None]] = Counter()
    awards_per_region: Counter[str] = Counter()
    awards_per_department: Counter[str] = Counter()
    for laureates, count in Counter(award.laureates for award in awards).items():
        keys, regions, departments = facts[laureates]
        for key in keys:
            awards_per_body[key] += count
        for region in regions:
            awards_per_region[region] += count
        for department in departments:
            awards_per_department[department] += count

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
        awards_by_kind=_awards_by_kind(awards),
    )


def _with_empty(counts: Counter[str], every_place: Iterable[str], sort_key: Callable[[str], str]) -> dict[str, int]:
    """Places by number of awards, then by name; then the places of ``every_place`` that have none, with 0."""
    ranked = dict(sorted(counts.items(), key=lambda item: (-item[1], sort_key(item[0]))))
    return ranked | {place: 0 for place in every_place if place not in ranked}


def _awards_by_kind(awards: Sequence[AwardFacts]) -> dict[Kind, int]:
    by_kind = count_by(awards, ("kind",))
    return {kind: by_kind.counts.get((kind,), 0) for kind in by_kind.keys[0]}  # type: ignore[misc]


# --------------------------------------------------------------------------- counts by any field

#: The keys an award counts under, per field (a set: a joint dossier may give several).
_KEYS_OF: dict[str, Callable[[AwardFacts], Iterable[str]]] = {
    "level": lambda award: (award.level,),
    "category": lambda award: (award.category,),
    "kind": lambda award: {counted_body(body).kind for body in award.laureates},
    "region": lambda award: {body.region for body in award.laureates},
    "department": lambda award: {body.department or "" for body in award.laureates},
    "sponsor": lambda award: (award.sponsor or "",),
    "year": lambda award: (str(award.year),),
    "laureate": lambda award: {counted_body(body).name for body in award.laureates},
}
_LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
_KIND_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(KINDS)}
#: Fields with a natural order; the others list the most awarded first, then by name.
_NATURAL_ORDER: dict[str, Callable[[str], Any]] = {
    "level": _LEVEL_RANK.__getitem__,
    "kind": _KIND_RANK.__getitem__,
    "year": int,
}
#: Keys shown with 0 when no award has them; :func:`official_places` gives those of régions and départements.
BUILT_IN_KEYS: dict[str, tuple[str, ...]] = {
    "level": LEVELS,
    "kind": tuple(kind for kind in KINDS if kind != "arrondissement"),  # counted as their commune
}


class Counts(NamedTuple):
    """Awards counted by one or more fields (a cross-table when several)."""

    fields: tuple[str, ...]
    #: Per field, its keys in the order to show them, zero ones included.
    keys: tuple[tuple[str, ...], ...]
    #: Awards per combination of keys (one key per field); absent = 0.
    counts: dict[tuple[str, ...], int]
    #: Awards per key of the first field: the "Total" of a cross-table's row.
    totals: dict[str, int]


def parse_by(fields: Iterable[str]) -> tuple[str, ...]:
    """The fields of ``--by``, any case, each once; raises UsageError naming the valid ones."""
    parsed = tuple(dict.fromkeys(field.strip().lower() for field in fields))
    unknown = [field for field in parsed if field not in BY_FIELDS]
    if unknown:
        raise UsageError(_("cannot count by {value}; choose among: {fields}").format(value=quoted(unknown[0]), fields=", ".join(BY_FIELDS)))
    return parsed


def count_by(
    awards: Sequence[AwardFacts], fields: Sequence[str], known_keys: Mapping[str, Iterable[str]] | None = None
) -> Counts:
    """Count ``awards`` by ``fields``; ``known_keys`` adds keys to show even at 0 (e.g. every région).

    An award counts once under each distinct key of each field, so a
    cross-table cell counts the awards having both keys.
    """
    extra = {**BUILT_IN_KEYS, **(known_keys or {})}
    readers = [_KEYS_OF[field] for field in fields]
    # Awards share a few combinations of keys: count those first, then spread each one's number
    # (100,000 awards by kind: 0.31 s -> 0.15 s; by région and level: 0.37 s -> 0.14 s).
    combined = Counter(tuple(tuple(dict.fromkeys(read(award))) for read in readers) for award in awards)
    counts: Counter[tuple[str, ...]] = Counter()
    totals: Counter[str] = Counter()
    per_field: list[Counter[str]] = [Counter() for _ in fields]
    for keys, number in combined.items():
        for counter, field_keys in zip(per_field, keys, strict=True):
            for key in field_keys:
                counter[key] += number
        for key in keys[0]:
            totals[key] += number
        for combination in _combinations(keys):
            counts[combination] += number
    ordered = tuple(_ordered(field, counter, extra.get(field, ())) for field, counter in zip(fields, per_field, strict=True))
    return Counts(tuple(fields), ordered, dict(counts), {key: totals[key] for key in ordered[0]})


def _combinations(keys: Sequence[tuple[str, ...]]) -> Iterable[tuple[str, ...]]:
    combinations: list[tuple[str, ...]] = [()]
    for field_keys in keys:
        combinations = [combination + (key,) for combination in combinations for key in field_keys]
    return combinations


def _ordered(field: str, counter: Counter[str], known: Iterable[str]) -> tuple[str, ...]:
    """Natural order where there is one; else the most awarded first ("no sponsor" last), then the zeros as given."""
    natural = _NATURAL_ORDER.get(field)
    if natural is not None:
        return tuple(sorted(set(counter) | set(known), key=natural))
    counted = sorted(counter, key=lambda key: (key == "", -counter[key], fold(key)))
    return tuple(dict.fromkeys([*counted, *known]))


# --------------------------------------------------------------------------- tables for every output format

WORDS: dict[Lang, dict[str, str]] = {
    "fr": {
        "awards": "Prix",
        "bodies": "Collectivités",
        "count": "Nombre",
        "total": "Total",
        "none": "(aucun)",
        "by": "Par",
        "by_level": "Par niveau",
        "by_category": "Par catégorie",
        "by_kind": "Par type de collectivité",
        "kind_note": "Un prix conjoint compte pour chacun de ses types.",
        "by_region": "Par région (prix)",
        "by_department": "Par département (prix)",
        "repeat": "Lauréats primés plusieurs fois",
    },
    "en": {
        "awards": "Awards",
        "bodies": "Public bodies",
        "count": "Count",
        "total": "Total",
        "none": "(none)",
        "by": "By",
        "by_level": "By level",
        "by_category": "By category",
        "by_kind": "By kind of body",
        "kind_note": "A joint award counts under each of its kinds.",
        "by_region": "By region (awards)",
        "by_department": "By département (awards)",
        "repeat": "Laureates with several awards",
    },
}


#: Gold, silver and bronze for charts (hex RGB, as spreadsheets take them).
LEVEL_COLOURS: dict[Level, str] = {"or": "#D4A017", "argent": "#A8A9AD", "bronze": "#CD7F32"}


class Table(NamedTuple):
    """A table of counts as every output shows it: the terminal, piped rows, Markdown, CSV, a sheet with its chart.

    The one description of a table: each output draws it its own way, none lays
    it out again (its rows, their order, their labels).
    """

    #: "by_level", "repeat"…: a sheet's name; without "by_", the section of ``stats``'s piped rows.
    name: str
    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    #: The columns of counts a chart draws.
    chart_columns: tuple[int, ...] = (1,)
    #: Whether those columns are parts of one whole (levels of a total: stacked bars) or side by side.
    stacked: bool = False
    #: The level each chart column counts, when they are levels: drawn in medal colours.
    column_levels: tuple[Level, ...] = ()
    #: The level of each row, when the rows are levels: a terminal shows their medals.
    row_levels: tuple[Level, ...] = ()
    #: The codes the first column's labels stand for, when they say more ("09" for "09 Ariège"):
    #: piped rows give the codes, which scripts match.
    codes: tuple[str, ...] = ()
    note: str | None = None
    #: How many columns of labels come first; the count after them is the one a terminal bar shows.
    labels: int = 1

    @property
    def colours(self) -> tuple[str, ...]:
        """Colours of the chart's series, when they mean something (medal colours for levels)."""
        return tuple(LEVEL_COLOURS[level] for level in self.column_levels)


def key_label(field: str, key: str, lang: Lang) -> str:
    """What a reader sees for a key: "Or" for "or", "EPCI" for "epci", "(aucun)" for no sponsor."""
    if field == "level":
        return LEVEL_LABELS[lang][key]  # type: ignore[index]
    if field == "kind":
        return KIND_LABELS[lang][key]  # type: ignore[index]
    if field == "department" and key:
        from territoria_cli import geography

        name = geography.departement_name(key)
        return f"{key} {name}" if name else key  # "09 Ariège": the code users type, the name they read
    return key or WORDS[lang]["none"]


def counts_table(counts: Counts, lang: Lang) -> Table:
    """One field: key and count. Two: a cross-table (rows by the first, a column per key of the second,
    a total first). More: one row per combination that has awards."""
    labels, words = FIELD_LABELS[lang], WORDS[lang]
    name = "by_" + "_".join(counts.fields)
    title = f"{words['by']} " + " × ".join(labels[field].lower() for field in counts.fields)
    first = counts.fields[0]
    row_levels: tuple[Level, ...] = counts.keys[0] if first == "level" else ()  # type: ignore[assignment]
    if len(counts.fields) == 1:
        singles: tuple[tuple[str | int, ...], ...] = tuple(
            (key_label(first, key, lang), counts.counts.get((key,), 0)) for key in counts.keys[0]
        )
        return Table(name, title, (labels[first], words["awards"]), singles, row_levels=row_levels)
    if len(counts.fields) == 2:
        second = counts.fields[1]
        columns = counts.keys[1]
        head = (labels[first], words["total"], *(key_label(second, key, lang) for key in columns))
        crossed: tuple[tuple[str | int, ...], ...] = tuple(
            (key_label(first, key, lang), counts.totals[key], *(counts.counts.get((key, other), 0) for other in columns))
            for key in counts.keys[0]
        )
        return Table(
            name,
            title,
            head,
            crossed,
            chart_columns=tuple(range(2, len(head))),
            stacked=True,
            column_levels=columns if second == "level" else (),  # type: ignore[arg-type]
            row_levels=row_levels,
        )
    rank = [{key: position for position, key in enumerate(keys)} for keys in counts.keys]
    combinations = sorted(counts.counts, key=lambda combination: [rank[n][key] for n, key in enumerate(combination)])
    rows: tuple[tuple[str | int, ...], ...] = tuple(
        (*(key_label(field, key, lang) for field, key in zip(counts.fields, combination, strict=True)), counts.counts[combination])
        for combination in combinations
    )
    head = (*(labels[field] for field in counts.fields), words["awards"])
    return Table(name, title, head, rows, chart_columns=(len(counts.fields),), labels=len(counts.fields))


def counts_document(counts: Counts) -> list[dict[str, Any]]:
    """JSON for scripts: one object per combination of keys (codes, not labels), zeros of one field included."""
    combinations: list[tuple[str, ...]]
    if len(counts.fields) == 1:
        combinations = [(key,) for key in counts.keys[0]]
    elif len(counts.fields) == 2:
        combinations = [(key, other) for key in counts.keys[0] for other in counts.keys[1]]
    else:
        combinations = list(counts.counts)
    return [
        {**dict(zip(counts.fields, combination, strict=True)), "awards": counts.counts.get(combination, 0)}
        for combination in combinations
    ]


def overview_tables(stats: Stats, lang: Lang) -> list[Table]:
    """The figures of ``territoria stats`` as tables, in the order every output gives them.

    The terminal (:func:`territoria_cli.views.stats_tables`), the piped rows
    (:func:`territoria_cli.views.stats_rows`) and the files (``--format``) are
    all drawn from these: a section, a row or a label is added here once.
    """
    labels, words = FIELD_LABELS[lang], WORDS[lang]
    level_labels = LEVEL_LABELS[lang]
    tables = [
        Table(
            "by_level",
            words["by_level"],
            (labels["level"], words["count"]),
            tuple((level_labels[level], count) for level, count in stats.by_level.items()),
            row_levels=tuple(stats.by_level),
        ),
        Table(
            "by_category",
            words["by_category"],
            (labels["category"], words["total"], *(level_labels[level] for level in LEVELS)),
            tuple((category, sum(per.values()), *(per.get(level, 0) for level in LEVELS))
                  for category, per in stats.by_category.items()),
            chart_columns=(2, 3, 4),
            stacked=True,
            column_levels=LEVELS,
        ),
        Table(
            "by_kind",
            words["by_kind"],
            (labels["kind"], words["bodies"], words["awards"]),
            tuple((KIND_LABELS[lang][kind], count, stats.awards_by_kind.get(kind, 0)) for kind, count in stats.by_kind.items()),
            chart_columns=(1, 2),
            note=words["kind_note"],
        ),
        Table("by_region", words["by_region"], (labels["region"], words["count"]), tuple(stats.by_region.items())),
        Table(
            "by_department",
            words["by_department"],
            (labels["department"], words["count"]),
            tuple((key_label("department", code, lang), count) for code, count in stats.by_department.items()),
            codes=tuple(stats.by_department),
        ),
    ]
    if stats.repeat_laureates:
        tables.append(Table("repeat", words["repeat"], (labels["laureate"], words["count"]), tuple(stats.repeat_laureates)))
    return tables
