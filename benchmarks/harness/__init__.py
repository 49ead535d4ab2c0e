"""Benchmark harness for the territoria CLI (standard library only).

The harness lives outside the ``territoria_cli`` package on purpose: it must
measure the installed console script exactly as a user runs it, and must never
add a dependency (such as sqlite-utils) to the project itself.
"""
