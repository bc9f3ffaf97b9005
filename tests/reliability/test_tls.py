"""TLS: certificates are validated by default; ca_path or validate_certs: false are the two ways in.

The emulator serves each phone over HTTP and HTTPS (``--protocol both``) with a self-signed
certificate, as real phones do. One playbook tries every combination on the HTTPS port; the whole
run has ``REQUESTS_CA_BUNDLE`` set to a public CA bundle, so it also proves that the environment
cannot override ``ca_path`` (requests lets it override ``Session.verify``). The playbook runs once on
guide-dialect phones and once on current-firmware phones (``[guide]`` / ``[current]``): real phones on
current firmware were captured over HTTPS.
"""

import certifi
import pytest

from tests.helpers.ansible_run import inventory_for, play
from tests.helpers.emulator_proc import EmulatorProcess
from tests.reliability.support import SEED, RecordedRun, both_dialects, computed_once, module_task, run, task_result

HOST = "phone0"
# The settings write of each dialect, as the emulator's counters name it (the guide's URL says api.values.post).
SETTINGS_WRITE = {"guide": "api-values.post", "current": "config_update"}
dialect = both_dialects()


def _tls_tasks(emulator):
    cert = str(emulator.cert_path)
    return [
        module_task("default", "gs_info", {}, ignore_errors=True),
        module_task("validate_certs true", "gs_info", {"validate_certs": True}, ignore_errors=True),
        module_task("public CA bundle", "gs_info", {"ca_path": certifi.where()}, ignore_errors=True),
        module_task("ca_path", "gs_info", {"ca_path": cert}),
        module_task("ca_path by name", "gs_info", {"ca_path": cert, "host": "localhost"}),
        module_task("write with ca_path", "gs_pvalues", {"ca_path": cert, "values": {"ntp.server": "ntp.tls.test"}}),
        module_task("validate_certs false", "gs_info", {"validate_certs": False}),
        module_task("https to the http port", "gs_info", {"validate_certs": False, "port": emulator.ports[0]},
                    ignore_errors=True),
    ]


@pytest.fixture(scope="module")
def tls_run(tmp_path_factory, dialect):
    """One playbook of TLS cases against phone 0's HTTPS port (run once per session and dialect)."""

    def produce():
        with EmulatorProcess(count=1, protocol="both", firmware=dialect,
                             extra_args=["--seed", str(SEED)]) as emulator:
            playbook_run = run(tmp_path_factory.mktemp("tls"), play(*_tls_tasks(emulator)),
                               inventory_for(emulator, "https", count=1),
                               env={"REQUESTS_CA_BUNDLE": certifi.where(), "CURL_CA_BUNDLE": certifi.where()})
            state = emulator.state(0)
            return RecordedRun.data_of(playbook_run, http_port=emulator.ports[0],
                                       https_port=emulator.https_ports[0], mac=state["mac"],
                                       ntp=state["pvalues"]["P30"],
                                       failed_logins=emulator.counters(0)["failed_logins"],
                                       by_endpoint=emulator.counters(0)["by_endpoint"])

    return RecordedRun(computed_once(tmp_path_factory, "tls-" + dialect, produce))


@pytest.mark.parametrize("task", ["default", "validate_certs true", "public CA bundle"])
def test_an_untrusted_certificate_is_refused_with_a_clear_message(tls_run, task):
    result = task_result(tls_run, HOST, task)
    assert result["_status"] == "failed"
    port = tls_run.facts["https_port"]
    assert result["msg"] == ("127.0.0.1:%d: the TLS certificate of https://127.0.0.1:%d is self-signed and not "
                             "trusted by this controller (phones ship self-signed certificates): set ca_path to that "
                             "certificate or to the CA that signed it" % (port, port)
                             + ("; ca_path (gs_ca_path) is %s, which holds neither this certificate nor the CA that "
                                "signed it" % certifi.where() if task == "public CA bundle" else ""))
    assert result["error_kind"] == "tls"
    assert tls_run.facts["failed_logins"] == 0  # a refused handshake never reached a login


@pytest.mark.parametrize("task", ["ca_path", "ca_path by name", "validate_certs false"])
def test_ca_path_or_no_validation_connects(tls_run, task):
    result = task_result(tls_run, HOST, task)
    assert result["_status"] == "ok", result
    assert result["system"]["mac"] == tls_run.facts["mac"]


def test_a_write_over_tls_with_ca_path_sticks(tls_run, dialect):
    assert task_result(tls_run, HOST, "write with ca_path")["changed"] is True
    assert tls_run.facts["by_endpoint"].get(SETTINGS_WRITE[dialect]) == 1, tls_run.facts  # the dialect's own write
    assert tls_run.facts["ntp"] == "ntp.tls.test"
    assert tls_run.rc == 0, tls_run  # every failure above was an expected, ignored one


def test_https_to_a_plain_http_port_says_so(tls_run):
    result = task_result(tls_run, HOST, "https to the http port")
    assert result["_status"] == "failed"
    assert result["msg"].startswith("127.0.0.1:%d: TLS handshake failed" % tls_run.facts["http_port"])
    assert result["msg"].endswith("does not speak HTTPS; port %d answers without TLS, but protocol (gs_protocol) is "
                                  "https: set gs_protocol: http for this phone, or gs_port to its HTTPS port (443 by "
                                  "default)" % tls_run.facts["http_port"])
