"""The SMS backends: the file backend of the demo and tests, and the gateway's HTTP API
spoken to a real local HTTP server standing in for the provider."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from louise.core.sms import SmsError, sms_send


def test_the_file_backend_writes_one_file_per_message_to_the_international_number(
        settings, tmp_path):
    settings.LOUISE_SMS_BACKEND = "louise.core.sms.FileBackend"
    settings.LOUISE_SMS_FILE_PATH = str(tmp_path)
    sms_send(to="02041 98 76 54", text="kommt heute zwischen 17:30 und 18:00 Uhr")
    [message] = tmp_path.iterdir()
    assert message.read_text() == "To: +492041987654\n\nkommt heute zwischen 17:30 und 18:00 Uhr\n"


class Gateway(BaseHTTPRequestHandler):
    """Answers like the provider: success "100" and a message id, or an error code."""

    received: list[tuple[dict, dict]] = []
    answer = {"success": "100", "messages": [{"id": "77"}]}

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        Gateway.received.append((dict(self.headers), dict(urllib.parse.parse_qsl(body))))
        payload = json.dumps(Gateway.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LOUISE_SMS_BACKEND = "louise.core.sms.SevenBackend"
    settings.LOUISE_SMS_API_URL = f"http://127.0.0.1:{server.server_port}/api/sms"
    settings.LOUISE_SMS_API_KEY = "geheim"
    Gateway.received = []
    yield Gateway
    server.shutdown()
    server.server_close()


def test_the_gateway_backend_posts_number_text_sender_and_key(gateway):
    assert sms_send(to="0171 2223334", text="Ihre Bestellung ist zugestellt.") == "77"
    [(headers, form)] = gateway.received
    assert headers["X-Api-Key"] == "geheim"
    assert form == {"to": "+491712223334", "text": "Ihre Bestellung ist zugestellt.",
                    "from": "LOUISE", "json": "1"}


def test_a_refusal_of_the_gateway_is_an_error(gateway):
    gateway.answer = {"success": "202"}  # the provider's "invalid recipient"
    with pytest.raises(SmsError, match="202"):
        sms_send(to="0171 2223334", text="x")
    gateway.answer = {"success": "100", "messages": [{"id": "77"}]}
