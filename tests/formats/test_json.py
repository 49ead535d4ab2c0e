"""JSON exports: the documents as stored, read back by the model and by import."""

from __future__ import annotations

import json
from pathlib import Path

from territoria_cli import files
from territoria_cli.formats.json import to_json
from territoria_cli.model import Award
from territoria_cli.store import import_awards, load_awards, packaged_store_path, read_import_file


def test_json_round_trips_through_the_model(real_awards):
    documents = json.loads(to_json(real_awards))
    assert [Award.from_document(document) for document in documents] == real_awards
    assert "Récup'vélos" in to_json(real_awards)  # UTF-8, not \\u escapes


def test_a_json_export_of_the_palmares_imports_back_unchanged(tmp_path: Path) -> None:
    palmares = load_awards(packaged_store_path())
    source = tmp_path / "export.json"
    files.atomic_write_text(source, to_json(palmares))
    store = tmp_path / "copy.json"
    import_awards(store, read_import_file(source))
    assert load_awards(store) == palmares
    # Same awards, same TinyDB shape and formatting as the packaged file.
    assert store.read_bytes() == packaged_store_path().read_bytes()
