# The seed catalogue fixtures live with the catalogue's own tests; the pages use the same ones.
from tests.catalog.conftest import catalog, seed_data

__all__ = ["catalog", "seed_data"]
from tests.dossiers.conftest import at, demo, staff  # noqa: F401 (fixtures)
