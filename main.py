"""Ahoy Desktop: ``python main.py`` opens the window; ``sync`` and ``export`` run headless."""

import multiprocessing
import sys

HEADLESS_COMMANDS = {"sync", "export", "-h", "--help"}


def main() -> int:
    multiprocessing.freeze_support()  # the bundled app starts the dashboard's counting process from itself
    if len(sys.argv) > 1 and sys.argv[1] in HEADLESS_COMMANDS:
        from ahoy_desktop.cli import main as cli_main

        return cli_main(sys.argv[1:])
    from ui.app import run

    return run(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
