"""``python -m territoria_cli``: the same command as the ``territoria`` script."""

from territoria_cli.cli import main

if __name__ == "__main__":
    main()
