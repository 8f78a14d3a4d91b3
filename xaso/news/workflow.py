"""An announcement's life: draft → approval by the leader or the commune's culture officer →
published (and withdrawn if it must come down)."""

from xaso.accounts.models import Role
from xaso.core.statetable import NEW, StateTable, rows

from .models import Announcement

State = Announcement.State
WRITER = "writer"  # any officer of the commune who writes (reception, specialist, leader, admin)
APPROVER = "approver"  # the leader or the culture officer
WRITER_ROLES = frozenset({Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.COMMUNE_ADMIN})

TABLE = StateTable(
    [
        *rows([NEW], "write", State.DRAFT, WRITER),
        *rows([State.DRAFT], "edit", None, WRITER),
        *rows([State.DRAFT], "submit", State.AWAITING_APPROVAL, WRITER),
        *rows([State.AWAITING_APPROVAL], "send_back", State.DRAFT, APPROVER),
        *rows([State.DRAFT, State.AWAITING_APPROVAL], "approve", State.PUBLISHED, APPROVER),
        *rows([State.PUBLISHED], "withdraw", State.WITHDRAWN, APPROVER),
    ]
)
