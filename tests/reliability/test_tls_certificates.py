"""What is wrong with a phone's certificate is said plainly, steering to a fix that keeps verification on.

Each case starts the emulator with a certificate made here (``--cert-dir``: the emulator serves the
cert.pem / key.pem it finds there) and runs gs_info through ansible-playbook with ``ca_path`` set to it,
so only the one defect of the certificate is left for the TLS check to find.
"""

import datetime
import ipaddress
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers.ansible_run import inventory_for, play
from tests.helpers.emulator_proc import EmulatorProcess
from tests.reliability.support import SEED, module_task, run, task_result


def write_certificate(directory, names, valid_days=(-1, 365)):
    """A self-signed CA certificate for ``names`` (host names or IP addresses), valid from/until the given days."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    alternative = []
    for name in names:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=valid_days[0]))
        .not_valid_after(now + datetime.timedelta(days=valid_days[1]))
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return directory / "cert.pem"


CASES = {
    "expired": (["127.0.0.1", "localhost"], (-30, -1),
                "is outside its validity period (expired, or not valid yet: check the phone's clock and the "
                "controller's): renew the phone's certificate (or fix the date) and keep validate_certs on"),
    "hostname mismatch": (["phone.example.test"], (-1, 365),
                          "is not valid for the name '127.0.0.1' (hostname mismatch): connect with a host name the "
                          "certificate holds (its subject alternative names), or give the phone a certificate for "
                          "this name"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_certificate_defect_is_named_without_suggesting_to_switch_verification_off(tmp_path, case):
    names, valid_days, expected = CASES[case]
    cert = write_certificate(tmp_path / "certs", names, valid_days)
    with EmulatorProcess(count=1, protocol="https", extra_args=["--seed", str(SEED), "--cert-dir",
                                                                str(tmp_path / "certs")]) as emulator:
        playbook_run = run(tmp_path, play(module_task("info", "gs_info", {"ca_path": str(cert)})),
                           inventory_for(emulator, "https", count=1))
        port = emulator.ports[0]
        requests_made = emulator.counters(0)["requests"]
    result = task_result(playbook_run, "phone0", "info")
    assert result["_status"] == "failed" and result["error_kind"] == "tls"
    assert result["msg"] == "127.0.0.1:%d: the TLS certificate of https://127.0.0.1:%d %s" % (port, port, expected)
    assert "validate_certs: false" not in result["msg"]
    assert requests_made == 0  # the handshake failed: no request reached the phone


@pytest.mark.parametrize("problem", ["missing", "unreadable"])
def test_a_ca_path_that_cannot_be_read_is_named_before_any_request(tmp_path, problem):
    ca_path = tmp_path / "phone-ca.pem"
    if problem == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads every file")
        ca_path.write_text("not read")
        ca_path.chmod(0)
    with EmulatorProcess(count=1, protocol="https", extra_args=["--seed", str(SEED)]) as emulator:
        playbook_run = run(tmp_path, play(module_task("info", "gs_info", {"ca_path": str(ca_path)})),
                           inventory_for(emulator, "https", count=1))
        port = emulator.ports[0]
        requests_made = emulator.counters(0)["requests"]
    result = task_result(playbook_run, "phone0", "info")
    assert result["_status"] == "failed" and result["field"] == "ca_path"
    words = "does not exist" if problem == "missing" else "cannot be read"
    assert result["msg"].startswith("127.0.0.1:%d: ca_path %s %s: set ca_path to the PEM file" % (port, ca_path, words))
    assert requests_made == 0
