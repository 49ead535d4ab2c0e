"""Fixtures shared by the test modules: award documents and Awards, small stores in tmp_path, the real palmarès."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from territoria_cli import i18n, store
from territoria_cli.model import Award


def award_document(award_id: str = "2099-testville-jardins-partages", **overrides: Any) -> dict[str, Any]:
    """A valid award document; keyword arguments replace fields."""
    document: dict[str, Any] = {
        "id": award_id,
        "year": 2099,
        "level": "argent",
        "category": "Qualité de vie",
        "sponsor": "Sodexo",
        "laureate": "Testville",
        "laureates": [
            {"name": "Testville", "kind": "commune", "department": "06", "region": "Provence-Alpes-Côte d'Azur",
             "code": None, "population": None}
        ],
        "title": "Des jardins partagés « pour tous »",
        "summary_title": "Jardins partagés",
        "summary": "La ville ouvre des jardins ; chacun récolte.\n\nUn deuxième paragraphe.",
        "excellence": False,
        "budget": None,
    }
    document.update(overrides)
    return document


def write_store(path: Path, documents: Sequence[dict[str, Any] | Award]) -> Path:
    """Write a TinyDB store holding ``documents`` (dicts or Awards) under ids 1, 2, …"""
    plain = [document.to_document() if isinstance(document, Award) else document for document in documents]
    content = {"awards": {str(doc_id): document for doc_id, document in enumerate(plain, 1)}}
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def make_award_document() -> Callable[..., dict[str, Any]]:
    return award_document


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[..., Path]:
    """Build a store in tmp_path: ``make_store([doc, ...], name="store.json")``."""

    def make(documents: Sequence[dict[str, Any] | Award], name: str = "store.json") -> Path:
        return write_store(tmp_path / name, documents)

    return make


@pytest.fixture(scope="session")
def make_award() -> Callable[..., Award]:
    """An :class:`Award` from :func:`award_document`: ``make_award(id="x", title="Compost")``."""

    def make(**overrides: Any) -> Award:
        return Award.from_document(award_document(**overrides))

    return make


@pytest.fixture
def hostile(make_award) -> Award:
    return make_award(
        id="2099-hostile",
        title="=HYPERLINK(\"http://x\")",
        laureate="+33 Ville | Agglo",
        summary="Première ligne | avec barre\nseconde ligne\r\n\\ fin <b>gras</b>",
        budget="-10 €",
        sponsor="@moi",
    )


@pytest.fixture(scope="session")
def real_awards() -> list[Award]:
    """The packaged palmarès (38 awards); tests using it skip while data/awards.json is absent."""
    path = store.packaged_store_path()
    if not path.exists():
        pytest.skip(f"{path} not built yet")
    return store.load_awards(path)


@pytest.fixture(autouse=True)
def pinned_cli_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Make the command line's output independent of the shell running the tests.

    As fastapi-cli's tests pin Rich's width and terminal detection: a fixed
    width, no colour or terminal forcing, no user store or language from the
    environment, and a private cache folder for search indexes.
    """
    for name in (
        "TERRITORIA_DB",
        "TERRITORIA_SYNONYMS",
        "TERRITORIA_LANG",
        "TERRITORIA_FORCE_TTY",
        "NO_COLOR",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "TTY_INTERACTIVE",
        "LINES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language (French): a command run with --lang en changes it for the process."""
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def english_messages() -> None:
    """Library messages in English, the language of the source strings, for tests that read them."""
    i18n.set_language("en")
