"""reboot_pending.py: the pending-reboot markers (uptime arithmetic)."""

from ansible_collections.grandstream.phone.plugins.module_utils import reboot_pending


def test_uptime_arithmetic():
    assert reboot_pending.booted_since(60, last_write_at=1000.0, now=1100.0)
    assert not reboot_pending.booted_since(99, last_write_at=1000.0, now=1100.0)  # within the margin
    assert reboot_pending.parse_uptime(" 21 days, 1 hour, 50 minutes, 23seconds") == 21 * 86400 + 3600 + 3000 + 23
    assert reboot_pending.parse_uptime("soon") is None
