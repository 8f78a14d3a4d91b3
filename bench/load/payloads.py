"""What the load scenarios send: the bodies of a birth registration (online, with two
attachments) and of an extract copy (the desk, a fee of 8.000 ₫ a copy), a small real PDF and
JPEG, and a multipart body. Plain Python: no Django, so the clients stay light."""

import hashlib
import hmac
import io
import json
import random
import time
import uuid

BIRTH = "1.001193"  # same day, free on time; two attachments: the birth certificate's pages
EXTRACT_COPY = "2.000635"  # same day, 8.000 ₫ a copy: a fee request to pay by transfer

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Niê", "Mlô"]
MIDDLE = ["Thị", "Văn", "Minh", "Thị Thu", "Đức", "Ngọc"]
GIVEN = ["Hoa", "Mai", "Lan", "Bình", "Hùng", "Tâm", "Lộc", "Bảo", "Linh", "Nam", "An"]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def jpeg(seed: int = 0, size: tuple[int, int] = (320, 240)) -> bytes:
    """A small photo-like JPEG (a gradient with noise), as a phone's scan of a paper would be;
    the server re-encodes it."""
    from PIL import Image  # xaso's own dependency

    rng = random.Random(seed)
    image = Image.new("RGB", size)
    pixels = image.load()
    for x in range(size[0]):
        for y in range(size[1]):
            pixels[x, y] = (
                (x + rng.randrange(16)) % 256,
                (y + rng.randrange(16)) % 256,
                (x + y) % 256,
            )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def multipart(filename: str, content_type: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _person(rng: random.Random, female: bool, born: str) -> dict:
    digit = (0 if int(born[:4]) < 2000 else 2) + (1 if female else 0)
    return {
        "full_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "date_of_birth": born,
        "sex": "female" if female else "male",
        "personal_id": f"066{digit}{int(born[2:4]):02d}{rng.randrange(10**6):06d}",
    }


def _applicant(rng: random.Random, commune: str, village: str) -> tuple[dict, str]:
    person = _person(
        rng, True, f"{rng.randrange(1965, 2004)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
    )
    phone = f"09{rng.randrange(10**8):08d}"
    applicant = {
        **person,
        "phone": phone,
        "address": f"Thôn {rng.randrange(1, 15)}, {commune}",
        "village": village,
    }
    return applicant, phone


def birth(
    rng: random.Random, commune: str, village: str, province: str, uploads: list[str], *, born: str
) -> dict:
    """An online birth registration; `uploads` are the birth certificate's files (up to 2)."""
    applicant, phone = _applicant(rng, commune, village)
    mother = {k: applicant[k] for k in ("full_name", "date_of_birth", "sex", "personal_id")}
    return {
        "procedure": BIRTH,
        "commune": commune,
        "channel": "online",
        "applicant": applicant,
        "form": {
            "applicant": mother,
            "relationship": "mother",
            "phone": phone,
            "child": {
                **_person(rng, rng.random() < 0.5, born),
                "ethnicity": "Kinh",
                "nationality": "Việt Nam",
            },
            "place_of_birth": "Trạm Y tế xã",
            "mother": mother,
            "mother_residence": {"province": province, "commune": commune, "village": village},
            "has_birth_certificate": True,
            "birth_certificate": uploads,
        },
    }


def extract_copy(rng: random.Random, commune: str, village: str, *, copies: int = 1) -> dict:
    """An extract copy received at the desk (`receive`: registered at once, its fee requested)."""
    applicant, phone = _applicant(rng, commune, village)
    person = {k: applicant[k] for k in ("full_name", "date_of_birth", "sex", "personal_id")}
    return {
        "procedure": EXTRACT_COPY,
        "commune": commune,
        "channel": "counter",
        "receive": True,
        "applicant": applicant,
        "form": {
            "applicant": person,
            "phone": phone,
            "relationship": "relative",
            "subject": _person(rng, False, "1985-03-04"),
            "event_type": "birth",
            "registration_place": f"UBND xã {commune}",
            "registration_number": "12/2019",
            "registration_date": "2019-03-04",
            "copies": copies,
            "purpose": "Bổ sung hồ sơ nhập học",
        },
    }


def encoded(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def bank_signed(secret: str, body: bytes) -> dict[str, str]:
    """The headers of the bank's notification of a transfer, as xaso.payments.api checks them:
    the moment and the HMAC-SHA256 of "<moment>.<body>" under the account's webhook secret."""
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "X-Xaso-Timestamp": stamp,
        "X-Xaso-Signature": f"sha256={signature.hexdigest()}",
    }
