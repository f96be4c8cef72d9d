"""The TurboSMS backend against a local server that answers as the gateway's HTTP
API documentation describes: every valid request gets HTTP 200 and a JSON body
with response_code / response_status / response_result."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sadok.sms import PermanentSmsError, Sms, TransientSmsError, TurboSms


class Gateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "success"
        self.requests = []
        self.release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append(
            {"path": self.path, "auth": self.headers["Authorization"], "body": body}
        )
        if server.mode == "timeout":
            server.release.wait(5)  # answer only after the client gave up
        if server.mode == "rate_limit":
            self._send(
                429,
                {
                    "response_code": 429,
                    "response_status": "TOO_MANY_REQUESTS",
                    "response_result": None,
                },
            )
            return
        answers = {
            "success": {
                "response_code": 0,
                "response_status": "OK",
                "response_result": [
                    {
                        "phone": body["recipients"][0],
                        "response_code": 0,
                        "message_id": "f83f8868-5e46-c6cf-e4fb-615e5a293754",
                        "response_status": "OK",
                    }
                ],
            },
            "auth": {
                "response_code": 103,
                "response_status": "REQUIRED_TOKEN",
                "response_result": None,
            },
            "bad_number": {
                "response_code": 0,
                "response_status": "OK",
                "response_result": [
                    {
                        "phone": body["recipients"][0],
                        "response_code": 406,
                        "message_id": None,
                        "response_status": "NOT_ALLOWED_RECIPIENT_COUNTRY",
                    }
                ],
            },
        }
        self._send(200, answers[server.mode])

    def _send(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def gateway(settings):
    server = Gateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SADOK_TURBOSMS_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SADOK_TURBOSMS_TOKEN = "secret-token"
    settings.SADOK_TURBOSMS_SENDER = "Sadok"
    settings.SADOK_SMS_TIMEOUT_SECONDS = 0.3
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


SMS = Sms(phone="+380501234567", text="Sadok: місце в садочку №216. Відповідь до 07.12 23:59")


def test_success_returns_the_gateways_message_id(gateway):
    assert TurboSms().send(SMS, key="offer_made:1:2:sms") == "f83f8868-5e46-c6cf-e4fb-615e5a293754"
    (request,) = gateway.requests
    assert request["path"] == "/message/send.json"
    assert request["auth"] == "Bearer secret-token"
    assert request["body"] == {
        "recipients": ["380501234567"],
        "sms": {"sender": "Sadok", "text": SMS.text},
        "sequence_id": "offer_made:1:2:sms",
    }
    assert len(SMS.text) <= 70  # one Cyrillic segment


def test_an_auth_error_is_retried_until_someone_fixes_the_token(gateway):
    gateway.mode = "auth"
    with pytest.raises(TransientSmsError, match="REQUIRED_TOKEN"):
        TurboSms().send(SMS, key="k")


def test_a_rate_limit_is_retried_later(gateway):
    gateway.mode = "rate_limit"
    with pytest.raises(TransientSmsError, match="429"):
        TurboSms().send(SMS, key="k")


def test_a_timeout_is_retried_later(gateway):
    gateway.mode = "timeout"
    with pytest.raises(TransientSmsError, match="did not answer in time"):
        TurboSms().send(SMS, key="k")


def test_a_refused_number_is_not_retried(gateway):
    gateway.mode = "bad_number"
    with pytest.raises(PermanentSmsError, match="NOT_ALLOWED_RECIPIENT_COUNTRY"):
        TurboSms().send(SMS, key="k")
