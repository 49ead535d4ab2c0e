"""Where the palmarès is stored, and reading it safely.

The store is a TinyDB JSON file whose table ``awards`` holds one document per
award. Reading never writes: the file is opened read-only, so that a packaged
or shared store keeps its bytes, and a missing file is reported, not created.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from territoria_cli.model import Award, InvalidAward

#: Environment variable naming the store when ``--db`` is not given.
STORE_ENV_VAR = "TERRITORIA_DB"
#: The TinyDB table holding the awards.
AWARDS_TABLE = "awards"


class StoreError(Exception):
    """The store cannot be used; the message names the file and what is wrong."""


def packaged_store_path() -> Path:
    """The palmarès shipped with territoria.

    An installed package carries its copy in ``territoria_cli/data``; a source
    checkout run without installing reads the repository's ``data/awards.json``.
    """
    installed = Path(__file__).parent / "data" / "awards.json"
    if installed.exists():
        return installed
    return Path(__file__).resolve().parents[2] / "data" / "awards.json"


def resolve_store_path(explicit: Path | None = None) -> Path:
    """The store to use: ``--db`` first, then ``$TERRITORIA_DB``, then the packaged one."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(STORE_ENV_VAR)
    if from_env:
        return Path(from_env)
    return packaged_store_path()


def read_documents(path: Path) -> dict[str, object]:
    """The raw award documents of the store, keyed by TinyDB document id.

    Uses TinyDB's own JSON storage, read-only and in UTF-8, and checks the
    shape TinyDB itself would silently accept or crash on (an empty file, a
    list at the top, a missing table).
    """
    from tinydb.storages import JSONStorage

    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file")
    try:
        storage = JSONStorage(str(path), access_mode="r", encoding="utf-8")
    except FileNotFoundError:
        raise StoreError(f"{path}: no such store file") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        content = storage.read()
    except json.JSONDecodeError as error:
        raise StoreError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None
    finally:
        storage.close()
    if content is None:
        raise StoreError(f"{path}: the file is empty, expected a TinyDB store with an {AWARDS_TABLE!r} table")
    if not isinstance(content, dict) or not isinstance(content.get(AWARDS_TABLE), dict):
        raise StoreError(f"{path}: not a territoria store: expected an object with an {AWARDS_TABLE!r} table")
    return content[AWARDS_TABLE]


def load_awards(path: Path) -> list[Award]:
    """Read and validate every award of the store, in stored order.

    Raises :class:`StoreError` naming the file and the first document at fault.
    """
    awards = []
    seen: set[str] = set()
    for doc_id, document in read_documents(path).items():
        try:
            award = Award.from_document(document)
        except InvalidAward as error:
            label = document.get("id") if isinstance(document, dict) else None
            where = f"document {doc_id}" + (f" ({label})" if isinstance(label, str) else "")
            raise StoreError(f"{path}: {where}: {error}") from None
        if award.id in seen:
            raise StoreError(f"{path}: document {doc_id}: duplicate id {award.id!r}")
        seen.add(award.id)
        awards.append(award)
    return awards
