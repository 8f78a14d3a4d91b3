"""What the reports read from apps built beside them: complaints and petitions (PAKN) from the
feedback app. Not on main when the reports were built: these return nothing yet, and the
integrator wires them to `xaso.feedback` (docs/index-766.md, MDHL.1–MDHL.3)."""


def complaints_by_dossier(commune_ids, start, end) -> set[int]:
    """Ids of the dossiers of these communes with a complaint linked, filed in [start, end)."""
    return set()


def feedback_counts(commune_ids, start, end) -> dict[str, int]:
    """Complaints and petitions of these communes due in [start, end): `due`, `on_time` (handled
    by their due time), `rated` (answers the citizen rated), `satisfied` (rated satisfied)."""
    return {"due": 0, "on_time": 0, "rated": 0, "satisfied": 0}
