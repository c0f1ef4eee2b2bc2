"""A partner centre's webhook receiver, for the tests: it checks each delivery with the verification recipe of
docs/api.md (read from that page, so the documented code is the code tested), answers 400 to what fails it, and
appends what it accepted to a log file, one JSON line per delivery.

    python tests/api/webhook_receiver.py PORT SECRET LOG
"""

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def recipe() -> dict:
    """The names defined by the Python block under "Verifying a delivery" in docs/api.md."""
    section = DOCS.read_text(encoding="utf-8").split("### Verifying a delivery", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(code, f"{DOCS}#verifying-a-delivery", "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace


def serve(port: int, secret: str, log: Path) -> None:
    verify = recipe()["verify"]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            timestamp = self.headers.get("X-Talentfair-Timestamp")
            if not verify(secret, body, timestamp, self.headers.get("X-Talentfair-Signature")):
                self._answer(400, b"bad signature")
                return
            data = json.loads(body)
            with log.open("a", encoding="utf-8") as out:
                line = {
                    "delivery": data["delivery"],
                    "header": self.headers.get("X-Talentfair-Delivery"),
                    "events": [[e["seq"], e["vacancy_id"], e["kind"], e["vacancy"]["status"]] for e in data["events"]],
                    "last_seq": data["last_seq"],
                }
                out.write(json.dumps(line) + "\n")
            self._answer(200, b"ok")

        def _answer(self, status: int, text: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
