import pytest

from tests.helpers.api import ApiClient
from tests.helpers.world import World, build_world


@pytest.fixture
def world(db) -> World:
    """Two communes of one province, one of another, and a staff user for every role."""
    return build_world()


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()
