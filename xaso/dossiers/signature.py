"""The signature block of a document: who signs, and in what capacity (Decree 30/2020/NĐ-CP).

One function for every document xaso prints — the results (the leader's preview and the signed
PDF alike) and Forms 01–07 — so that they cannot disagree:

===============  ==========================================  ===================================
decider          head signs                                  deputy signs
===============  ==========================================  ===================================
committee        TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH              TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /
                                                             PHÓ CHỦ TỊCH
chairman         CHỦ TỊCH                                    KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
centre           GIÁM ĐỐC                                    KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC
===============  ==========================================  ===================================

"TM." is written only by whoever signs for a collective body (the committee deciding as a body);
a decision in the chairman's own competence is signed in his title; a notice of the centre by
its director. A civil-status extract is signed "NGƯỜI KÝ TRÍCH LỤC" with the signer's title under
the name (Circular 04/2020/TT-BTP). A clerk signs a desk form in his own capacity ("NGƯỜI TIẾP
NHẬN HỒ SƠ"), never on behalf of the committee. Procedures another body decides
(commune_police, higher_level) have no signature block of the commune: asking for one is a bug.
"""

from dataclasses import dataclass

COMMITTEE = "ỦY BAN NHÂN DÂN"
EXTRACT_SIGNER = "NGƯỜI KÝ TRÍCH LỤC"
_HEADS = {
    "committee": ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "chairman": ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "centre": ("GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
}


@dataclass(frozen=True)
class SignatureBlock:
    authority: list[str]  # the lines above the signature, in capitals
    name: str = ""  # the signer's full name ('' = signed by hand, name written then)
    under_name: str = ""  # a line under the name (an extract's signer's title)
    hint: str = ""  # the italic instruction under the authority lines, on paper forms

    @property
    def lines(self) -> list[str]:
        """Every printed line, top to bottom."""
        return [line for line in (*self.authority, self.name, self.under_name) if line]


def is_deputy(title: str) -> bool:
    """'Phó Chủ tịch', 'Phó Giám đốc Trung tâm' → True."""
    return " ".join((title or "").split()).casefold().startswith("phó")


def signature_block(
    decider: str, signer_title: str = "", *, name: str = "", extract: bool = False
) -> SignatureBlock:
    """The block of a document decided by `decider` and signed by someone of `signer_title`
    (empty: the head, or whoever will sign by hand)."""
    title = " ".join((signer_title or "").split())
    if decider not in _HEADS:
        raise ValueError(f"the commune signs nothing for a procedure decided by {decider!r}")
    if extract:
        return SignatureBlock([EXTRACT_SIGNER], name=name, under_name=title)
    head, deputy_title = _HEADS[decider]
    lines = ["KT. " + head, deputy_title] if is_deputy(title) else [head]
    if decider == "committee":
        lines = [f"TM. {COMMITTEE}", *lines]
    return SignatureBlock(lines, name=name)


def officer_block(role: str, *, name: str = "") -> SignatureBlock:
    """A desk form signed by the officer in his own capacity: 'NGƯỜI TIẾP NHẬN HỒ SƠ'."""
    return SignatureBlock([role], name=name, hint="(Ký, ghi rõ họ tên)")
