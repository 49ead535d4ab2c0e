"""JSON exports: the documents as stored, read back by the model and by import."""

from __future__ import annotations

import json
from pathlib import Path

from territoria_cli import files
from territoria_cli.formats.json import to_json, write
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


def test_columns_pick_the_keys_with_json_values(real_awards):
    angers = next(award for award in real_awards if len(award.laureates) == 2)
    (document,) = json.loads(write([angers], ("kind", "excellence", "year", "department", "region", "budget")))
    assert document == {
        "kind": ["commune", "epci"],
        "excellence": True,
        "year": 2017,
        "department": ["49"],  # both bodies are in Maine-et-Loire: once
        "region": ["Pays de la Loire"],
        "budget": angers.budget,
    }
    assert json.loads(write(real_awards, None)) == json.loads(to_json(real_awards))


def test_code_and_population_give_one_value_per_body(real_awards):
    angers = next(award for award in real_awards if len(award.laureates) == 2)
    (document,) = json.loads(write([angers], ("code", "population")))
    assert document == {
        "code": [body.code for body in angers.laureates],
        "population": [body.population for body in angers.laureates],
    }
    assert len(document["code"]) == 2 and all(isinstance(number, int) for number in document["population"])
