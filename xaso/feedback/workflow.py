"""The life of a feedback as one table (DOMAIN.md §8b), and its deadlines.

| from | action | to | actors |
|---|---|---|---|
| (new) | file | received | citizen, community_member, reception |
| received | classify (route to an officer or unit) | handling | reception, leader |
| received, info_requested | reject (with the reason) | rejected | reception, leader |
| handling | request_info | info_requested | reception, specialist, leader |
| info_requested | provide_info | handling | citizen |
| handling | answer | answered | specialist, leader |
| answered | publish | published | reception, leader |
| answered, published | rate | unchanged | citizen |

Deadlines on the commune's working days, counted like every time limit (from the day after,
to the close of office hours): reject within 2 working days of filing, ask for more information
within 5, answer within 15 (from the information received, when it was asked), publish the
answer within 2 of answering.
"""

from xaso.accounts.models import Role
from xaso.core.statetable import NEW, StateTable, rows

from .models import State

CITIZEN = "citizen"
RECEPTION = Role.RECEPTION.value
SPECIALIST = Role.SPECIALIST.value
LEADER = Role.LEADER.value
COMMUNITY = Role.COMMUNITY_MEMBER.value

TABLE = StateTable(
    [
        *rows([NEW], "file", State.RECEIVED, CITIZEN, COMMUNITY, RECEPTION),
        *rows([State.RECEIVED], "classify", State.HANDLING, RECEPTION, LEADER),
        *rows([State.RECEIVED, State.INFO_REQUESTED], "reject", State.REJECTED, RECEPTION, LEADER),
        *rows(
            [State.HANDLING], "request_info", State.INFO_REQUESTED, RECEPTION, SPECIALIST, LEADER
        ),
        *rows([State.INFO_REQUESTED], "provide_info", State.HANDLING, CITIZEN),
        *rows([State.HANDLING], "answer", State.ANSWERED, SPECIALIST, LEADER),
        *rows([State.ANSWERED], "publish", State.PUBLISHED, RECEPTION, LEADER),
        *rows([State.ANSWERED, State.PUBLISHED], "rate", None, CITIZEN),
    ]
)

OPEN_STATES = frozenset({State.RECEIVED, State.HANDLING, State.INFO_REQUESTED, State.ANSWERED})
# Where the office's clock runs (the citizen owes nothing): the queues' overdue marks.
CLOCK_STATES = frozenset({State.RECEIVED, State.HANDLING, State.ANSWERED})

# (amount, unit) of each deadline: DOMAIN.md §8b.
CLASSIFY_LIMIT = (2, "working_days")
ASK_LIMIT = (5, "working_days")
ANSWER_LIMIT = (15, "working_days")
PUBLISH_LIMIT = (2, "working_days")
