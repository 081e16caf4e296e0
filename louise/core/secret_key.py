"""Where the secret key comes from: the environment in production, a file under `var/` on a
laptop.

Django signs sessions, password-reset and staff-invitation links with `SECRET_KEY`; whoever
knows it can forge any of them. A key written in the source would be known to everyone, so
there is none: a production start without `LOUISE_SECRET_KEY` is refused, and the demo and
debug mode use a random key made once and kept in `var/secret_key` (mode 0600), so their
sessions survive a restart. Imported by the settings, so it must not need Django set up.
"""

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The key earlier versions fell back to; published in the repository, so never accepted.
PUBLISHED_KEYS = frozenset({"insecure-dev-key-change-me-in-production"})

MISSING = (
    "LOUISE_SECRET_KEY fehlt. Ohne eigenen geheimen Schlüssel startet LOUISE nicht, denn mit "
    "einem bekannten Schlüssel ließen sich Anmeldungen und Einladungslinks fälschen. Setzen "
    "Sie LOUISE_SECRET_KEY auf mindestens 50 zufällige Zeichen, z. B. "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (siehe "
    "docs/operations.md), oder für die Entwicklung LOUISE_DEBUG=1 bzw. `louise demo`."
)
PUBLISHED = (
    "LOUISE_SECRET_KEY ist der veröffentlichte Beispielschlüssel. Bitte einen eigenen "
    "zufälligen Schlüssel setzen (siehe docs/operations.md)."
)


class SecretKeyError(ImproperlyConfigured):
    """The configuration names no usable key; the message says how to fix it."""


def secret_key(*, environ: Mapping[str, str], var_dir: Path, local: bool) -> str:
    """The key from `LOUISE_SECRET_KEY`, else (only when `local`: debug or demo) the one
    stored under `var_dir`, made on first use."""
    key = environ.get("LOUISE_SECRET_KEY", "").strip()
    if key in PUBLISHED_KEYS:
        raise SecretKeyError(PUBLISHED)
    if key:
        return key
    if not local:
        raise SecretKeyError(MISSING)
    return local_secret_key(var_dir / "secret_key")


def local_secret_key(path: Path) -> str:
    """Read the stored key, or make one and store it readable by its owner only."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and linked into place: a server and a worker starting at the same moment
    # both end up with the first key, never with a half-written file.
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(50) + "\n")
    with contextlib.suppress(FileExistsError):
        os.link(draft, path)
    draft.unlink()
    return path.read_text(encoding="utf-8").strip()
