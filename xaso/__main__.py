"""`xaso` is Django's manage.py with the settings preset.

Commands may be spelt with hyphens, as the docs do: `xaso load-places` runs `load_places`.
"""

import os
import signal
import sys


def _stop_before_start(signum, frame):
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] == "demo":
            # The demo is a development setup: it generates its own secret key under ./var.
            os.environ.setdefault("XASO_DEBUG", "1")
            # ...but it serves collected, compressed static files, as production does.
            os.environ.setdefault("XASO_COMPRESSED_STATIC", "1")
            # Stopped while Django loads, before the command installs its own handlers: nothing
            # has started yet, so it simply ends (as it does later: exit status 0).
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(signum, _stop_before_start)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings: fail here with one clear line)
    except ImproperlyConfigured as error:
        sys.exit(f"xaso: configuration error: {error}")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
