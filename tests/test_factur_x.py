"""factur-x is loaded with ``requests`` deferred (core.factur_x): a first invoice doesn't pay for an HTTP client the XML
never uses, and factur-x's one use of it, the Schematron check through a Saxon server, still works."""
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from tests.test_einvoice import document, party, xml_of

ROOT = Path(__file__).resolve().parents[1]
SAXON_CHECK = """
import sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from core.factur_x import generate_xml
import facturx

deferred = "requests" in sys.modules and not {"requests.api", "urllib3"} & set(sys.modules)
posted = []


class Saxon(BaseHTTPRequestHandler):
    def do_POST(self):
        posted.append(self.rfile.read(int(self.headers["Content-Length"])))
        body = b'<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl"/>'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Saxon)
threading.Thread(target=server.serve_forever, daemon=True).start()
with open(sys.argv[1], "rb") as xml:
    valid = facturx.xml_check_schematron(
        xml.read(), flavor="factur-x", level="en16931", saxon_server_codedb_dir="/codedb",
        saxon_server_url=f"http://127.0.0.1:{server.server_port}/transform", saxon_server_raise_if_http_error=True)
print(deferred, valid, len(posted), b"file_to_check.xml" in posted[0] and b"<rsm:CrossIndustryInvoice" in posted[0])
"""


def test_requests_loads_on_first_use_and_factur_x_s_saxon_check_posts_through_it(tmp_path: Path) -> None:
    xml = tmp_path / "factur-x.xml"
    xml.write_bytes(xml_of(document(party("DE", name="Jane Doe Design"), party("FR", name="ACME SARL"),
                                    [(Decimal(80), 90, Decimal(0))], "EUR", Decimal(19))))
    result = subprocess.run([sys.executable, "-c", SAXON_CHECK, str(xml)], capture_output=True, text=True, cwd=ROOT,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "1", "True"]
