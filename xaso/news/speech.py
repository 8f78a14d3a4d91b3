"""An offline reading of a bulletin: Debian's espeak-ng with its Vietnamese voice (`vi`), to a
WAV file whose length is read from its header. Where espeak-ng is not installed the feature says
so clearly; the vendor's platform can still read the text aloud (DOMAIN.md §8b)."""

import io
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from xaso.core.errors import DomainError

VOICE = "vi"
WORDS_PER_MINUTE = 140  # slow and clear, as a loudspeaker needs
TIMEOUT = 60


class SpeechUnavailable(DomainError):
    code = "speech_unavailable"
    status = 409


@dataclass(frozen=True)
class Audio:
    data: bytes
    seconds: float


def engine() -> str | None:
    return shutil.which("espeak-ng")


def wav_seconds(data: bytes) -> float:
    """The length of a WAV file, from its header (frames ÷ frame rate)."""
    with wave.open(io.BytesIO(data)) as reader:
        return round(reader.getnframes() / float(reader.getframerate()), 2)


def speak(text: str) -> Audio:
    program = engine()
    if program is None:
        raise SpeechUnavailable(
            _("No Vietnamese speech engine is installed on this server (espeak-ng): no audio "
              "file can be made. Export the text for the smart-radio platform, which reads it "
              "aloud, or ask the administrator to install espeak-ng.")
        )  # fmt: skip
    # To a file, not --stdout: a streamed WAV's header does not know its length.
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bulletin.wav"
            subprocess.run(  # noqa: S603 (a fixed program; the text goes through stdin)
                [program, "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(path)],
                input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=True,
            )  # fmt: skip
            data = path.read_bytes()
    except (subprocess.SubprocessError, OSError) as error:
        raise SpeechUnavailable(
            _("The speech engine could not read this bulletin: %(error)s") % {"error": error}
        ) from error
    return Audio(data, wav_seconds(data))
