"""Who may do what in the market, by role in the commune."""

from xaso.accounts.models import Role

# Officers who help producers list their goods, and the village digital teams (issue 20).
WRITE_ROLES = frozenset({Role.COMMUNE_ADMIN, Role.SPECIALIST, Role.COMMUNITY_MEMBER})
