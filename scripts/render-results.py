#!/usr/bin/env python
"""Render every kind of result document (the examples of xaso.results.documents) to PDF, and each
page to PNG with pdftoppm (Debian: poppler-utils), to look at them.

    .venv/bin/python scripts/render-results.py [OUT_DIR]     # default var/results-png/

Needs no database. With --boxes, the reserved signature and seal boxes are outlined in the PNGs.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
os.environ.setdefault("XASO_DEBUG", "1")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from xaso.results.documents import (
        KINDS,
        SEAL_BOX,
        SIGNATURE_BOX,
        example_document,
        render_result_pdf,
    )

    boxes = "--boxes" in argv
    args = [arg for arg in argv if not arg.startswith("--")]
    out = Path(args[0]) if args else ROOT / "var" / "results-png"
    out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        print("pdftoppm is missing: sudo apt-get install -y poppler-utils", file=sys.stderr)
        return 2
    for kind in KINDS:
        pdf = out / f"{kind}.pdf"
        pdf.write_bytes(render_result_pdf(example_document(kind)))
        subprocess.run(  # noqa: S603 - fixed program, our own paths
            [pdftoppm, "-r", "110", "-png", str(pdf), str(out / kind)], check=True
        )
        if boxes:
            _outline(out, kind, [SIGNATURE_BOX, SEAL_BOX], dpi=110)
        print(f"{kind}: {pdf} and {out / kind}-*.png")
    return 0


def _outline(out: Path, kind: str, rects, *, dpi: int) -> None:
    from PIL import Image, ImageDraw

    scale = dpi / 72
    for png in sorted(out.glob(f"{kind}-*.png")):
        image = Image.open(png).convert("RGB")
        draw = ImageDraw.Draw(image)
        height = image.height
        for x1, y1, x2, y2 in rects:
            draw.rectangle(
                [x1 * scale, height - y2 * scale, x2 * scale, height - y1 * scale],
                outline=(220, 0, 0),
                width=2,
            )
        image.save(png)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
