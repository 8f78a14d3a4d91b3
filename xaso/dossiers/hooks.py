"""How the apps downstream of `dossiers` take part in a dossier action without `dossiers`
importing them (DESIGN.md §3). They register in their AppConfig.ready():

- guards run before a transition, inside its transaction, and may refuse it with a DomainError
  (payments: "return needs the fee paid");
- listeners run after the transition, inside the same transaction (notify writes its outbox rows
  there, so a crash after commit loses no message; results signs on approve, so a failed signature
  leaves nothing half-done); slow work is queued with `transaction.on_commit`;
- contributors add their part to a dossier's API answer (payments adds "fee" and "payment",
  from its fee request; results adds "result"). A contributor names the rows it reads as
  relations of the dossier (`joined`: its reverse one-to-ones, e.g. "payment__account") and the
  citizen's lookup joins them to its one read of the dossier: compiling and running a query per
  part cost more than the whole rest of the lookup (bench/README.md, issue 22).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANY_ACTION = "*"


@dataclass
class ActionContext:
    dossier: Any  # the locked Dossier, already changed by the action when listeners run
    action: str
    actor: Any  # a User, or None for the citizen by secret and for the system
    actor_kind: str  # the role (or "citizen", "system") the action was taken as
    from_state: str
    to_state: str
    data: dict = field(default_factory=dict)  # the action's own data (reason, items, …)
    event: Any = None  # the DossierEvent, set before listeners run


Hook = Callable[[ActionContext], None]
Contributor = Callable[[Any], Any]

_guards: dict[str, list[Hook]] = defaultdict(list)
_listeners: dict[str, list[Hook]] = defaultdict(list)
# Keyed by the names of the parts; a contributor of several parts returns a dict of them.
_contributors: dict[tuple[str, ...], Callable[[Any], dict[str, Any]]] = {}
# The dossier's relations the contributors read, as select_related paths, and the columns of them
# they read (`only()` paths): what `contribution_joins` gives the lookup's read.
_joined: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _known(action: str) -> str:
    """An action of the workflow table, or "*": a hook for any other name would never run, so
    registering one is refused at start-up (ValueError)."""
    from .workflow import ACTIONS  # the table (imports models: only once apps are ready)

    if action != ANY_ACTION and action not in ACTIONS:
        raise ValueError(f"{action!r} is not an action of the workflow table")
    return action


def register_guard(action: str, guard: Hook) -> None:
    if guard not in _guards[_known(action)]:
        _guards[action].append(guard)


def register_listener(action: str, listener: Hook) -> None:
    if listener not in _listeners[_known(action)]:
        _listeners[action].append(listener)


def unregister_guard(action: str, guard: Hook) -> None:
    if guard in _guards[action]:
        _guards[action].remove(guard)


def unregister_listener(action: str, listener: Hook) -> None:
    if listener in _listeners[action]:
        _listeners[action].remove(listener)


def register_contributor(
    name: str,
    contributor: Contributor,
    *,
    joined: tuple[str, ...] = (),
    columns: tuple[str, ...] = (),
) -> None:
    register_contributors((name,), lambda dossier: {name: contributor(dossier)},
                          joined=joined, columns=columns)  # fmt: skip


def register_contributors(
    names: tuple[str, ...],
    contributor: Callable[[Any], dict],
    *,
    joined: tuple[str, ...] = (),
    columns: tuple[str, ...] = (),
) -> None:
    """Several parts of the answer read from the same rows: `contributor` returns a dict with
    exactly `names` as keys, from one read (not one per part). `joined`: the dossier's
    relations it reads (select_related paths), `columns`: their columns it reads (only() paths);
    the contributor must still work when they were not joined (then it reads them itself)."""
    _contributors[tuple(names)] = contributor
    _joined[tuple(names)] = (tuple(joined), tuple(columns))


def joined_or_read(dossier, relation: str, read: Callable[[], Any]) -> Any:
    """A contributor's row: the one joined to the dossier's read as `relation` (None when the
    join found none), else `read()` — the contributor called on a dossier read otherwise."""
    if getattr(type(dossier), relation).is_cached(dossier):
        return getattr(dossier, relation, None)  # a joined "none" raises DoesNotExist
    return read()


def contribution_joins() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The relations and the columns every contributor reads: for the dossier's read."""
    joined = [path for paths, _columns in _joined.values() for path in paths]
    columns = [column for _paths, columns in _joined.values() for column in columns]
    return tuple(dict.fromkeys(joined)), tuple(dict.fromkeys(columns))


def run_guards(context: ActionContext) -> None:
    for guard in [*_guards[context.action], *_guards[ANY_ACTION]]:
        guard(context)


def run_listeners(context: ActionContext) -> None:
    for listener in [*_listeners[context.action], *_listeners[ANY_ACTION]]:
        listener(context)


def contributions(dossier) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for _names, contributor in sorted(_contributors.items()):
        parts.update(contributor(dossier))
    return dict(sorted(parts.items()))


# One-time codes (the community consent): `notify` registers how they are sent. Without it, the
# code goes to the server log, as the demo wants.
CodeSender = Callable[..., None]
_code_sender: CodeSender | None = None


def register_code_sender(sender: CodeSender) -> None:
    global _code_sender  # one registry, set once at start-up
    _code_sender = sender


def send_one_time_code(
    *, phone: str, code: str, purpose: str, commune: str, minutes: int, **about
) -> None:
    """Called inside the caller's transaction; the sender queues the sending after commit.
    `about`: what the code consents to (the consent code: `procedure`, `member`, `data`)."""
    if _code_sender is None:
        import logging

        logging.getLogger("xaso.dossiers").info(
            "one-time code %s for %s (%s)", code, phone, purpose
        )
        return
    _code_sender(phone=phone, code=code, purpose=purpose, commune=commune, minutes=minutes, **about)
