import pytest

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.errors import Forbidden, NotFound
from xaso.places.models import Commune, Village


def test_scope_is_resolved_in_one_query_and_kept_for_the_request(world, django_assert_num_queries):
    user = world.user("reception")
    with django_assert_num_queries(1):
        scope = staff_scope(user)
        staff_scope(user)
    assert scope.commune_roles == {world.commune.pk: frozenset({Role.RECEPTION})}


def test_filter_keeps_only_the_users_communes(world):
    villages = Village.objects.all()
    assert {v.commune.code for v in staff_scope(world.user("reception")).filter(villages)} == {
        "T-A"
    }
    viewer = staff_scope(world.user("province_viewer"))
    assert {c.code for c in viewer.filter(Commune.objects.all())} == {"T-A", "T-B"}
    # A province viewer reads; asked for a write role, it gets nothing.
    assert not viewer.filter(villages, roles=[Role.COMMUNE_ADMIN]).exists()
    assert not staff_scope(world.user("citizen")).filter(villages).exists()


def test_commune_lookup_is_404_outside_and_403_for_the_wrong_role(world):
    reception = staff_scope(world.user("reception"))
    assert reception.commune("T-A") == world.commune
    with pytest.raises(Forbidden):
        reception.commune("T-A", roles=[Role.COMMUNE_ADMIN])
    with pytest.raises(NotFound):
        reception.commune("T-B")
    with pytest.raises(NotFound):
        staff_scope(world.user("far_viewer")).commune("T-A")
    with pytest.raises(NotFound):
        reception.commune("does-not-exist")


def test_a_deactivated_user_has_no_scope(world):
    user = world.user("leader")
    user.is_active = False
    assert not staff_scope(user).is_staff
