"""The official geography: régions, départements, communes and EPCI from INSEE's COG.

Two files built by ``scripts/build_geography.py`` from Etalab's *découpage
administratif* (the version and what it carries: docs/data.md, "Geography"):

* ``geography.json`` (4 KB): the 18 régions and 101 départements, read when a
  filter names a région or département, by ``stats`` (to list the ones that won
  nothing) and by ``import``;
* ``geography-bodies.tsv.gz`` (0.4 MB): the ~36,000 communes, municipal
  arrondissements and EPCI, read only to link a body to its code and population
  (``import``, and the build of ``data/awards.json``).

This module is imported only by the commands and branches that need it, never at
start-up, and each file is read at most once per process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from territoria_cli.i18n import _
from territoria_cli.model import Laureate
from territoria_cli.text import fold, quoted

_HERE = Path(__file__).parent
REFERENCE_PATH = _HERE / "geography.json"
BODIES_PATH = _HERE / "geography-bodies.tsv.gz"


class UnknownPlace(ValueError):
    """A région, département or body that the reference does not know; the message suggests one it does."""


class Region(NamedTuple):
    code: str
    name: str
    population: int


class Departement(NamedTuple):
    code: str
    name: str
    region: str  # the région's code
    population: int


class Body(NamedTuple):
    """A commune, municipal arrondissement or EPCI of the reference."""

    kind: str  # "commune", "arrondissement" or "epci", as in model.KINDS
    code: str  # INSEE code, or SIREN for an EPCI
    name: str
    departments: tuple[str, ...]  # an EPCI may straddle two
    population: int


class _Reference(NamedTuple):
    source: dict[str, Any]
    regions: tuple[Region, ...]
    departements: tuple[Departement, ...]


@cache
def _reference() -> _Reference:
    data = json.loads(REFERENCE_PATH.read_text(encoding="utf-8"))
    return _Reference(
        data["source"],
        tuple(Region(*row) for row in data["regions"]),
        tuple(Departement(*row) for row in data["departements"]),
    )


def source() -> dict[str, Any]:
    """Where the reference comes from: package, version, integrity, COG year, population year."""
    return dict(_reference().source)


def regions() -> tuple[Region, ...]:
    """The 18 régions, in INSEE code order (overseas first, as the COG lists them)."""
    return _reference().regions


def departements() -> tuple[Departement, ...]:
    """The 101 départements, in INSEE code order."""
    return _reference().departements


@cache
def _region_by_code() -> dict[str, Region]:
    return {region.code: region for region in regions()}


@cache
def _departement_by_code() -> dict[str, Departement]:
    return {departement.code: departement for departement in departements()}


def region_of(departement_code: str) -> Region | None:
    """The région of a département code, or None for a code the reference does not know."""
    departement = _departement_by_code().get(departement_code)
    return _region_by_code()[departement.region] if departement else None


def places_within(
    region_names: Iterable[str] | None = None, departement_codes: Iterable[str] | None = None
) -> tuple[list[str], list[str]]:
    """The names of the régions and the codes of the départements that the given ones delimit.

    ``None`` means no limit: every région (in name order) and département (in
    code order). Régions limit départements to theirs, départements limit
    régions to theirs.
    """
    names = set(region_names) if region_names is not None else None
    codes = set(departement_codes) if departement_codes is not None else None
    in_scope = [
        d
        for d in departements()
        if (codes is None or d.code in codes) and (names is None or _region_by_code()[d.region].name in names)
    ]
    scoped_regions = {d.region for d in in_scope}
    kept = [r.name for r in regions() if r.code in scoped_regions and (names is None or r.name in names)]
    return sorted(kept, key=fold), [d.code for d in in_scope]


def departement_name(code: str) -> str | None:
    """The name of a département code ("09": "Ariège"), or None for a code the reference does not know."""
    departement = _departement_by_code().get(code)
    return departement.name if departement else None


def find_region(value: str) -> Region:
    """The région a user means: its name folded ("ile-de-france"), a unique prefix ("bourg"), or its code.

    Raises :class:`UnknownPlace` naming the closest régions.
    """
    wanted = _plain(value)
    by_name = {_plain(region.name): region for region in regions()}
    if wanted in by_name:
        return by_name[wanted]
    if wanted in _region_by_code():
        return _region_by_code()[wanted]
    return _resolved(value, by_name, "region")


def find_departement(value: str) -> Departement:
    """The département a user means: its code ("2a" is 2A, "9" is 09) or its name or a unique prefix of it.

    Raises :class:`UnknownPlace` naming the closest départements.
    """
    code = normalise_departement_code(value)
    if code in _departement_by_code():
        return _departement_by_code()[code]
    wanted = _plain(value)
    by_name = {_plain(departement.name): departement for departement in departements()}
    if wanted in by_name:
        return by_name[wanted]
    if wanted and not wanted[0].isdigit():
        return _resolved(value, by_name, "department")
    import difflib  # errors only

    # Corsica was département 20 until 1976, and people still type it.
    close = ["2A", "2B"] if code == "20" else difflib.get_close_matches(code, list(_departement_by_code()), n=3)
    if close:
        shown = ", ".join(f"{c} ({_departement_by_code()[c].name})" for c in close)
        raise UnknownPlace(_("unknown département {value}; did you mean {codes}?").format(value=quoted(value), codes=shown))
    raise UnknownPlace(_("unknown département {value}; expected a code such as 06, 2A, 75 or 971").format(value=quoted(value)))


def normalise_departement_code(value: str) -> str:
    """A département code as the COG writes it: "9" is "09", "2a" is "2A"; other text is returned upper-cased."""
    code = value.strip().upper()
    return "0" + code if len(code) == 1 and code.isdecimal() else code


def _resolved(value: str, by_name: dict[str, Any], what: str) -> Any:
    """The place a name, or a word of it, designates, by the rules of every other name (:func:`filters.resolve_choice`)."""
    from territoria_cli.errors import UsageError
    from territoria_cli.filters import resolve_choice

    places = {place.name: place for place in by_name.values()}
    try:
        return places[resolve_choice(value, list(places), what)]
    except UsageError as error:
        raise UnknownPlace(str(error)) from None


# --------------------------------------------------------------------------- communes, arrondissements, EPCI

# The words that say what kind of body a name is, and differ between the press
# kit ("Communauté d'agglomération du Grand Dax", "Département du Loiret") and
# the reference ("CA du Grand Dax", "Loiret"): dropped before names are compared.
# Patterns, compiled by ``re`` on first use (its cache keeps them): ``show`` imports this module for the
# population's vintage and never compares names.
_KIND_WORDS = {
    "epci": r"(?:ca|cc|cu|communaute (?:d'agglomeration|de communes|urbaine)|metropole)\s+",
    "departement": r"(?:departement|conseil departemental)\s+(?:du |de la |de l'|des |de |d')?",
    "region": r"(?:region|conseil regional)\s+(?:du |de la |de l'|des |de |d')?",
}


def _plain(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split())


def name_key(kind: str, name: str) -> str:
    """What two names of the same body have in common, for comparing a name with the reference's."""
    folded = _plain(name)
    words = _KIND_WORDS.get(kind)
    return re.sub(words, "", folded, count=1) if words and re.match(words, folded) else folded


class _Bodies(NamedTuple):
    by_code: dict[str, Body]
    by_name: dict[tuple[str, str], list[Body]]


@cache
def _bodies() -> _Bodies:
    import gzip  # only import and the build read this file

    by_code: dict[str, Body] = {}
    by_name: dict[tuple[str, str], list[Body]] = {}
    with gzip.open(BODIES_PATH, "rt", encoding="utf-8") as lines:
        for line in lines:
            kind, code, name, departments, population = line.rstrip("\n").split("\t")
            body = Body(kind, code, name, tuple(departments.split(",")), int(population))
            by_code[code] = body
            by_name.setdefault((kind, name_key(kind, name)), []).append(body)
    return _Bodies(by_code, by_name)


def body_by_code(code: str) -> Body | None:
    """The commune, arrondissement or EPCI of an INSEE code or SIREN, if the reference has it."""
    return _bodies().by_code.get(code)


def link(kind: str, name: str, department: str | None) -> Body | None:
    """The reference body that ``name`` in ``department`` is, when exactly one matches; else None.

    Communes, arrondissements and EPCI come from the bodies file; a département
    or région is linked by its name to the régions and départements, and its
    population is the sum of its communes'.
    """
    key = name_key(kind, name)
    if kind == "region":
        matches: Sequence[Body] = [
            Body("region", r.code, r.name, (), r.population) for r in regions() if _plain(r.name) == key
        ]
    elif kind == "departement":
        matches = [
            Body("departement", d.code, d.name, (d.code,), d.population)
            for d in departements()
            if _plain(d.name) == key and d.code == department
        ]
    else:
        matches = [body for body in _bodies().by_name.get((kind, key), ()) if department in body.departments]
    return matches[0] if len(matches) == 1 else None


# --------------------------------------------------------------------------- checking imported bodies


def region_named(value: str) -> Region:
    """The région whose name ``value`` is, accents and case aside (no prefix: a stored name is whole)."""
    wanted = _plain(value)
    for region in regions():
        if _plain(region.name) == wanted:
            return region
    meant = find_region(value)  # raises UnknownPlace with the closest régions
    raise UnknownPlace(_("unknown région name {value}; did you mean {name}?").format(value=quoted(value), name=quoted(meant.name)))


def departement_coded(value: str) -> Departement:
    """The département whose code ``value`` is ("2a" and "9" read as 2A and 09)."""
    departement = _departement_by_code().get(normalise_departement_code(value))
    if departement is not None:
        return departement
    meant = find_departement(value)  # raises UnknownPlace with the closest codes
    raise UnknownPlace(
        _("{value} is not a département code; did you mean {code} ({name})?").format(value=quoted(value), code=meant.code, name=meant.name)
    )


def checked_bodies(bodies: Sequence[Laureate]) -> tuple[tuple[Laureate, ...], list[str]]:
    """Bodies checked against the reference, with a missing code or population filled in.

    Every département code and région name must exist, and a body's région
    must be its département's; both are written back as the reference spells
    them. A missing population is taken from the body's code when it has one;
    a missing code (and population) from the one body of that kind, name and
    département, when exactly one matches. Returns the bodies and, for each
    one left incomplete, a note saying so (for the import summary).

    Raises :class:`UnknownPlace` naming the body ("laureates[2].region …").
    """
    checked: list[Laureate] = []
    notes: list[str] = []
    for position, body in enumerate(bodies, 1):
        try:
            region = region_named(body.region)
        except UnknownPlace as error:
            raise UnknownPlace(_("laureates[{position}].region: {problem}").format(position=position, problem=error)) from None
        department = None
        if body.department is not None:
            try:
                departement = departement_coded(body.department)
            except UnknownPlace as error:
                raise UnknownPlace(_("laureates[{position}].department: {problem}").format(position=position, problem=error)) from None
            if departement.region != region.code:
                actual = _region_by_code()[departement.region].name
                raise UnknownPlace(
                    _("laureates[{position}].region {region} is not the région of département {code} ({name}), which is {actual}").format(
                        position=position, region=quoted(body.region), code=departement.code, name=departement.name, actual=actual
                    )
                )
            department = departement.code
        body = body._replace(department=department, region=region.name)
        if body.code is None or body.population is None:
            body = _completed(body)
            if body.code is None or body.population is None:
                missing = _(" and ").join(name for name in ("code", "population") if getattr(body, name) is None)
                if body.department:
                    note = _("laureates[{position}] {name}: {missing} left empty (no single {kind} of that name in département {department} in the reference)")
                else:
                    note = _("laureates[{position}] {name}: {missing} left empty (no single {kind} of that name in the reference)")
                notes.append(note.format(position=position, name=quoted(body.name), missing=missing, kind=body.kind, department=body.department))
        checked.append(body)
    return tuple(checked), notes


def _completed(body: Laureate) -> Laureate:
    if body.code is not None:
        population = _population_of_code(body.kind, body.code)
        return body._replace(population=population) if population is not None else body
    found = link(body.kind, body.name, body.department)
    if found is None:
        return body
    return body._replace(code=found.code, population=found.population if body.population is None else body.population)


def _population_of_code(kind: str, code: str) -> int | None:
    if kind == "region":
        region = _region_by_code().get(code)
        return region.population if region else None
    if kind == "departement":
        departement = _departement_by_code().get(code)
        return departement.population if departement else None
    found = body_by_code(code)
    return found.population if found is not None and found.kind == kind else None
