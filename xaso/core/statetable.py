"""A plain table of allowed status changes (DESIGN.md §3: "Signalen"), for any record with a
state: from which state, by which action, to which state, and who may take it.

    TABLE = StateTable([*rows(["received"], "classify", "handling", "reception"), ...])
    TABLE.transition("received", "classify")     # the row, or None
    TABLE.allowed_actions("received", {"reception"})
    TABLE.replay([("file", "received"), ...])    # proves a history leads to its state

`dossiers/workflow.py` holds the dossier's own table (with its two communes' steps); the
feedback of citizens (`xaso.feedback.workflow`) uses this one.
"""

from collections.abc import Iterable
from dataclasses import dataclass

NEW = ""  # before the record exists


@dataclass(frozen=True)
class Row:
    source: str
    action: str
    target: str
    actors: frozenset[str]


def rows(sources: Iterable[str], action: str, target: str | None, *actors: str) -> list[Row]:
    """One row per source state; `target=None` leaves the state as it is (a rating)."""
    return [
        Row(source, action, source if target is None else target, frozenset(actors))
        for source in sources
    ]


class StateTable:
    def __init__(self, table: Iterable[Row]) -> None:
        self.rows: tuple[Row, ...] = tuple(table)
        self._by_key = {(row.source, row.action): row for row in self.rows}
        self.actions = frozenset(row.action for row in self.rows)

    def transition(self, source: str, action: str) -> Row | None:
        return self._by_key.get((source, action))

    def allowed_actions(self, state: str, actors: Iterable[str]) -> list[str]:
        held = frozenset(actors)
        return [row.action for row in self.rows if row.source == state and row.actors & held]

    def replay(self, actions: Iterable[tuple[str, str]]) -> str:
        state = NEW
        for action, target in actions:
            row = self.transition(state, action)
            if row is None or row.target != target:
                raise ValueError(f"{action!r} from {state!r} to {target!r} is not in the table")
            state = row.target
        return state
