"""The cells every format shares: columns, values in the reader's language."""

from __future__ import annotations

import json

import pytest

from territoria_cli.errors import UsageError
from territoria_cli.formats.columns import cell_value, parse_columns

#: The library's messages are read here in English, the language of the source strings;
#: test_cli.py runs the command in French (the default) and in English.
pytestmark = pytest.mark.usefixtures("english_messages")


def test_cells_in_the_readers_language(real_awards):
    angers = next(a for a in real_awards if a.excellence)
    assert cell_value(angers, "level") == "Or"
    assert cell_value(angers, "level", "en") == "Gold"
    assert cell_value(angers, "excellence") == "oui"
    assert cell_value(angers, "excellence", "en") == "yes"
    assert cell_value(angers, "kind") == "Commune ; EPCI"
    assert cell_value(angers, "department") == "49"
    assert cell_value(angers, "region") == "Pays de la Loire"
    assert json.loads(cell_value(angers, "laureates")) == [body.to_document() for body in angers.laureates]
    region = next(a for a in real_awards if a.laureates[0].kind == "region")
    assert cell_value(region, "department") == ""
    assert cell_value(region, "budget") != ""
    assert cell_value(next(a for a in real_awards if a.budget is None), "budget") == ""


def test_parse_columns():
    assert parse_columns("id,title") == ("id", "title")
    assert parse_columns(" Title , ID,title,") == ("title", "id")
    with pytest.raises(UsageError, match='unknown column.*"price".*choose among: id, year'):
        parse_columns("id,price")
    with pytest.raises(UsageError, match="no columns"):
        parse_columns(" , ")
