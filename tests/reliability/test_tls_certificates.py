"""What is wrong with a phone's certificate is said plainly, steering to a fix that keeps verification on.

Each case starts the emulator with a certificate made here (``--cert-dir``: the emulator serves the
cert.pem / key.pem it finds there) and runs gs_info through ansible-playbook with ``ca_path`` set to it,
so only the one defect of the certificate is left for the TLS check to find. Every case runs on guide-dialect
phones and on current-firmware phones (``[guide]`` / ``[current]``): real phones on current firmware were
captured over HTTPS.
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
from tests.reliability.support import SEED, both_dialects, module_task, run, task_result

dialect = both_dialects()


def _names(names):
    alternative = []
    for name in names:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(alternative)


def _pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _certificate(subject_name, key, issuer_name, issuer_key, names, valid_days, ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_name)])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)])
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=valid_days[0]))
        .not_valid_after(now + datetime.timedelta(days=valid_days[1]))
        .add_extension(_names(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256()))


def write_certificate(directory, names, valid_days=(-1, 365), signed_by_another_ca=False):
    """The phone's cert.pem / key.pem for ``names`` (host names or IP addresses), valid from/until the given days.

    Self-signed (and its own ``ca_path``), or signed by a CA of its own while the returned ``ca_path`` is an
    unrelated CA: the controller then trusts the wrong CA."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    if signed_by_another_ca:
        phone_ca_key, other_ca_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        certificate = _certificate(names[0], key, "Phone CA", phone_ca_key, names, valid_days, ca=False)
        other_ca = _certificate("Other CA", other_ca_key, "Other CA", other_ca_key, ["other-ca.test"], (-1, 365),
                                ca=True)
        ca_path = directory / "other-ca.pem"
        ca_path.write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    else:
        certificate = _certificate(names[0], key, names[0], key, names, valid_days, ca=True)
        ca_path = directory / "cert.pem"
    (directory / "key.pem").write_bytes(_pem(key))
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return ca_path


CASES = {
    "unknown CA": (["127.0.0.1", "localhost"], (-1, 365),
                   "is signed by a CA this controller does not trust (unknown CA): set ca_path to the PEM file of "
                   "the CA that signed it"),
    "expired": (["127.0.0.1", "localhost"], (-30, -1),
                "is outside its validity period (expired, or not valid yet: check the phone's clock and the "
                "controller's): renew the phone's certificate (or fix the date) and keep validate_certs on"),
    "hostname mismatch": (["phone.example.test"], (-1, 365),
                          "is not valid for the name '127.0.0.1' (hostname mismatch): connect with a host name the "
                          "certificate holds (its subject alternative names), or give the phone a certificate for "
                          "this name"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_certificate_defect_is_named_without_suggesting_to_switch_verification_off(tmp_path, case, dialect):
    names, valid_days, expected = CASES[case]
    cert = write_certificate(tmp_path / "certs", names, valid_days, signed_by_another_ca=case == "unknown CA")
    with EmulatorProcess(count=1, protocol="https", firmware=dialect,
                         extra_args=["--seed", str(SEED), "--cert-dir", str(tmp_path / "certs")]) as emulator:
        playbook_run = run(tmp_path, play(module_task("info", "gs_info", {"ca_path": str(cert)})),
                           inventory_for(emulator, "https", count=1))
        port = emulator.ports[0]
        requests_made = emulator.counters(0)["requests"]
    result = task_result(playbook_run, "phone0", "info")
    assert result["_status"] == "failed" and result["error_kind"] == "tls"
    if case == "unknown CA":  # ca_path is set, and it is the one to fix
        expected += "; ca_path (gs_ca_path) is %s, which holds neither this certificate nor the CA that signed it" % (
            cert,)
    assert result["msg"] == "127.0.0.1:%d: the TLS certificate of https://127.0.0.1:%d %s" % (port, port, expected)
    assert "validate_certs: false" not in result["msg"]
    assert requests_made == 0  # the handshake failed: no request reached the phone


@pytest.mark.parametrize("problem", ["missing", "unreadable"])
def test_a_ca_path_that_cannot_be_read_is_named_before_any_request(tmp_path, problem, dialect):
    ca_path = tmp_path / "phone-ca.pem"
    if problem == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads every file")
        ca_path.write_text("not read")
        ca_path.chmod(0)
    with EmulatorProcess(count=1, protocol="https", firmware=dialect, extra_args=["--seed", str(SEED)]) as emulator:
        playbook_run = run(tmp_path, play(module_task("info", "gs_info", {"ca_path": str(ca_path)})),
                           inventory_for(emulator, "https", count=1))
        port = emulator.ports[0]
        requests_made = emulator.counters(0)["requests"]
    result = task_result(playbook_run, "phone0", "info")
    assert result["_status"] == "failed" and result["field"] == "ca_path"
    words = "does not exist" if problem == "missing" else "cannot be read"
    assert result["msg"].startswith("127.0.0.1:%d: ca_path %s %s: set ca_path to the PEM file" % (port, ca_path, words))
    assert requests_made == 0
