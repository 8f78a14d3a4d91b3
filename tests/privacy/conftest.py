from tests.dossiers.conftest import at, demo, staff  # noqa: F401 (fixtures)
