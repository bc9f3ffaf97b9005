"""Grandstream phone fleet emulator: `python -m emulator --help`; contract in docs/emulator.md."""
