"""pvalue_rules.py: the P-value rules gs_validate and gs_pvalues share (validation messages with the given path)."""

from ansible_collections.grandstream.phone.plugins.module_utils import pvalue_rules


def test_validation_errors_for_gs_validate_use_the_given_path():
    errors = pvalue_rules.validation_errors({"account1.transport": "sctp", "ntp.server": "ok", "wifi.key": "TOPSEC"},
                                            path="phone_pvalues")
    assert errors == ["phone_pvalues.account1.transport: must be one of udp(0), tcp(1), tls(2), got 'sctp'",
                      "phone_pvalues.wifi.key: must be at least 8 characters (is 6)"]
    assert pvalue_rules.validation_errors({"P47": "pbx"}) == []
