#!/usr/bin/python3
"""Peer driver: python3-saml (Debian's python3-onelogin-saml2) as the SP library.

Reads every case from one JSON file (path argument, or stdin when none or "-"), validates each
SAMLResponse in this one process with OneLogin_Saml2_Response(settings, b64).is_valid(request_data,
request_id), and prints one JSON line per case: id, library, version, accepted, message (get_error(),
verbatim). See test/peers/cases.ts for the case format.

Run it with Debian's interpreter, /usr/bin/python3, which is the one that imports Debian's packages:
    /usr/bin/python3 test/peers/python3-saml.py cases.json
Exits 3 when the library cannot be imported.
"""
import calendar
import json
import subprocess
import sys
from datetime import datetime
from urllib.parse import urlsplit

LIBRARY = "python3-saml"
DEBIAN_PACKAGE = "python3-onelogin-saml2"
MISSING_LIBRARY = 3

try:
    from onelogin.saml2.response import OneLogin_Saml2_Response
    from onelogin.saml2.settings import OneLogin_Saml2_Settings
    from onelogin.saml2.utils import OneLogin_Saml2_Utils
except ImportError as err:
    sys.stderr.write(
        "%s cannot be imported by %s (%s): install the Debian package %s "
        "(apt-get install --no-install-recommends %s)\n"
        % (LIBRARY, sys.executable, err, DEBIAN_PACKAGE, DEBIAN_PACKAGE)
    )
    sys.exit(MISSING_LIBRARY)

POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"


def package_version():
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE],
            capture_output=True, text=True, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not installed from a Debian package)"


def settings_for(case):
    options = (case.get("options") or {}).get(LIBRARY) or {}
    security = dict(options.get("security") or {})
    sp = {
        "entityId": case["spEntityId"],
        "assertionConsumerService": {"url": case["acsUrl"], "binding": POST},
    }
    if case.get("spPrivateKeyPem"):
        sp["privateKey"] = case["spPrivateKeyPem"]
    return OneLogin_Saml2_Settings(
        {
            "strict": options.get("strict", True),
            "debug": False,
            "sp": sp,
            "idp": {
                "entityId": case["idpEntityId"],
                # Not used to validate a response; the settings require one.
                "singleSignOnService": {"url": case["idpEntityId"], "binding": REDIRECT},
                "x509cert": case["idpCertificatePem"],
            },
            "security": security,
        },
        sp_validation_only=True,
    )


def request_data_for(case):
    """What a web framework hands python3-saml for the POST that arrived at the ACS URL."""
    url = urlsplit(case["acsUrl"])
    return {
        "https": "on" if url.scheme == "https" else "off",
        "http_host": url.netloc,
        "script_name": url.path,
        "get_data": {},
        "post_data": {"SAMLResponse": case["responseBase64"]},
    }


REAL_NOW = OneLogin_Saml2_Utils.now


def set_clock(now):
    """python3-saml reads the time through OneLogin_Saml2_Utils.now() (seconds since the epoch); a
    case with "now" moves only that clock to the case's instant."""
    if now is None:
        OneLogin_Saml2_Utils.now = REAL_NOW
    else:
        instant = calendar.timegm(datetime.strptime(now[:19], "%Y-%m-%dT%H:%M:%S").timetuple())
        OneLogin_Saml2_Utils.now = staticmethod(lambda: instant)


def validate(case):
    set_clock(case.get("now"))
    try:
        response = OneLogin_Saml2_Response(settings_for(case), case["responseBase64"])
        accepted = bool(response.is_valid(request_data_for(case), case.get("requestId")))
        return accepted, "" if accepted else (response.get_error() or "")
    except Exception as err:  # what the SP's own code would see raised
        return False, str(err)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "-"
    text = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
    version = package_version()
    for case in json.loads(text):
        accepted, message = validate(case)
        line = {"id": case["id"], "library": LIBRARY, "version": version, "accepted": accepted, "message": message}
        sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
