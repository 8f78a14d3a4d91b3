"""Vietnamese is the default language: every user-visible string must be translated."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "xaso" / "locale"
PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"


def gettext_tool(*args: str) -> str:
    if shutil.which(args[0]) is None:
        pytest.fail(f"{args[0]} (Debian package gettext) is needed: make installs it")
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_vietnamese_catalogue_has_no_untranslated_or_fuzzy_string(tmp_path, settings, monkeypatch):
    """Extract the strings from a copy of the code as it is now into a copy of the catalogue.

    makemessages writes into every `locale` folder under the current directory, so it runs in
    the copy: the real catalogue is never touched by the test.
    """
    copy = tmp_path / "xaso"
    shutil.copytree(ROOT / "xaso", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["vi"], no_location=True, verbosity=0)
    extracted = copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    untranslated = gettext_tool("msgattrib", "--untranslated", "--no-obsolete", str(extracted))
    fuzzy = gettext_tool("msgattrib", "--only-fuzzy", "--no-obsolete", str(extracted))
    assert "msgid" not in untranslated, f"untranslated (run `make messages`):\n{untranslated}"
    assert "msgid" not in fuzzy, f"fuzzy translations to review:\n{fuzzy}"


def test_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    gettext_tool("msgfmt", "--check-format", "-o", str(compiled), str(PO))
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages`"
