"""site_waves: the per-site throttle of playbooks/firmware.yml."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.grandstream.phone.plugins.filter.site_waves import FilterModule, site_waves

HOSTVARS = {"a1": {"site": "a"}, "a2": {"site": "a"}, "a3": {"site": "a"}, "b1": {"site": "b"},
            "x1": {}, "x2": {"site": None}}


def test_no_wave_holds_more_than_per_site_hosts_of_one_site():
    assert site_waves(["a1", "a2", "a3", "b1"], HOSTVARS) == {"a1": 0, "a2": 1, "a3": 2, "b1": 0}
    assert site_waves(["a1", "a2", "a3", "b1"], HOSTVARS, per_site=2) == {"a1": 0, "a2": 0, "a3": 1, "b1": 0}


def test_hosts_without_a_site_share_one_and_are_throttled_too():
    assert site_waves(["x1", "x2", "b1"], HOSTVARS) == {"x1": 0, "x2": 1, "b1": 0}


def test_another_site_variable_can_be_named():
    hostvars = {"p1": {"building": "hq"}, "p2": {"building": "hq"}}
    assert site_waves(["p1", "p2"], hostvars, 1, "building") == {"p1": 0, "p2": 1}


@pytest.mark.parametrize("per_site", [0, -1, "many", None])
def test_a_bad_per_site_is_refused(per_site):
    with pytest.raises(AnsibleFilterError, match="per_site"):
        site_waves(["a1"], HOSTVARS, per_site)


def test_the_filter_is_registered():
    assert FilterModule().filters()["site_waves"] is site_waves
