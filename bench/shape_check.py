"""Through nginx of `scripts/shape`: an upload, a submission (with an Idempotency-Key), its replay,
then the public lookup of the dossier; and the outbox message it queued is sent by the RQ worker.
Usage: .venv/bin/python bench/shape_check.py http://127.0.0.1:8180 DIR (exit 0 when all held)."""

import json
import subprocess
import sys
import time
import urllib.request
import uuid

base = "http://127.0.0.1:8180"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def call(method, path, body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:300]


def upload() -> str:
    boundary = uuid.uuid4().hex
    raw = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, answer = call(
        "POST",
        "/api/v1/uploads",
        raw=raw,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 201, (status, answer)
    return answer["id"]


def submission(token: str) -> dict:
    applicant = {
        "full_name": "Y Bhiơ Niê",
        "personal_id": "066060001234",
        "date_of_birth": "1960-03-02",
        "sex": "male",
        "phone": "0912345678",
        "address": "Thôn Lộc Tân",
        "village": "thon-loc-tan",
    }
    return {
        "procedure": "1.001193",
        "commune": "DEMO-PL",
        "channel": "online",
        "applicant": applicant,
        "form": {
            "applicant": {
                k: applicant[k] for k in ("full_name", "date_of_birth", "sex", "personal_id")
            },
            "relationship": "grandparent",
            "phone": "0912345678",
            "child": {
                "full_name": "H'Hen Niê",
                "date_of_birth": "2026-11-20",
                "sex": "female",
                "ethnicity": "Ê Đê",
                "nationality": "Việt Nam",
            },
            "place_of_birth": "Trạm Y tế xã Phú Lộc",
            "mother": {"full_name": "H'Lan Niê", "date_of_birth": "1998-01-01", "sex": "female"},
            "mother_residence": {"province": "66", "commune": "DEMO-PL", "village": "thon-loc-tan"},
            "has_birth_certificate": True,
            "birth_certificate": [token],
        },
    }


def main() -> None:
    status, health = call("GET", "/healthz")
    assert status == 200 and health["database"] == "ok", (status, health)
    key = str(uuid.uuid4())
    body = submission(upload())
    status, created = call("POST", "/api/v1/dossiers", body, {"Idempotency-Key": key})
    assert status == 201, (status, created)
    status, replay = call("POST", "/api/v1/dossiers", body, {"Idempotency-Key": key})
    assert status == 201 and replay["code"] == created["code"], (status, replay)
    code, secret = created["code"], created["lookup_secret"]
    status, found = call("GET", f"/api/v1/dossiers/lookup?code={code}&secret={secret}")
    assert status == 200 and found["code"] == code, (status, found)
    env = subprocess.run(
        ["scripts/shape", "env", directory], capture_output=True, text=True, check=True
    )
    environment = dict(line.split("=", 1) for line in env.stdout.splitlines())
    probe = (
        "from xaso.notify.models import OutboxMessage as M; "
        f"print(M.objects.filter(dossier__code='{code}').exclude(state='sent').count())"
    )
    for _ in range(60):  # the RQ worker sends the message queued on commit
        left = (
            subprocess.run(
                [".venv/bin/xaso", "shell", "-c", probe],
                env=environment,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        if left == "0":
            break
        time.sleep(0.5)
    assert left == "0", f"{left} message(s) of {code} not sent"
    print(
        f"shape check passed: {code} submitted, replayed, looked up through nginx; its message sent"
    )


if __name__ == "__main__":
    base, directory = sys.argv[1], sys.argv[2]
    main()
