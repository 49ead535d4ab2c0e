"""Choosing awards: the filters of ``list``, ``search``, ``stats`` and ``export``, sorting, and ids.

Every comparison is on *folded* text (see :mod:`territoria_cli.text`), so
that accents and case never matter to the user.

A filter is one :class:`Filter` in :data:`FILTERS`: its option, how a typed
value is read (checked against the store when the valid values are the
store's names), and whether an award passes. The command line declares the
options from this table (:mod:`territoria_cli.options`) and
:func:`build_filters` reads them, so **adding a filter is adding one entry to
FILTERS**; ``--sponsor`` was added that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from territoria_cli.errors import Failure, UsageError
from territoria_cli.model import KINDS, LEVELS, Award, parse_kind, parse_level
from territoria_cli.text import fold, quoted

# --------------------------------------------------------------------------- reading typed values


def resolve_choice(value: str, choices: Iterable[str], what: str) -> str:
    """The choice a user meant: exact folded match first, else a unique folded prefix.

    Users type "lien", "TRANSITION N" or "ile-de" for stored names such as
    "Lien social" or "Île-de-France"; anything unknown or ambiguous raises
    :class:`UsageError` listing the candidates, so the user can copy one.
    """
    unique = list(dict.fromkeys(choices))
    wanted = fold(value.strip())
    if wanted:
        exact = [choice for choice in unique if fold(choice) == wanted]
        if exact:
            return exact[0]
        prefixed = [choice for choice in unique if fold(choice).startswith(wanted)]
        if len(prefixed) == 1:
            return prefixed[0]
        if prefixed:
            raise UsageError(f"ambiguous {what} {quoted(value)}: it begins {_listing(prefixed)}")
    raise UsageError(f"unknown {what} {quoted(value)}; valid values: {_listing(unique)}")


def _listing(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _region_name(value: str) -> str:
    from territoria_cli import geography

    return geography.find_region(value).name


def _departement_code(value: str) -> str:
    from territoria_cli import geography

    return geography.find_departement(value).code


def _official(
    what: str, find: Callable[[str], str], stored: Callable[[Award], Iterable[str | None]]
) -> Callable[..., frozenset[str]]:
    """Resolve each value through the official geography (:mod:`territoria_cli.geography`).

    Any région or département is valid, won or not: ``--region bretagne``
    finds nothing rather than failing. A value the reference does not know but
    the store holds (a store imported before its places were checked) is
    still accepted; anything else is a usage error with the closest places.
    The reference is read only when the filter is given.
    """

    def read_all(values: Iterable[str], awards: Sequence[Award]) -> frozenset[str]:
        from territoria_cli import geography

        resolved = set()
        for value in values:
            try:
                resolved.add(find(value))
            except geography.UnknownPlace as error:
                names = [name for name in dict.fromkeys(name for award in awards for name in stored(award)) if name]
                try:
                    resolved.add(resolve_choice(value, names, what))
                except UsageError:
                    raise UsageError(str(error)) from None
        return frozenset(resolved)

    return read_all


#: What ``--population`` accepts: "5000-", "-10000", "2000-10000" (bounds included).
_POPULATION_RANGE = re.compile(r"(?P<low>\d+)?-(?P<high>\d+)?")


def population_range(value: str, awards: Sequence[Award] = ()) -> tuple[int, float] | None:
    """Read ``MIN-MAX`` (either bound may be left out) as inclusive bounds; "-" alone is no filter."""
    match = _POPULATION_RANGE.fullmatch(value.replace(" ", "").replace("_", ""))
    if match is None:
        raise UsageError(
            f"invalid population range {quoted(value)}; expected MIN-MAX in inhabitants, such as 5000-, -10000 or 2000-10000"
        )
    low = int(match["low"]) if match["low"] else 0
    high = int(match["high"]) if match["high"] else float("inf")
    if low > high:
        raise UsageError(f"invalid population range {quoted(value)}: the minimum is above the maximum")
    return None if (match["low"], match["high"]) == (None, None) else (low, high)


def _in_population_range(award: Award, bounds: tuple[int, float]) -> bool:
    low, high = bounds
    return any(body.population is not None and low <= body.population <= high for body in award.laureates)


def _year(value: int | str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise UsageError(f"invalid year {quoted(str(value))}; expected a year such as 2017")
    return int(text)


def _each(read: Callable[[Any], Any]) -> Callable[[Iterable[Any], Sequence[Award]], frozenset[Any]]:
    """Read every value of a repeated option with ``read``; the model's ValueErrors are usage errors."""

    def read_all(values: Iterable[Any], awards: Sequence[Award]) -> frozenset[Any]:
        try:
            return frozenset(read(value) for value in values)
        except UsageError:
            raise
        except ValueError as error:
            raise UsageError(str(error)) from None

    return read_all


def _among_stored(what: str, names: Callable[[Award], Iterable[str | None]]) -> Callable[..., frozenset[str]]:
    """Resolve each value against the names the store holds (a unique prefix is enough).

    The store is walked only when the filter is given: a big store is long to walk.
    """

    def read_all(values: Iterable[str], awards: Sequence[Award]) -> frozenset[str]:
        stored = [name for name in dict.fromkeys(name for award in awards for name in names(award)) if name]
        return frozenset(resolve_choice(value, stored, what) for value in values)

    return read_all


def _folded_text(value: str, awards: Sequence[Award]) -> str | None:
    return fold(value.strip()) or None


def _names(award: Award) -> tuple[str, ...]:
    return (award.laureate, *(body.name for body in award.laureates))


# --------------------------------------------------------------------------- the filters


class Filter(NamedTuple):
    """One filter: its command-line option, how its value is read, and which awards pass it.

    ``read(typed, awards)`` gets what the user typed (a tuple of the values of
    a repeatable option, else one value) and the whole store, and returns what
    ``matches(award, resolved)`` tests, or ``None`` for "no filter after all";
    it raises :class:`UsageError` saying what is valid. ``completion`` offers
    values in the shell: fixed ones, or a function giving the values of one
    raw stored document.
    """

    name: str
    flags: tuple[str, ...]
    metavar: str
    help: str
    read: Callable[[Any, Sequence[Award]], Any]
    matches: Callable[[Award, Any], bool]
    repeatable: bool = True
    item: type = str
    completion: Sequence[str] | Callable[[dict[str, Any]], Iterable[Any]] | None = None


#: Every filter, in the order of the help. The name is the keyword of :func:`build_filters`.
FILTERS: tuple[Filter, ...] = (
    Filter(
        "levels",
        ("--level", "-l"),
        "LEVEL",
        f"Keep this level: {', '.join(LEVELS)} (any case; d'or, gold… too).",
        read=_each(parse_level),
        matches=lambda award, levels: award.level in levels,
        completion=LEVELS,
    ),
    Filter(
        "categories",
        ("--category", "-c"),
        "NAME",
        "Keep this category; accents and case ignored, a unique prefix is enough.",
        read=_among_stored("category", lambda award: [award.category]),
        matches=lambda award, categories: award.category in categories,
        completion=lambda document: [document.get("category")],
    ),
    Filter(
        "laureate",
        ("--laureate",),
        "TEXT",
        "Keep laureates whose name contains TEXT.",
        read=_folded_text,
        matches=lambda award, text: any(text in fold(name) for name in _names(award)),
        repeatable=False,
    ),
    Filter(
        "kinds",
        ("--kind",),
        "KIND",
        f"Keep awards to this kind of body: {', '.join(KINDS)}.",
        read=_each(parse_kind),
        matches=lambda award, kinds: any(body.kind in kinds for body in award.laureates),
        completion=KINDS,
    ),
    Filter(
        "departments",
        ("--department",),
        "CODE",
        "Keep bodies of this département: its code (06, 2a, 971…) or name (prefix enough).",
        read=_official("département", _departement_code, lambda award: [body.department for body in award.laureates]),
        matches=lambda award, codes: any(body.department in codes for body in award.laureates),
    ),
    Filter(
        "regions",
        ("--region",),
        "NAME",
        "Keep bodies of this région, any of the 18 (prefix enough).",
        read=_official("région", _region_name, lambda award: [body.region for body in award.laureates]),
        matches=lambda award, regions: any(body.region in regions for body in award.laureates),
        completion=lambda document: [
            body.get("region") for body in document.get("laureates") or () if isinstance(body, dict)
        ],
    ),
    Filter(
        "population",
        ("--population",),
        "MIN-MAX",
        "Keep bodies of MIN to MAX inhabitants (5000-, -10000, 2000-10000), by their official population.",
        read=population_range,
        matches=_in_population_range,
        repeatable=False,
    ),
    Filter(
        "years",
        ("--year",),
        "YEAR",
        "Keep this edition.",
        read=_each(_year),
        matches=lambda award, years: award.year in years,
        item=int,
    ),
    Filter(
        "sponsors",
        ("--sponsor",),
        "NAME",
        "Keep awards of this sponsor (prefix enough); an award without one never passes.",
        read=_among_stored("sponsor", lambda award: [award.sponsor]),
        matches=lambda award, sponsors: award.sponsor in sponsors,
        completion=lambda document: [document.get("sponsor")],
    ),
)
_BY_NAME = {entry.name: entry for entry in FILTERS}


class Filters(NamedTuple):
    """What ``list``, ``search``, ``stats`` and ``export`` keep: the filters given, with their values read.

    Values are resolved to stored spellings ("lien" is "Lien social"); an
    empty Filters keeps every award. Build it with :func:`build_filters`.
    """

    given: tuple[tuple[Filter, Any], ...] = ()

    def matches(self, award: Award) -> bool:
        return all(entry.matches(award, value) for entry, value in self.given)

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.given)

    def value(self, name: str) -> Any:
        """What filter ``name`` resolved to (``None`` when not given): ``{"Lien social"}`` for ``categories=["lien"]``."""
        return next((value for entry, value in self.given if entry.name == name), None)


#: No filter: every award passes.
NO_FILTERS = Filters()

#: What the user typed for each filter, by :attr:`Filter.name`; missing or empty means not given.
FilterValues = Mapping[str, Any]


def build_filters(awards: Sequence[Award], **typed: Any) -> Filters:
    """Read the filters as the user typed them (any case, any accents), e.g. ``levels=["OR"]``.

    Keywords are the names of :data:`FILTERS`; a repeatable filter takes any
    iterable of values. Categories, regions and sponsors are resolved against
    the names present in ``awards``. Raises :class:`UsageError` with the
    valid values for anything unknown.
    """
    unknown = set(typed) - set(_BY_NAME)
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}; known: {', '.join(_BY_NAME)}")
    given = []
    for entry in FILTERS:
        value = typed.get(entry.name)
        values = tuple(value or ()) if entry.repeatable else value
        if values is None or values == ():
            continue
        resolved = entry.read(values, awards)
        if resolved is not None:
            given.append((entry, resolved))
    return Filters(tuple(given))


def filter_awards(awards: Iterable[Award], filters: Filters) -> list[Award]:
    """The awards the filters keep, in their given order."""
    if not filters.active:
        return list(awards)
    return [award for award in awards if filters.matches(award)]


# --------------------------------------------------------------------------- sorting

_LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(award: Award) -> int:
    """0 for gold, 1 for silver, 2 for bronze: the order of the palmarès."""
    return _LEVEL_RANK[award.level]


def sort_awards(awards: Iterable[Award], key: str = "level", *, reverse: bool = False) -> list[Award]:
    """Awards in the order a reader expects for ``key``; later keys break ties.

    "level" (the default) is the palmarès reading: gold first, then by
    category and laureate. Text keys compare folded, so "Élancourt" sorts
    among the E's.
    """
    sort_key = _SORT_FUNCTIONS.get(key)
    if sort_key is None:
        raise UsageError(f"unknown sort key {quoted(key)}; valid keys: {', '.join(SORT_KEYS)}")
    return sorted(awards, key=sort_key, reverse=reverse)


_SORT_FUNCTIONS: dict[str, Callable[[Award], Any]] = {
    "level": lambda a: (_LEVEL_RANK[a.level], fold(a.category), fold(a.laureate), a.id),
    "category": lambda a: (fold(a.category), _LEVEL_RANK[a.level], fold(a.laureate), a.id),
    "laureate": lambda a: (fold(a.laureate), _LEVEL_RANK[a.level], a.id),
    "title": lambda a: (fold(a.title), a.id),
    "year": lambda a: (a.year, _LEVEL_RANK[a.level], fold(a.category), fold(a.laureate), a.id),
    "id": lambda a: a.id,
    "population": lambda a: (_largest_population(a) is None, _largest_population(a) or 0, _LEVEL_RANK[a.level], a.id),
}


def _largest_population(award: Award) -> int | None:
    """The population an award sorts by: its most populous body's (a joint dossier has several); None if unknown."""
    return max((body.population for body in award.laureates if body.population is not None), default=None)

#: What ``--sort`` accepts; "level" is the default.
SORT_KEYS: tuple[str, ...] = tuple(_SORT_FUNCTIONS)


def select(
    awards: Sequence[Award],
    filters: FilterValues | Filters = NO_FILTERS,
    *,
    sort: str | None = None,
    reverse: bool = False,
    limit: int | None = None,
) -> list[Award]:
    """The awards a command shows: filtered, then sorted by ``sort`` (any unique beginning of a key), then cut.

    ``filters`` is what the user typed (see :func:`build_filters`) or a
    :class:`Filters` already read. Without ``sort`` the stored order stays.
    """
    if not isinstance(filters, Filters):
        filters = build_filters(awards, **filters)
    kept = filter_awards(awards, filters)
    if sort is not None:
        kept = sort_awards(kept, resolve_choice(sort, SORT_KEYS, "sort key"), reverse=reverse)
    return kept[:limit]


# --------------------------------------------------------------------------- one award by id


def find_award(awards: Sequence[Award], wanted: str) -> Award:
    """The award with this id, or the only one whose id starts with it.

    Raises :class:`Failure` listing the candidates of an ambiguous beginning,
    or suggesting close ids for an unknown one.
    """
    for award in awards:
        if award.id == wanted:
            return award
    prefix = fold(wanted.strip())
    starting = [award for award in awards if prefix and fold(award.id).startswith(prefix)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        shown = ", ".join(award.id for award in starting[:5]) + (", …" if len(starting) > 5 else "")
        raise Failure(f"{len(starting)} awards have an id starting with {quoted(wanted)}: {shown}")
    close = suggest_ids(awards, wanted)
    hint = f"; did you mean: {', '.join(close)}?" if close else "; 'territoria list' shows the ids"
    raise Failure(f"no award with id {quoted(wanted)}{hint}")


def suggest_ids(awards: Sequence[Award], wanted_id: str, limit: int = 5) -> list[str]:
    """Ids the user may have meant: ids containing what was typed, then look-alikes."""
    import difflib

    wanted = fold(wanted_id.strip())
    ids = [award.id for award in awards]
    if not wanted:
        return []
    containing = [award_id for award_id in ids if wanted in award_id]
    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6) if len(wanted) <= 200 else []
    return list(dict.fromkeys([*containing, *close]))[:limit]
