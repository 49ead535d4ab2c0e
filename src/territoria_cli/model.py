"""The data contract: what an award document is, and the names shown for it.

Every other module takes level names, kinds of body, field names and their
French/English labels from here, so that a fact is stated once. Validation is
hand-written rather than delegated to pydantic: importing pydantic alone costs
more than the whole start-up budget of the CLI, and the schema is small.
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from territoria_cli.i18n import N_, Lang, _
from territoria_cli.text import fold, quoted

Level = Literal["or", "argent", "bronze"]
Kind = Literal["commune", "arrondissement", "epci", "departement", "region"]

#: Levels from the highest award down; this order is the natural sort order.
LEVELS: tuple[Level, ...] = ("or", "argent", "bronze")
KINDS: tuple[Kind, ...] = ("commune", "arrondissement", "epci", "departement", "region")

#: What users may type for a level (after folding), beyond the level itself.
LEVEL_ALIASES: dict[str, Level] = {
    "d'or": "or",
    "gold": "or",
    "d'argent": "argent",
    "silver": "argent",
    "de bronze": "bronze",
}

LEVEL_LABELS: dict[Lang, dict[Level, str]] = {
    "fr": {"or": "Or", "argent": "Argent", "bronze": "Bronze"},
    "en": {"or": "Gold", "argent": "Silver", "bronze": "Bronze"},
}

KIND_LABELS: dict[Lang, dict[Kind, str]] = {
    "fr": {
        "commune": "Commune",
        "arrondissement": "Arrondissement",
        "epci": "EPCI",
        "departement": "Département",
        "region": "Région",
    },
    "en": {
        "commune": "Municipality",
        "arrondissement": "District",
        "epci": "Intermunicipality (EPCI)",
        "departement": "Département",
        "region": "Region",
    },
}

#: Labels of the award fields for readers (table headers, CSV header, reports).
#: The keys are the public field names, also the keys of ``--columns``.
FIELD_LABELS: dict[Lang, dict[str, str]] = {
    "fr": {
        "id": "Identifiant",
        "year": "Année",
        "level": "Niveau",
        "category": "Catégorie",
        "sponsor": "Parrain",
        "laureate": "Lauréat",
        "laureates": "Collectivités",
        "kind": "Type de collectivité",
        "department": "Département",
        "region": "Région",
        "code": "Code officiel",
        "population": "Population",
        "title": "Titre",
        "summary_title": "Titre du résumé",
        "summary": "Résumé",
        "excellence": "TERRITORIA d'Excellence",
        "budget": "Budget",
    },
    "en": {
        "id": "ID",
        "year": "Year",
        "level": "Level",
        "category": "Category",
        "sponsor": "Sponsor",
        "laureate": "Laureate",
        "laureates": "Bodies",
        "kind": "Kind of body",
        "department": "Département",
        "region": "Region",
        "code": "Official code",
        "population": "Population",
        "title": "Title",
        "summary_title": "Summary title",
        "summary": "Summary",
        "excellence": "TERRITORIA d'Excellence",
        "budget": "Budget",
    },
}


class InvalidAward(ValueError):
    """An award document breaks the contract; the message says which and how."""


class Laureate(NamedTuple):
    """One legal body behind an award (a joint dossier has several).

    ``code`` and ``population`` link the body to the official geography (see
    docs/data.md, "Geography"); both may be null, and stores written before they
    existed are read with null for both.
    """

    name: str
    kind: Kind
    department: str | None
    region: str
    code: str | None = None
    population: int | None = None

    def to_document(self) -> dict[str, Any]:
        return self._asdict()


class Award(NamedTuple):
    """One award of the palmarès, as stored in ``data/awards.json``.

    Award and Laureate are NamedTuples rather than frozen dataclasses: the same
    immutable, typed records, but defining one costs a fifth as much at import
    (0.3 ms against 1.3 ms for Award, measured; start-up is the product) and
    building one is several times cheaper (100,000 awards load faster).
    """

    id: str
    year: int
    level: Level
    category: str
    sponsor: str | None
    laureate: str
    laureates: tuple[Laureate, ...]
    title: str
    summary_title: str
    summary: str
    excellence: bool
    budget: str | None

    @classmethod
    def from_document(cls, document: Any) -> Award:
        """Validate a stored or imported document and build the award.

        Raises :class:`InvalidAward` naming the first field at fault; callers
        add where the document came from (file, position).

        Written for speed where every award passes (100,000 of them on the
        first command after a big store changed): the values are taken in one
        C call, exact JSON types are checked first and the general check,
        which names the field at fault, runs only when one differs, and the
        tuple is built without keyword arguments. Measured at 100,000 awards
        (same process, alternating): 0.63-0.69 s before, 0.44 s after.
        """
        if not isinstance(document, dict):
            raise InvalidAward(_("expected an object, got {type}").format(type=_type_name(document)))
        if document.keys() != _FIELD_SET:
            missing = [name for name in AWARD_FIELDS if name not in document]
            if missing:
                raise InvalidAward(_("missing field(s): {fields}").format(fields=", ".join(missing)))
            raise InvalidAward(_("unknown field(s): {fields}").format(fields=", ".join(sorted(set(document) - _FIELD_SET))))
        values = _field_values(document)
        (award_id, year, level, category, sponsor, laureate, bodies, title, summary_title, summary, excellence, budget) = values
        if not (  # _SCALAR_TYPES written out for exact types; _check_scalar_types stays the rule and names the fault
            type(award_id) is str
            and type(year) is int
            and type(level) is str
            and type(category) is str
            and (sponsor is None or type(sponsor) is str)
            and type(laureate) is str
            and type(title) is str
            and type(summary_title) is str
            and type(summary) is str
            and type(excellence) is bool
            and (budget is None or type(budget) is str)
        ):
            _check_scalar_types(document)
        for name, text in (
            ("id", award_id),
            ("category", category),
            ("laureate", laureate),
            ("title", title),
            ("summary_title", summary_title),
            ("summary", summary),
        ):
            if not text or text.isspace():  # not strip(): no copy of every summary
                raise InvalidAward(_("field {field} must not be empty").format(field=quoted(name)))
        if level not in LEVELS:
            raise InvalidAward(
                _("level {value} is not one of {levels}").format(value=quoted(str(level)), levels=", ".join(LEVELS))
            )
        if not isinstance(bodies, list) or not bodies:
            raise InvalidAward(_("field {field} must be a non-empty list of bodies").format(field=quoted("laureates")))
        laureates = (_laureate(bodies[0], 1),) if len(bodies) == 1 else tuple(map(_laureate, bodies, range(1, len(bodies) + 1)))
        return tuple.__new__(
            cls, (award_id, year, _CANONICAL[level], category, sponsor, laureate, laureates, title, summary_title, summary, excellence, budget)
        )

    def to_document(self) -> dict[str, Any]:
        """The award as stored and as printed by ``--json``: plain JSON types."""
        document = self._asdict()
        document["laureates"] = [body.to_document() for body in self.laureates]
        return document


class Facts(NamedTuple):
    """An award without its summary, summary title, excellence and budget: what filters, sorting and counts read.

    A big store's catalogue keeps these beside the awards
    (:meth:`territoria_cli.catalogue.Catalogue.facts`): they load in a fifth
    of the time and memory of whole awards (the summaries are most of a
    store's bytes), so that ``list --level or --limit 5`` filters and sorts
    100,000 of these and reads whole only the five awards it shows.
    ``position`` is the award's place in the store. The other fields are
    :class:`Award`'s, same names, same order (a test checks it).
    """

    position: int
    id: str
    year: int
    level: Level
    category: str
    sponsor: str | None
    laureate: str
    laureates: tuple[Laureate, ...]
    title: str


#: What filters, sorting and counts accept: whole awards or their facts.
AwardFacts = Award | Facts


#: The public field names, in the order of the stored documents.
AWARD_FIELDS: tuple[str, ...] = Award._fields
#: The fields ``stats --by`` counts awards by (kind, département and région are those of the bodies).
BY_FIELDS: tuple[str, ...] = ("level", "category", "kind", "region", "department", "sponsor", "year", "laureate")
_FIELD_SET = frozenset(AWARD_FIELDS)

#: The values of a document's fields in :data:`AWARD_FIELDS` order, in one C call.
_field_values = operator.itemgetter(*AWARD_FIELDS)

_SCALAR_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "year": int,
    "level": str,
    "category": str,
    "sponsor": (str, type(None)),
    "laureate": str,
    "title": str,
    "summary_title": str,
    "summary": str,
    "excellence": bool,
    "budget": (str, type(None)),
}


def _check_scalar_types(document: dict[str, Any]) -> None:
    """Name the first field whose value is not of its JSON type (a subclass of the type passes)."""
    for name, expected in _SCALAR_TYPES.items():
        value = document[name]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise InvalidAward(
                _("field {field} must be {expected}, got {type}").format(
                    field=quoted(name), expected=_expected_name(expected), type=_type_name(value)
                )
            )


def _laureate(body: Any, position: int) -> Laureate:
    # Messages are built only on failure: a 100,000-award store validates ~100,000 bodies.
    if not isinstance(body, dict):
        raise InvalidAward(_("laureates[{position}] must be an object, got {type}").format(position=position, type=_type_name(body)))
    if not body.keys() <= _BODY_FIELDS:
        unknown = ", ".join(sorted(set(body) - _BODY_FIELDS))
        raise InvalidAward(_("laureates[{position}] has unknown field(s): {fields}").format(position=position, fields=unknown))
    get = body.get
    name, kind, region = get("name"), get("kind"), get("region")
    if not (type(name) is str and type(region) is str and kind in _KIND_SET and name and not name.isspace() and region and not region.isspace()):
        # Not the plain case (a known kind, two texts): the general check names the field at fault.
        for field, value in (("name", name), ("kind", kind), ("region", region)):
            if not isinstance(value, str) or not value or value.isspace():
                raise InvalidAward(_("laureates[{position}].{field} must be a non-empty string").format(position=position, field=field))
    if kind not in KINDS:
        raise InvalidAward(
            _("laureates[{position}].kind {value} is not one of {kinds}").format(
                position=position, value=quoted(str(kind)), kinds=", ".join(KINDS)
            )
        )
    department = get("department")
    if kind == "region":
        if department is not None:
            raise InvalidAward(_("laureates[{position}].department must be null for a région").format(position=position))
    elif not isinstance(department, str) or not department:
        raise InvalidAward(
            _('laureates[{position}].department must be a département code such as "06" or "971"').format(position=position)
        )
    code = get("code")
    if code is not None and not (isinstance(code, str) and _code_formats()[kind].fullmatch(code)):
        raise InvalidAward(
            _("laureates[{position}].code {code} is not {expected}, or null").format(
                position=position, code=quoted(str(code)), expected=_(_CODE_EXAMPLES[kind])
            )
        )
    if code is not None and department is not None and kind != "epci" and not code.startswith(department):
        # A commune's INSEE code begins with its département's; a département's code is its département.
        raise InvalidAward(
            _("laureates[{position}].code {code} is not in département {department}").format(
                position=position, code=quoted(code), department=department
            )
        )
    population = get("population")
    if population is not None and (not isinstance(population, int) or isinstance(population, bool) or population < 0):
        raise InvalidAward(_("laureates[{position}].population must be a non-negative integer or null").format(position=position))
    return tuple.__new__(Laureate, (name, _CANONICAL[kind], department, region, code, population))


_BODY_FIELDS = frozenset(Laureate._fields)
_KIND_SET = frozenset(KINDS)
#: Each level and kind as one string object, the same whichever parser read the store: marshal writes a string
#: differently when it is interned (as msgspec's are, json's not), and the catalogue's chunk digests must
#: depend on the values alone (see :func:`territoria_cli.catalogue._chunk_rows`).
_CANONICAL: dict[str, str] = {name: name for name in (*LEVELS, *KINDS)}


@functools.cache
def document_decoder() -> Any:
    """A msgspec decoder of a TinyDB store whose ``awards`` table holds award documents of the right JSON types.

    Part of the contract checked in C while the JSON is parsed, from the
    facts above (:data:`AWARD_FIELDS` and their types, :data:`LEVELS`,
    :data:`KINDS`, the body fields): exact field sets, types, level and kind.
    The rest is :func:`awards_of_decoded`. A store it refuses is not
    necessarily wrong (an integer beyond 64 bits, a lone surrogate to
    report): it is then read and validated as any other, which says why.
    Built on first use: msgspec is imported by big stores only.
    """
    import msgspec

    def json_type(expected: type | tuple[type, ...]) -> Any:
        return functools.reduce(operator.or_, expected) if isinstance(expected, tuple) else expected

    body = msgspec.defstruct(
        "Body",
        [
            ("name", str),
            ("kind", Literal[KINDS]),  # type: ignore[valid-type]
            ("department", str | None, None),
            ("region", str),
            ("code", str | None, None),
            ("population", int | None, None),
        ],
        kw_only=True,
        forbid_unknown_fields=True,
        gc=False,
    )
    types = {**{name: json_type(expected) for name, expected in _SCALAR_TYPES.items()}, "level": Literal[LEVELS], "laureates": list[body]}  # type: ignore[valid-type]
    document = msgspec.defstruct("Document", [(name, types[name]) for name in AWARD_FIELDS], forbid_unknown_fields=True, gc=False)
    store = msgspec.defstruct("Store", [("awards", dict[str, document])])  # type: ignore[valid-type]
    return msgspec.json.Decoder(store)


def awards_of_decoded(documents: Iterable[Any]) -> list[Award] | None:
    """The awards of documents decoded by :func:`document_decoder`; ``None`` if one breaks a rule left to check here.

    These are the rules of :meth:`Award.from_document` and :func:`_laureate`
    that types cannot say (no empty text, at least one body, a département
    where one is due, the form of codes, no negative population); a test
    holds both to the same answers. Messages are not built here: a refused
    store is validated again by :meth:`Award.from_document`, which names the
    fault. Measured at 100,000 awards: decoding with the types 0.52-0.60 s
    and this 0.2 s, against 0.63 s of plain decoding and 0.45 s of
    :meth:`Award.from_document`.
    """
    formats = _code_formats()
    awards = []
    new = tuple.__new__
    for document in documents:
        for text in (document.id, document.category, document.laureate, document.title, document.summary_title, document.summary):
            if not text or text.isspace():
                return None
        if not document.laureates:
            return None
        bodies = []
        for body in document.laureates:
            name, kind, department, region, code, population = (
                body.name, body.kind, body.department, body.region, body.code, body.population
            )
            if not name or name.isspace() or not region or region.isspace():
                return None
            if (department is not None) if kind == "region" else not department:
                return None
            if code is not None and (
                not formats[kind].fullmatch(code) or (department is not None and kind != "epci" and not code.startswith(department))
            ):
                return None
            if population is not None and population < 0:
                return None
            bodies.append(new(Laureate, (name, _CANONICAL[kind], department, region, code, population)))
        awards.append(
            new(
                Award,
                (
                    document.id,
                    document.year,
                    _CANONICAL[document.level],
                    document.category,
                    document.sponsor,
                    document.laureate,
                    tuple(bodies),
                    document.title,
                    document.summary_title,
                    document.summary,
                    document.excellence,
                    document.budget,
                ),
            )
        )
    return awards

#: What ``code`` looks like for each kind of body: INSEE codes, a SIREN for an EPCI.
_CODE_FORMATS: dict[Kind, str] = {
    "commune": r"(?:\d{2}|2[AB])\d{3}",
    "arrondissement": r"(?:\d{2}|2[AB])\d{3}",
    "epci": r"\d{9}",
    "departement": r"\d{2}|2[AB]|97\d",
    "region": r"\d{2}",
}


@functools.cache
def _code_formats() -> dict[Kind, re.Pattern[str]]:
    """:data:`_CODE_FORMATS` compiled, on the first validation: a start that reads the cached catalogue never needs them."""
    return {kind: re.compile(pattern) for kind, pattern in _CODE_FORMATS.items()}
_CODE_EXAMPLES: dict[Kind, str] = {
    "commune": N_('an INSEE commune code such as "09282" or "2A004"'),
    "arrondissement": N_('an INSEE code such as "75109"'),
    "epci": N_('a SIREN of 9 digits such as "244900015"'),
    "departement": N_('a département code such as "06", "2A" or "971"'),
    "region": N_('a région code such as "32"'),
}


#: How messages name the JSON types of a document's values.
_TYPE_NAMES: dict[type, str] = {
    dict: N_("an object"),
    list: N_("a list"),
    str: N_("a string"),
    int: N_("an integer"),
    bool: N_("a boolean"),
    type(None): N_("null"),
}


def _type_name(value: Any) -> str:
    name = _TYPE_NAMES.get(type(value))
    return _(name) if name and type(value) is not int else type(value).__name__


def _expected_name(expected: type | tuple[type, ...]) -> str:
    options = expected if isinstance(expected, tuple) else (expected,)
    return _(" or ").join(_(_TYPE_NAMES[option]) for option in options)


def parse_level(value: str) -> Level:
    """Read a level as a user types it: "OR", "d'Or", "gold", "Argent"…

    Raises :class:`ValueError` listing the valid names.
    """
    folded = fold(value.strip())
    if folded in LEVELS:
        return folded  # type: ignore[return-value]
    if folded in LEVEL_ALIASES:
        return LEVEL_ALIASES[folded]
    raise ValueError(_("unknown level {value}; valid levels: {levels}").format(value=quoted(value), levels=", ".join(LEVELS)))


def parse_kind(value: str) -> Kind:
    """Read a kind of body as a user types it: "Département", "EPCI", "région"…"""
    folded = fold(value.strip())
    if folded in KINDS:
        return folded  # type: ignore[return-value]
    raise ValueError(_("unknown kind {value}; valid kinds: {kinds}").format(value=quoted(value), kinds=", ".join(KINDS)))


def json_text(document: Any) -> str:
    """The one JSON layout of territoria: the store, ``--json`` and JSON exports.

    Accents stay as they are (French readers open these files) and the text is
    indented, so that a diff of two stores shows which award changed.
    """
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
