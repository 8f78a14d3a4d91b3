"""The one scoping helper every staff query goes through.

`staff_scope(user)` reads the user's memberships in one query and keeps the answer on the user
object for the rest of the request. Every staff read filters through `StaffScope.filter` or
`StaffScope.commune`; a commune the user has no role in is answered "not found", never "forbidden",
so that another commune's data does not even reveal that it exists.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from xaso.core.errors import Forbidden, NotFound
from xaso.places.models import Commune

from .models import Membership, Role

# Roles that may read a commune's staff data. A province viewer reads, never writes.
READ_ROLES = frozenset(Role)
# A community team member files dossiers for residents: of a commune's dossiers they see only
# those (dossiers.selectors.staff_dossiers); every other role reads all of them.
FULL_READ_ROLES = READ_ROLES - {Role.COMMUNITY_MEMBER}


@dataclass(frozen=True)
class StaffScope:
    user_id: int | None
    commune_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    province_ids: frozenset[int] = frozenset()

    @property
    def is_staff(self) -> bool:
        return bool(self.commune_roles or self.province_ids)

    def roles_in(self, commune: Commune) -> frozenset[str]:
        roles = self.commune_roles.get(commune.pk, frozenset())
        if commune.province_id in self.province_ids:
            roles = roles | {Role.PROVINCE_VIEWER}
        return roles

    def commune_ids(self, roles: Iterable[str] = READ_ROLES) -> set[int]:
        wanted = set(roles)
        return {pk for pk, held in self.commune_roles.items() if held & wanted}

    def _q(self, prefix: str, roles: Iterable[str]) -> Q:
        roles = frozenset(roles)
        condition = Q(**{f"{prefix}id__in": self.commune_ids(roles)})
        if Role.PROVINCE_VIEWER in roles and self.province_ids:
            condition |= Q(**{f"{prefix}province_id__in": self.province_ids})
        return condition

    def filter(
        self, queryset: QuerySet, *, commune_field: str = "commune", roles=READ_ROLES
    ) -> QuerySet:
        """Keep only rows of communes where the user holds one of `roles`."""
        prefix = "" if queryset.model is Commune else f"{commune_field}__"
        if not self.is_staff:
            return queryset.none()
        return queryset.filter(self._q(prefix, roles))

    def require(self, commune: Commune, roles: Iterable[str]) -> Commune:
        held = self.roles_in(commune)
        if not held:
            raise NotFound(code="commune_not_found")
        if not held & set(roles):
            raise Forbidden()
        return commune

    def commune(self, code: str, *, roles: Iterable[str] = READ_ROLES) -> Commune:
        """The commune with this code if the user holds one of `roles` there.

        No role at all there: NotFound (404). Some role, but not one of these: Forbidden (403).
        """
        commune = Commune.objects.select_related("province").filter(code=code).first()
        if commune is None:
            raise NotFound(code="commune_not_found")
        return self.require(commune, roles)


def staff_scope(user) -> StaffScope:
    cached = getattr(user, "_xaso_staff_scope", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        scope = StaffScope(user_id=None)
    else:
        commune_roles: dict[int, set[str]] = {}
        province_ids = set()
        memberships = Membership.objects.filter(user=user).values_list(
            "role", "commune_id", "province_id"
        )
        for role, commune_id, province_id in memberships:
            if role == Role.PROVINCE_VIEWER:
                province_ids.add(province_id)
            else:
                commune_roles.setdefault(commune_id, set()).add(role)
        scope = StaffScope(
            user_id=user.pk,
            commune_roles={pk: frozenset(roles) for pk, roles in commune_roles.items()},
            province_ids=frozenset(province_ids),
        )
    if user is not None:
        user._xaso_staff_scope = scope
    return scope
