"""Test settings: the production settings with a fast hasher and plain static storage."""
import os

os.environ.setdefault("DEBUG", "1")

from myhoi.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
LANGUAGE_CODE = "vi"
