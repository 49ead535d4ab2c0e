"""A real terminal for tests: a program in a tmux window, keys typed into it, the screen read back.

Used where only a terminal shows the behaviour: zsh's completion (its line
editor) and the colours a terminal really receives (``capture-pane -e``).
Tests that need it skip without tmux, except under CI (``CI`` set), where a
missing program is a failure (``.ci/run`` installs what the tests need).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid

import pytest


def need(program: str) -> str:
    """The path of ``program``; skip the test without it, fail under CI."""
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed (apt-get install {program})"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run this test")
        pytest.skip(message)
    return path


class Terminal:
    """``command`` running in a tmux window of ``width`` columns, with exactly the environment ``env``."""

    def __init__(self, command: list[str], env: dict[str, str], *, width: int = 160, style: str | None = None) -> None:
        self.tmux = need("tmux")
        self.socket = f"territoria-test-{uuid.uuid4().hex[:8]}"
        environment = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        self._tmux("new-session", "-d", "-x", str(width), "-y", "50", f"env -i {environment} {shlex.join(command)}; sleep 60")
        if style:
            self._tmux("set-option", "-g", "window-style", style)

    def _tmux(self, *args: str) -> str:
        return subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def screen(self, *, escapes: bool = False) -> str:
        """The visible screen; with ``escapes``, with the colour codes the program sent (``capture-pane -e``)."""
        return self._tmux("capture-pane", "-p", *(["-e"] if escapes else []))

    def wait_for(self, wanted: str, timeout: float = 30.0, *, escapes: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen(escapes=escapes)
            if wanted in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{wanted!r} never appeared on the screen:\n{self.screen()}")

    def type(self, text: str, *keys: str) -> None:
        self._tmux("send-keys", "-l", text)
        for key in keys:
            self._tmux("send-keys", key)

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)
