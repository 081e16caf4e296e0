"""The production settings as docs/operations.md documents them: Django's deploy check finds
nothing to warn about, with or without an SMTP relay, and every page carries a
Content-Security-Policy that the templates keep to."""

import re
from pathlib import Path

import pytest

from .fresh import REAL_KEY, ROOT, run_louise

PRODUCTION = {"LOUISE_DEBUG": "0", "LOUISE_SECRET_KEY": REAL_KEY,
              "LOUISE_ALLOWED_HOSTS": "louise.example", "LOUISE_HTTPS": "1",
              "LOUISE_PROXY": "1", "LOUISE_CSRF_TRUSTED_ORIGINS": "https://louise.example"}
SMTP = {"LOUISE_SMTP_HOST": "mail.louise.example", "LOUISE_SMTP_USER": "louise",
        "LOUISE_SMTP_PASSWORD": "geheim"}


@pytest.mark.parametrize("mail", [SMTP, {}], ids=["smtp-relay", "local-mta"])
def test_deploy_check_finds_nothing(tmp_path, mail):
    done = run_louise("from louise.cli import main; main(['check', '--deploy'])",
                      LOUISE_VAR_DIR=str(tmp_path), **PRODUCTION, **mail)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout, done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_without_https_the_deploy_check_warns(tmp_path):
    done = run_louise("from louise.cli import main; main(['check', '--deploy'])",
                      LOUISE_VAR_DIR=str(tmp_path), **{**PRODUCTION, "LOUISE_HTTPS": "0"})
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in done.stdout + done.stderr


def test_behind_the_proxy_https_is_recognised(tmp_path):
    done = run_louise("import django; django.setup(); from django.test import Client; "
                      "r = Client().get('/fahrer/sw.js', headers={'X-Forwarded-Proto': "
                      "'https'}, HTTP_HOST='louise.example'); print(r.status_code, "
                      "r.headers.get('Strict-Transport-Security')); "
                      "r = Client().get('/fahrer/sw.js', HTTP_HOST='louise.example'); "
                      "print(r.status_code, r.headers.get('Location'))",
                      LOUISE_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert done.stdout.splitlines() == [
        "200 max-age=31536000; includeSubDomains; preload",
        "301 https://louise.example/fahrer/sw.js"], done.stderr


def test_pages_carry_the_policy(client, db):
    policy = client.get("/konto/anmelden/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


TEMPLATES = sorted((ROOT / "louise" / "web" / "templates").rglob("*.html"))
# Markup for other websites (the shop's button), shown here only as text and a preview.
FOREIGN = {"_button_snippet.html"}


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t.name not in FOREIGN],
                         ids=lambda t: str(t.relative_to(ROOT)))
def test_templates_keep_to_the_policy(template: Path):
    html = template.read_text(encoding="utf-8")
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    assert not inline_scripts, "inline <script>: move it to a static file or json_script"
    assert not re.search(r"<style\b", html), "<style>: move it to a stylesheet"
    assert not re.search(r"\sstyle=", html), "style attribute: use a class"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler: use addEventListener"
