"""Progress reporting without a UI dependency: the CLI plugs a rich bar into this."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total_units: int, total_bytes: int) -> None: ...
    def unit_started(self, location: str, size: int) -> None: ...
    def unit_finished(self, location: str, records: int, skipped: bool) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, total_units: int, total_bytes: int) -> None:
        pass

    def unit_started(self, location: str, size: int) -> None:
        pass

    def unit_finished(self, location: str, records: int, skipped: bool) -> None:
        pass

    def finish(self) -> None:
        pass
