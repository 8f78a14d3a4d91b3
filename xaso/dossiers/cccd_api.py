"""Reading a chip ID card's QR text: the desk's USB scanner and the portal's camera send it here.

No login: the answer holds only what the caller sent. The text is personal data, so it is
neither logged nor stored, and an error names what is wrong, never the text.
"""

from ninja import Field, Router, Schema

from .cccd import MAX_TEXT_LENGTH, WARNING_MESSAGES, parse_cccd_qr

router = Router(tags=["cccd"])


class CccdIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT_LENGTH)


class CccdWarningOut(Schema):
    code: str
    message: str


class CccdOut(Schema):
    personal_id: str
    old_id: str
    full_name: str
    date_of_birth: str
    sex: str
    address: str
    issued_on: str
    warnings: list[CccdWarningOut]


@router.post("/cccd/parse", auth=None, response=CccdOut)
def cccd_parse(request, payload: CccdIn):
    card = parse_cccd_qr(payload.text)
    return {
        "personal_id": card.personal_id,
        "old_id": card.old_id,
        "full_name": card.full_name,
        "date_of_birth": card.date_of_birth.isoformat(),
        "sex": card.sex,
        "address": card.address,
        "issued_on": card.issued_on.isoformat(),
        "warnings": [
            {"code": code, "message": str(WARNING_MESSAGES[code])} for code in card.warnings
        ],
    }
