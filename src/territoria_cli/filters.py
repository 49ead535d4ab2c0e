"""Choosing awards: the filters of ``list``, ``search``, ``stats`` and ``export``, sorting, and references.

Every comparison is on *folded* text (see :mod:`territoria_cli.text`), so
that accents and case never matter to the user; names also ignore hyphens,
apostrophes and "Saint"/"St", and a value may be a word of a name
(``--category unicef``). A repeated option keeps what matches any of its values.

A *reference* (``show``, ``export --id``) is what people copy
from a table: a whole id, its beginning, a part only one id has
(``saverdun``, ``recup velos``), or the ``#`` of a row of the last list or
search shown in a terminal (kept by :mod:`territoria_cli.last_results`).

A filter is one :class:`Filter` in :data:`FILTERS`: its option, how a typed
value is read (checked against the store when the valid values are the
store's names), and whether an award passes. The command line declares the
options from this table (:mod:`territoria_cli.options`) and
:func:`build_filters` reads them, so **adding a filter is adding one entry to
FILTERS**; ``--sponsor`` was added that way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from territoria_cli.errors import Failure, UsageError
from territoria_cli.i18n import N_, _
from territoria_cli.model import LEVELS, Award, AwardFacts, parse_kind, parse_level
from territoria_cli.text import fold, name_key, quoted

# --------------------------------------------------------------------------- reading typed values


#: How many names an unknown or ambiguous value answers with.
SHOWN_NAMES = 5

#: For each kind of name a user types, what is said when it is unknown and when it is ambiguous.
CHOICE_MESSAGES: dict[str, tuple[str, str]] = {
    "category": (N_("unknown category {value}"), N_("ambiguous category {value}")),
    "region": (N_("unknown region {value}"), N_("ambiguous region {value}")),
    "department": (N_("unknown département {value}"), N_("ambiguous département {value}")),
    "sponsor": (N_("unknown sponsor {value}"), N_("ambiguous sponsor {value}")),
    "sort key": (N_("unknown sort key {value}"), N_("ambiguous sort key {value}")),
    "format": (N_("unknown format {value}"), N_("ambiguous format {value}")),
    "field": (N_("unknown field {value}"), N_("ambiguous field {value}")),
    "header": (N_("unknown header {value}"), N_("ambiguous header {value}")),
}
#: The command that lists the names of each kind stored, for when there are too many to show.
_VALUES_FIELD = {"category": "category", "region": "region", "department": "department", "sponsor": "sponsor"}


def resolve_choice(value: str, choices: Iterable[str], what: str) -> str:
    """The choice a user meant: the same name (accents, case, hyphens, "St" aside), else the only one a word of which the value starts.

    Users type "lien", "TRANSITION N", "ile de france", "unicef" or
    "energetique" for stored names such as "Lien social", "Île-de-France",
    "TERRITORIA / UNICEF" or "Transition énergétique". Anything unknown or
    ambiguous raises :class:`UsageError` with the closest few names, so the
    user can copy one.
    """
    unique = list(dict.fromkeys(choices))
    wanted = name_key(value)
    unknown, ambiguous = CHOICE_MESSAGES[what]
    if wanted:
        keys = {choice: name_key(choice) for choice in unique}
        exact = [choice for choice in unique if keys[choice] == wanted]
        if exact:
            return exact[0]
        starting = [choice for choice in unique if f" {keys[choice]}".find(f" {wanted}") >= 0]
        if len(starting) == 1:
            return starting[0]
        if starting:
            raise UsageError(_(ambiguous).format(value=quoted(value)) + _(": it could be {names}").format(names=listing(starting)))
    close = _closest(wanted, unique) if wanted else []
    if close:
        hint = _("; did you mean {names}?").format(names=listing(close))
    elif len(unique) <= 2 * SHOWN_NAMES or what not in _VALUES_FIELD:
        hint = _("; valid values: {names}").format(names=", ".join(map(quoted, unique)))
    else:
        hint = _("; 'territoria values {field}' lists them").format(field=_VALUES_FIELD[what])
    raise UsageError(_(unknown).format(value=quoted(value)) + hint)


def _closest(wanted: str, names: Sequence[str]) -> list[str]:
    """The few names closest to ``wanted`` (a name key): those containing it, then look-alikes of them or of their words."""
    import difflib

    if len(wanted) > 200:
        return []
    keys = {name: name_key(name) for name in names}
    containing = [name for name in names if wanted in keys[name]]
    by_word: dict[str, str] = {}
    for name in names:
        for word in [keys[name], *keys[name].split()]:
            by_word.setdefault(word, name)
    alike = [by_word[word] for word in difflib.get_close_matches(wanted, list(by_word), n=SHOWN_NAMES, cutoff=0.75)]
    return list(dict.fromkeys([*containing, *alike]))[:SHOWN_NAMES]


#: Awards or their facts (:class:`territoria_cli.model.AwardFacts`): filtering and sorting give back what they get.
Listed = TypeVar("Listed", bound=AwardFacts)

#: The names a store holds for a field of :mod:`territoria_cli.values` ("category", "region",
#: "department", "sponsor"), the most awarded first: what typed filter values are resolved against.
StoredNames = Callable[[str], Sequence[str]]


def listing(names: Sequence[str]) -> str:
    """Names for a message, in territoria's one quoting style ("Lien social", "Qualité de vie"), the first few only."""
    shown = ", ".join(quoted(name) for name in names[:SHOWN_NAMES])
    return shown + (", …" if len(names) > SHOWN_NAMES else "")


def _region_name(value: str) -> str:
    from territoria_cli import geography

    return geography.find_region(value).name


def _departement_code(value: str) -> str:
    from territoria_cli import geography

    return geography.find_departement(value).code


def _official(what: str, find: Callable[[str], str]) -> Callable[..., frozenset[str]]:
    """Resolve each value through the official geography (:mod:`territoria_cli.geography`).

    Any région or département is valid, won or not: ``--region bretagne``
    finds nothing rather than failing. A value the reference does not know but
    the store holds (a store imported before its places were checked) is
    still accepted; anything else is a usage error with the closest places.
    The reference is read only when the filter is given.
    """

    def read_all(values: Iterable[str], stored: StoredNames) -> frozenset[str]:
        from territoria_cli import geography

        resolved = set()
        for value in values:
            try:
                resolved.add(find(value))
            except geography.UnknownPlace as error:
                try:
                    resolved.add(resolve_choice(value, stored(what), what))
                except UsageError:
                    raise UsageError(str(error)) from None
        return frozenset(resolved)

    return read_all


#: What ``--population`` accepts: "5000-", "-10000", "2000-10000" (bounds included).
#: Compiled by ``re`` on first use (its cache keeps it): most runs filter no population.
_POPULATION_RANGE = r"(?P<low>\d+)?-(?P<high>\d+)?"


def population_range(value: str, stored: StoredNames | None = None) -> tuple[int, float] | None:
    """Read ``MIN-MAX`` (either bound may be left out) as inclusive bounds; "-" alone is no filter."""
    match = re.fullmatch(_POPULATION_RANGE, value.replace(" ", "").replace("_", ""))
    if match is None:
        raise UsageError(
            _("invalid population range {value}; expected MIN-MAX in inhabitants, such as 5000-, -10000 or 2000-10000").format(
                value=quoted(value)
            )
        )
    low = int(match["low"]) if match["low"] else 0
    high = int(match["high"]) if match["high"] else float("inf")
    if low > high:
        raise UsageError(_("invalid population range {value}: the minimum is above the maximum").format(value=quoted(value)))
    return None if (match["low"], match["high"]) == (None, None) else (low, high)


def _in_population_range(award: AwardFacts, bounds: tuple[int, float]) -> bool:
    low, high = bounds
    return any(body.population is not None and low <= body.population <= high for body in award.laureates)


def _year(value: int | str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise UsageError(_("invalid year {value}; expected a year such as 2017").format(value=quoted(str(value))))
    return int(text)


def _each(read: Callable[[Any], Any]) -> Callable[[Iterable[Any], StoredNames], frozenset[Any]]:
    """Read every value of a repeated option with ``read``; the model's ValueErrors are usage errors."""

    def read_all(values: Iterable[Any], stored: StoredNames) -> frozenset[Any]:
        try:
            return frozenset(read(value) for value in values)
        except UsageError:
            raise
        except ValueError as error:
            raise UsageError(str(error)) from None

    return read_all


def _among_stored(what: str) -> Callable[..., frozenset[str]]:
    """Resolve each value against the names the store holds for field ``what`` (see :func:`resolve_choice`).

    The names are asked for only when the filter is given: a big store is long to walk.
    """

    def read_all(values: Iterable[str], stored: StoredNames) -> frozenset[str]:
        return frozenset(resolve_choice(value, stored(what), what) for value in values)

    return read_all


def compact_name(name: str) -> str:
    """A name without what people type differently: "Onet le Chateau" and "Onet-le-Château" are "onetlechateau"."""
    return name_key(name).replace(" ", "")


def _name_parts(values: Iterable[str], stored: StoredNames) -> frozenset[str] | None:
    return frozenset(part for part in map(compact_name, values) if part) or None


def _names(award: AwardFacts) -> tuple[str, ...]:
    return (award.laureate, *(body.name for body in award.laureates))


# --------------------------------------------------------------------------- the filters


class Filter(NamedTuple):
    """One filter: its command-line option, how its value is read, and which awards pass it.

    ``read(typed, stored)`` gets what the user typed (a tuple of the values of
    a repeatable option, else one value) and the names the store holds
    (:data:`StoredNames`), and returns what
    ``matches(award, resolved)`` tests, or ``None`` for "no filter after all";
    it raises :class:`UsageError` saying what is valid. A repeated option keeps
    an award matching any of its values. ``help`` is an English source string
    of the catalogue (``{levels}`` and ``{kinds}`` are filled in when shown).
    ``values`` names the field of :mod:`territoria_cli.values` that lists what
    the option accepts, for ``territoria values`` and shell completion.
    """

    name: str
    flags: tuple[str, ...]
    metavar: str
    help: str
    read: Callable[[Any, StoredNames], Any]
    matches: Callable[[AwardFacts, Any], bool]
    repeatable: bool = True
    item: type = str
    values: str | None = None


#: Every filter, in the order of the help. The name is the keyword of :func:`build_filters`.
FILTERS: tuple[Filter, ...] = (
    Filter(
        "levels",
        ("--level", "-l"),
        "LEVEL",
        N_("Keep this level: {levels} (any case; d'or, gold… too). Repeat for several."),
        read=_each(parse_level),
        matches=lambda award, levels: award.level in levels,
        values="level",
    ),
    Filter(
        "categories",
        ("--category", "-c"),
        "NAME",
        N_("Keep this category: its name or a word of it (unicef, energetique), accents and case ignored. Repeat for several."),
        read=_among_stored("category"),
        matches=lambda award, categories: award.category in categories,
        values="category",
    ),
    Filter(
        "laureate",
        ("--laureate",),
        "TEXT",
        N_("Keep laureates whose name contains TEXT; accents, case, hyphens and Saint/St ignored. Repeat for several."),
        read=_name_parts,
        matches=lambda award, parts: any(part in compact_name(name) for name in _names(award) for part in parts),
        values="laureate",
    ),
    Filter(
        "kinds",
        ("--kind",),
        "KIND",
        N_("Keep awards to this kind of body: {kinds}. Repeat for several."),
        read=_each(parse_kind),
        matches=lambda award, kinds: any(body.kind in kinds for body in award.laureates),
        values="kind",
    ),
    Filter(
        "departments",
        ("--department",),
        "CODE",
        N_("Keep bodies of this département: its code (06, 2a, 971…) or name. Repeat for several."),
        read=_official("department", _departement_code),
        matches=lambda award, codes: any(body.department in codes for body in award.laureates),
        values="department",
    ),
    Filter(
        "regions",
        ("--region",),
        "NAME",
        N_("Keep bodies of this région, any of the 18: its name or a word of it. Repeat for several."),
        read=_official("region", _region_name),
        matches=lambda award, regions: any(body.region in regions for body in award.laureates),
        values="region",
    ),
    Filter(
        "population",
        ("--population",),
        "MIN-MAX",
        N_("Keep bodies of MIN to MAX inhabitants (5000-, -10000, 2000-10000), by their official population."),
        read=population_range,
        matches=_in_population_range,
        repeatable=False,
    ),
    Filter(
        "years",
        ("--year",),
        "YEAR",
        N_("Keep this edition. Repeat for several."),
        read=_each(_year),
        matches=lambda award, years: award.year in years,
        item=int,
        values="year",
    ),
    Filter(
        "sponsors",
        ("--sponsor",),
        "NAME",
        N_("Keep awards of this sponsor: its name or a word of it; an award without one never passes. Repeat for several."),
        read=_among_stored("sponsor"),
        matches=lambda award, sponsors: award.sponsor in sponsors,
        values="sponsor",
    ),
)
_BY_NAME = {entry.name: entry for entry in FILTERS}


class Filters(NamedTuple):
    """What ``list``, ``search``, ``stats`` and ``export`` keep: the filters given, with their values read.

    Values are resolved to stored spellings ("lien" is "Lien social"); an
    empty Filters keeps every award. Build it with :func:`build_filters`.
    """

    given: tuple[tuple[Filter, Any], ...] = ()

    def matches(self, award: AwardFacts) -> bool:
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


def build_filters(awards: Sequence[AwardFacts], **typed: Any) -> Filters:
    """Read the filters as the user typed them (any case, any accents), e.g. ``levels=["OR"]``.

    Keywords are the names of :data:`FILTERS`; a repeatable filter takes any
    iterable of values. Categories, regions and sponsors are resolved against
    the names present in ``awards``. Raises :class:`UsageError` with the
    valid values for anything unknown.
    """
    return read_filters(names_in(awards), **typed)


def names_in(awards: Sequence[AwardFacts]) -> StoredNames:
    """The names ``awards`` hold for each field, read from them when a filter first asks."""
    from territoria_cli.values import stored_names

    return functools.cache(lambda field: stored_names(awards, field))


def read_filters(stored: StoredNames, **typed: Any) -> Filters:
    """:func:`build_filters`, resolving names against ``stored`` (the catalogue keeps a big store's names)."""
    unknown = set(typed) - set(_BY_NAME)
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}; known: {', '.join(_BY_NAME)}")
    given = []
    for entry in FILTERS:
        value = typed.get(entry.name)
        values = tuple(value or ()) if entry.repeatable else value
        if values is None or values == ():
            continue
        resolved = entry.read(values, stored)
        if resolved is not None:
            given.append((entry, resolved))
    return Filters(tuple(given))


def filter_awards(awards: Iterable[Listed], filters: Filters) -> list[Listed]:
    """The awards the filters keep, in their given order."""
    if not filters.active:
        return list(awards)
    return [award for award in awards if filters.matches(award)]


# --------------------------------------------------------------------------- sorting

_LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(award: AwardFacts) -> int:
    """0 for gold, 1 for silver, 2 for bronze: the order of the palmarès."""
    return _LEVEL_RANK[award.level]


def sort_awards(awards: Iterable[Listed], key: str = "level", *, reverse: bool = False) -> list[Listed]:
    """Awards in the order a reader expects for ``key``; later keys break ties.

    "level" (the default) is the palmarès reading: gold first, then by
    category and laureate. Text keys compare folded, so "Élancourt" sorts
    among the E's.
    """
    sort_key = _SORT_FUNCTIONS.get(key)
    if sort_key is None:
        raise UsageError(_("unknown sort key {value}; valid keys: {keys}").format(value=quoted(key), keys=", ".join(SORT_KEYS)))
    # Names recur from award to award (a few dozen categories, a laureate per award at most):
    # each is folded once per sort (100,000 awards sorted by level: 0.26 s -> 0.10 s, measured).
    folded = functools.cache(fold)
    return sorted(awards, key=lambda award: sort_key(award, folded), reverse=reverse)


#: Each key's sort order, given a folding function (:func:`territoria_cli.text.fold`, cached per sort).
_SORT_FUNCTIONS: dict[str, Callable[[AwardFacts, Callable[[str], str]], Any]] = {
    "level": lambda a, fold: (_LEVEL_RANK[a.level], fold(a.category), fold(a.laureate), a.id),
    "category": lambda a, fold: (fold(a.category), _LEVEL_RANK[a.level], fold(a.laureate), a.id),
    "laureate": lambda a, fold: (fold(a.laureate), _LEVEL_RANK[a.level], a.id),
    "title": lambda a, fold: (fold(a.title), a.id),
    "year": lambda a, fold: (a.year, _LEVEL_RANK[a.level], fold(a.category), fold(a.laureate), a.id),
    "id": lambda a, fold: a.id,
    "population": lambda a, fold: (_largest_population(a) is None, _largest_population(a) or 0, _LEVEL_RANK[a.level], a.id),
}


def _largest_population(award: AwardFacts) -> int | None:
    """The population an award sorts by: its most populous body's (a joint dossier has several); None if unknown."""
    return max((body.population for body in award.laureates if body.population is not None), default=None)

#: What ``--sort`` accepts; "level" is the default.
SORT_KEYS: tuple[str, ...] = tuple(_SORT_FUNCTIONS)


def select(
    awards: Sequence[Listed],
    filters: FilterValues | Filters = NO_FILTERS,
    *,
    sort: str | None = None,
    reverse: bool = False,
    limit: int | None = None,
) -> list[Listed]:
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


# --------------------------------------------------------------------------- awards by reference

#: Compiled by ``re`` on first use (its cache keeps it): only ``show``, ``similar`` and ``export --id`` need it.
_SEPARATORS = r"[^a-z0-9]+"


def find_awards(awards: Sequence[Award], references: Sequence[str]) -> list[Award]:
    """The award of each reference, in the order given, each once."""
    return each_once(find_award(awards, reference) for reference in references)


def each_once(awards: Iterable[Award]) -> list[Award]:
    """The awards in the order given, each once (``show saverdun recup-velos`` names one award twice)."""
    return list({award.id: award for award in awards}.values())


def find_award(awards: Sequence[Award], reference: str) -> Award:
    """The award ``reference`` designates; :class:`Failure` naming the candidates when it is ambiguous or unknown."""
    wanted = reference.strip()
    if wanted.isdigit():
        return _numbered(awards, int(wanted))
    for award in awards:
        if award.id == wanted:
            return award
    slug = re.sub(_SEPARATORS, "-", fold(wanted)).strip("-")
    if slug:
        starting = [award for award in awards if award.id.startswith(slug)]
        containing = starting or [award for award in awards if f"-{slug}" in award.id]
        if len(containing) == 1:
            return containing[0]
        if containing:
            raise Failure(
                _("{reference} is part of {count} ids: {ids}").format(
                    reference=quoted(wanted), count=len(containing), ids=listing([a.id for a in containing])
                )
            )
    close = suggest_ids(awards, wanted)
    if close:
        raise Failure(_("no award with id {reference}; did you mean: {ids}?").format(reference=quoted(wanted), ids=listing(close)))
    raise Failure(_("no award with id {reference}; 'territoria list' shows the ids").format(reference=quoted(wanted)))


def _numbered(awards: Sequence[Award], number: int) -> Award:
    from territoria_cli.last_results import recall

    ids = recall()
    if not ids:
        raise Failure(_("no numbered list to take row {number} from: run 'territoria list' or 'territoria search' in a terminal first").format(number=number))
    if not 1 <= number <= len(ids):
        raise Failure(_("the last list had rows 1 to {last}, not {number}").format(last=len(ids), number=number))
    award_id = ids[number - 1]
    for award in awards:
        if award.id == award_id:
            return award
    raise Failure(_("row {number} of the last list, {id}, is not in this store").format(number=number, id=award_id))


def suggest_ids(awards: Sequence[Award], reference: str, limit: int = SHOWN_NAMES) -> list[str]:
    """Ids the user may have meant: look-alikes of the whole id, or of one of its parts."""
    import difflib

    wanted = re.sub(_SEPARATORS, "-", fold(reference.strip())).strip("-")
    if not wanted or len(wanted) > 200:
        return []
    ids = [award.id for award in awards]
    whole = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6)
    # "saverdum" is close to the "saverdun" inside an id: compare with each part too.
    by_part: dict[str, list[str]] = {}
    for award_id in ids:
        for part in award_id.split("-"):
            by_part.setdefault(part, []).append(award_id)
    close_parts = difflib.get_close_matches(wanted, list(by_part), n=limit, cutoff=0.75)
    parts = [award_id for part in close_parts for award_id in by_part[part]]
    return list(dict.fromkeys([*whole, *parts]))[:limit]
