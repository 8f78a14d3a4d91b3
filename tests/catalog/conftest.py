import json

import pytest

from xaso.catalog.exchange import SEED_CATALOG
from xaso.catalog.services import catalog_import


@pytest.fixture
def seed_data() -> dict:
    return json.loads(SEED_CATALOG.read_text(encoding="utf-8"))


@pytest.fixture
def catalog(db, seed_data):
    """The seed catalogue, imported."""
    catalog_import(actor=None, data=seed_data)
    return seed_data
