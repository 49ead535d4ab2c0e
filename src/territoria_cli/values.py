"""The values a filter accepts, with how many awards each keeps: ``territoria values FIELD`` and completion.

Counts are of awards, so each is what the matching filter would list
(``values region`` says 5 for Occitanie: ``list --region occitanie`` gives 5
awards). Levels, kinds and years come in their natural order; names (categories,
regions, départements, sponsors, laureates) the most frequent first, then
alphabetically, accents aside. ``--region`` and ``--department`` accept every
official région and département, so those that won nothing follow, with 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from territoria_cli.errors import UsageError
from territoria_cli.i18n import _
from territoria_cli.model import KINDS, LEVELS, AwardFacts
from territoria_cli.text import fold, quoted


def _once(names: Iterable[str | None]) -> list[str]:
    return [name for name in dict.fromkeys(names) if name]


#: Field name -> the values one award has for it (an award counts once per value).
FIELDS: dict[str, Callable[[AwardFacts], list[str]]] = {
    "category": lambda award: [award.category],
    "level": lambda award: [award.level],
    "region": lambda award: _once(body.region for body in award.laureates),
    "department": lambda award: _once(body.department for body in award.laureates),
    "kind": lambda award: _once(body.kind for body in award.laureates),
    "sponsor": lambda award: _once([award.sponsor]),
    "laureate": lambda award: [award.laureate],
    "year": lambda award: [str(award.year)],
}

#: Fields listed in a fixed order rather than by frequency.
_NATURAL_ORDER: dict[str, Callable[[str], int]] = {
    "level": lambda value: LEVELS.index(value),  # type: ignore[arg-type]
    "kind": lambda value: KINDS.index(value),  # type: ignore[arg-type]
    "year": int,
}


def count_values(awards: Sequence[AwardFacts], field: str) -> list[tuple[str, int]]:
    """Each value of ``field`` in ``awards`` with the number of awards that have it."""
    read = FIELDS.get(field)
    if read is None:
        raise UsageError(
            _("unknown field {field}; valid fields: {fields}").format(field=quoted(field), fields=", ".join(FIELDS))
        )
    counts = Counter(value for award in awards for value in read(award))
    natural = _NATURAL_ORDER.get(field)
    if natural is not None:
        return sorted(counts.items(), key=lambda item: natural(item[0]))
    return sorted(counts.items(), key=lambda item: (-item[1], fold(item[0]), item[0]))


def stored_names(awards: Sequence[AwardFacts], field: str) -> list[str]:
    """The names ``awards`` hold for ``field``, in :func:`count_values` order: what typed filter values resolve against."""
    return [name for name, _count in count_values(awards, field)]


def accepted_values(awards: Sequence[AwardFacts], field: str) -> list[tuple[str, int]]:
    """:func:`count_values`, then the official régions or départements that won nothing, with 0."""
    counts = count_values(awards, field)
    if field not in ("region", "department"):
        return counts
    from territoria_cli import geography

    official = [region.name for region in geography.regions()] if field == "region" else [d.code for d in geography.departements()]
    seen = {value for value, _count in counts}
    return counts + [(name, 0) for name in sorted(official, key=fold) if name not in seen]
