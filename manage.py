#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myhoi.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load the settings before Django does: it reads them lazily, in the middle of setting up a
        # command, and a missing variable then surfaces as a long AppRegistryNotReady or KeyError
        # traceback that hides its cause. A configuration error is one line and exit status 1.
        settings.INSTALLED_APPS
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(1)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
