from tests.dossiers.conftest import at  # noqa: F401 (fixture)
