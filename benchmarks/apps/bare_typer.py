"""Baseline: the smallest Typer app with the same two commands as territoria.

It pays only for the interpreter, ``import typer`` and argument parsing; the
difference to ``territoria list/search`` is therefore what territoria adds on
top of Typer itself (store loading, filtering, output, extra imports). Run it
with the territoria venv's Python so Typer and Python versions are identical.
"""

import typer

app = typer.Typer()


@app.command("list")
def list_awards(level: str = typer.Option("", help="Award level.")) -> None:
    """Print one line naming the level."""
    typer.echo(f"list level={level}")


@app.command()
def search(query: str) -> None:
    """Print one line naming the query."""
    typer.echo(f"search {query}")


if __name__ == "__main__":
    app()
