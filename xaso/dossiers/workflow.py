"""The one-stop workflow of Decree 118/2025 as one table (DESIGN.md §4).

Every state change of a dossier is a row here: from which state, by which action, to which
state, and who may take it. `dossiers.services` looks the row up and refuses anything else; no
other code changes a dossier's state.

Actors are roles of `accounts.Role`, plus two that are not staff: `citizen` (the applicant, by
the lookup secret or account) and `system` (xaso itself, e.g. returning an electronic result
right after signing).

Each step belongs to one commune: the receiving commune's desk receives, refuses, asks for
supplements, resumes, returns and withdraws; the deciding commune's staff assign, process,
propose, decide and sign (a dossier received in one commune for another's decision: the roles
of the two are never pooled).
"""

from dataclasses import dataclass

from xaso.accounts.models import Role

from .models import State

NEW = ""  # before the dossier exists
CITIZEN = "citizen"
SYSTEM = "system"

RECEPTION = Role.RECEPTION.value
SPECIALIST = Role.SPECIALIST.value
LEADER = Role.LEADER.value
COMMUNITY = Role.COMMUNITY_MEMBER.value

# Whose step an action is: the staff of which of the dossier's two communes may take it.
RECEIVING = "receiving"
DECIDING = "deciding"

OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.SUPPLEMENT_REQUESTED,
        State.RECEIVED,
        State.PROCESSING,
        State.PAUSED,
        State.AWAITING_SIGNATURE,
    }
)
FINAL_STATES = frozenset({State.RETURNED, State.REFUSED, State.WITHDRAWN})
# Every state but the final ones (the open ones and "result ready"), as a list a query can take
# to the state index: `~Q(state__in=FINAL_STATES)` made PostgreSQL read every dossier of the
# commune, closed ones included (5 years of them: 0.2 s a page at 1 M dossiers, bench/README.md).
UNFINISHED_STATES = frozenset(State) - FINAL_STATES
# States in which the clock runs towards a due time (for "overdue", "due today", the apology).
CLOCK_STATES = frozenset({State.RECEIVED, State.PROCESSING, State.AWAITING_SIGNATURE})


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actors: frozenset[str]
    step: str = RECEIVING  # RECEIVING or DECIDING: whose commune's staff take it


def _rows(
    sources, action: str, target: str | None, *actors: str, step: str = RECEIVING
) -> list[Transition]:
    """`target=None`: the action leaves the state as it is (hand-over, apology, rating)."""
    return [
        Transition(source, action, source if target is None else target, frozenset(actors), step)
        for source in sources
    ]


TABLE: tuple[Transition, ...] = tuple(
    [
        *_rows([NEW], "submit", State.SUBMITTED, CITIZEN, COMMUNITY, RECEPTION),
        *_rows([NEW], "intake", State.RECEIVED, RECEPTION),
        *_rows([State.SUBMITTED], "receive", State.RECEIVED, RECEPTION),
        *_rows([State.SUBMITTED], "request_supplement", State.SUPPLEMENT_REQUESTED, RECEPTION),
        *_rows([State.SUPPLEMENT_REQUESTED], "resubmit", State.SUBMITTED, CITIZEN),
        *_rows([State.SUBMITTED], "refuse", State.REFUSED, RECEPTION),
        *_rows(
            [State.RECEIVED], "assign", State.PROCESSING, RECEPTION, LEADER, SYSTEM, step=DECIDING
        ),
        *_rows([State.PROCESSING], "handover", None, SPECIALIST, LEADER, step=DECIDING),
        *_rows([State.PROCESSING], "request_supplement", State.PAUSED, SPECIALIST, step=DECIDING),
        # The citizen answers online while the clock is paused; the desk then resumes it.
        *_rows([State.PAUSED], "resubmit", None, CITIZEN),
        *_rows([State.PAUSED], "resume", State.PROCESSING, RECEPTION),
        # Decided by another body (liên thông): the centre that received the dossier hands it
        # over and records the answer; the commune issues nothing of its own (no propose or
        # approve for these, dossiers.services refuses them).
        *_rows(
            [State.RECEIVED, State.PROCESSING], "forward", State.PROCESSING, RECEPTION, SPECIALIST
        ),
        *_rows([State.PROCESSING], "record_answer", State.RESULT_READY, RECEPTION, SPECIALIST),
        *_rows([State.PROCESSING], "propose", State.AWAITING_SIGNATURE, SPECIALIST, step=DECIDING),
        *_rows([State.PROCESSING], "deny", State.AWAITING_SIGNATURE, SPECIALIST, step=DECIDING),
        *_rows([State.AWAITING_SIGNATURE], "send_back", State.PROCESSING, LEADER, step=DECIDING),
        *_rows([State.AWAITING_SIGNATURE], "approve", State.RESULT_READY, LEADER, step=DECIDING),
        *_rows([State.RESULT_READY], "return", State.RETURNED, RECEPTION, SYSTEM),
        *_rows(sorted(OPEN_STATES), "withdraw", State.WITHDRAWN, RECEPTION),
        *_rows(
            [State.RECEIVED, State.PROCESSING, State.PAUSED, State.AWAITING_SIGNATURE],
            "extend",
            None,
            SPECIALIST,
            LEADER,
            step=DECIDING,
        ),
        *_rows([State.RETURNED], "rate", None, CITIZEN),
    ]
)
_BY_KEY = {(row.source, row.action): row for row in TABLE}
ACTIONS = frozenset(row.action for row in TABLE)


def transition(source: str, action: str) -> Transition | None:
    """The row for this action in this state, or None if the table has none."""
    return _BY_KEY.get((source, action))


def allowed_actions(
    state: str,
    actors: frozenset[str] | set[str],
    *,
    deciding_actors: frozenset[str] | set[str] | None = None,
) -> list[str]:
    """Actions these actors may take on a dossier in this state, in the table's order.

    `actors` are the roles at the receiving commune; `deciding_actors` those at the deciding
    commune (the same as `actors` when omitted: one commune does both)."""
    by_step = {RECEIVING: actors, DECIDING: actors if deciding_actors is None else deciding_actors}
    return [row.action for row in TABLE if row.source == state and row.actors & by_step[row.step]]


def replay(actions: list[tuple[str, str]]) -> str:
    """The state a history of (action, recorded target) leads to, checked row by row: used to
    prove that every dossier's events replay to its current state."""
    state = NEW
    for action, target in actions:
        row = transition(state, action)
        if row is None or row.target != target:
            raise ValueError(f"{action!r} from {state!r} to {target!r} is not in the table")
        state = row.target
    return state
