"""Without its own secret key LOUISE must not start in production: a published key would let
anyone forge sessions and staff invitations."""

import stat

import pytest

from louise.core.secret_key import SecretKeyError, secret_key

from .fresh import REAL_KEY, run_louise


def test_production_without_key_refuses_to_start(tmp_path):
    done = run_louise("import django; django.setup()", LOUISE_DEBUG="0",
                      LOUISE_VAR_DIR=str(tmp_path))
    assert done.returncode != 0
    assert "LOUISE_SECRET_KEY fehlt" in done.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_command_says_why_without_a_traceback(tmp_path):
    done = run_louise("from louise.cli import main; main(['check'])", LOUISE_DEBUG="0",
                      LOUISE_VAR_DIR=str(tmp_path))
    assert done.returncode != 0
    assert done.stderr.startswith("louise: LOUISE_SECRET_KEY fehlt"), done.stderr
    assert "Traceback" not in done.stderr


def test_the_published_default_key_is_refused(tmp_path):
    done = run_louise("import django; django.setup()", LOUISE_DEBUG="0",
                      LOUISE_VAR_DIR=str(tmp_path),
                      LOUISE_SECRET_KEY="insecure-dev-key-change-me-in-production")
    assert done.returncode != 0
    assert "veröffentlichte Beispielschlüssel" in done.stderr


def test_production_with_a_key_uses_it(tmp_path):
    done = run_louise("import django; django.setup(); from django.conf import settings; "
                      "print(settings.SECRET_KEY)", LOUISE_DEBUG="0",
                      LOUISE_VAR_DIR=str(tmp_path), LOUISE_SECRET_KEY=REAL_KEY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == REAL_KEY


def test_demo_makes_a_private_key_once_and_keeps_it(tmp_path):
    first = secret_key(environ={}, var_dir=tmp_path, local=True)
    again = secret_key(environ={}, var_dir=tmp_path, local=True)
    assert first == again
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_demo_mode_starts_without_a_key(tmp_path):
    done = run_louise("import django; django.setup(); from django.conf import settings; "
                      "print(settings.SECRET_KEY)", LOUISE_DEMO="1",
                      LOUISE_VAR_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (tmp_path / "secret_key").read_text().strip()


def test_without_debug_or_demo_no_key_file_is_trusted(tmp_path):
    (tmp_path / "secret_key").write_text("left-over-demo-key")
    with pytest.raises(SecretKeyError):
        secret_key(environ={}, var_dir=tmp_path, local=False)
