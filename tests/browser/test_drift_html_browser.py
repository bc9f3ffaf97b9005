"""The HTML drift report of 500 emulated phones, from a real drift run, opened in headless Chromium (Debian's package).

The report is what ``playbooks/drift_fleet.yml`` and the ``drift_report`` callback wrote through ansible-playbook
for 500 phones of one emulator (the fleet path: the per-host role would take many minutes for 500 phones):
12 drifted (a P-value changed behind the collection's back), 3 with a wrong password in the inventory (failed: the
phone answered and refused), 2 with invalid variables (failed before any request), 3 down (unreachable), the
other 480 clean. Chromium parses the page as a person's browser would; the test reads back the DOM it built: the
summary cards with their counts (coloured only above zero), the phones with something to show first and worst
first, the clean ones collapsed to one line, and a page that loaded with no script error (it has no script).
"""

import os
import re
from html.parser import HTMLParser

import pytest

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.chromium import dump_dom
from tests.helpers.emulator_proc import EmulatorProcess
from tests.integration.test_drift_fleet import playbook

PHONES = 500
UNREACHABLE = range(0, 3)
WRONG_PASSWORD = range(3, 6)
INVALID = range(6, 8)
DRIFTED = range(8, 20)
DESIRED = {"ntp.server": "ntp.site.test", "time.format": "24h"}
DESIRED_WIRE = {"P30": "ntp.site.test", "P122": "1"}  # how the phones hold DESIRED (checked below)
PLAYBOOK_TIMEOUT = 900  # a bound for a slow, shared machine; nothing is asserted about the time taken


class Elements(HTMLParser):
    """Every element of a DOM as {tag, attrs, text}: text is the element's own text, not its children's."""

    VOID = ("meta", "br", "img", "input", "link", "hr")

    def __init__(self):
        super().__init__()
        self.elements, self.open = [], []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        if self.open:
            self.open[-1]["text"] += data

    def having(self, tag, **attrs):
        """Elements ``tag`` whose attributes hold each value (class_ for class, data_x for data-x)."""
        def holds(element, name, value):
            found = element["attrs"].get(name.rstrip("_").replace("_", "-")) or ""
            return re.search(r"(^| )%s( |$)" % re.escape(value), found)
        return [element for element in self.elements if element["tag"] == tag
                and all(holds(element, name, value) for name, value in attrs.items())]


def _name(index):
    return "desk%03d" % index


@pytest.fixture(scope="module")
def drift_page(tmp_path_factory):
    """The HTML report of one drift_fleet.yml run over 500 emulated phones, and the run."""
    tmp_path = tmp_path_factory.mktemp("browser")
    with EmulatorProcess(count=PHONES, protocol="http", ready_timeout=120) as emulator:
        for index in range(PHONES):  # the desired state, as the phones hold it (no 500-phone provisioning run)
            emulator.set_pvalues(index, DESIRED_WIRE if index not in DRIFTED else dict(DESIRED_WIRE,
                                                                                       P30="ntp.elsewhere.test"))
        for index in UNREACHABLE:
            emulator.faults(index, {"down": True})
        inventory = inventory_for(emulator, "http", extra_vars={"phone_pvalues": DESIRED, "gs_retries": 0,
                                                                "gs_timeout": 3})
        hosts = inventory["all"]["children"]["phones"]["hosts"]
        inventory["all"]["children"]["phones"]["hosts"] = {_name(int(name[5:])): entry
                                                           for name, entry in hosts.items()}
        hosts = inventory["all"]["children"]["phones"]["hosts"]
        for index in WRONG_PASSWORD:
            hosts[_name(index)]["gs_password"] = "not-the-password"
        for index in INVALID:
            hosts[_name(index)]["phone_pvalues"] = {"ntp.servr": "ntp.site.test"}
        emulator.reset_counters()
        report_dir = tmp_path / "report"
        env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
               "GS_DRIFT_REPORT_DIR": str(report_dir), "ANSIBLE_TIMEOUT": "5"}
        run = run_playbook(tmp_path, playbook("drift_fleet.yml"), inventory, "-e", "fleet_forks=20", name="drift",
                           env=env, timeout=PLAYBOOK_TIMEOUT)
        total = emulator.counters()
        held = emulator.state(DRIFTED[0])["pvalues"]
    assert {name: held[name] for name in DESIRED_WIRE} == dict(DESIRED_WIRE, P30="ntp.elsewhere.test")
    assert total["writes"] == 0  # a drift check
    # Every phone it could reach was read after one login; a wrong password cost one failed login, no more.
    checked = PHONES - len(UNREACHABLE) - len(WRONG_PASSWORD) - len(INVALID)
    assert (total["logins"], total["failed_logins"]) == (checked, len(WRONG_PASSWORD)), total
    page = report_dir / "drift.html"
    assert page.exists(), run
    return page, run


def test_the_html_report_of_500_phones_loads_in_chromium_problems_first_clean_collapsed(drift_page):
    page, run = drift_page
    assert run.rc == 2, run  # the failed and unreachable phones fail on their own lines
    dom, log = dump_dom(str(page))

    assert "Uncaught" not in log and not re.search(r"CONSOLE\(\d+\)", log), log[-3000:]
    parsed = Elements()
    parsed.feed(dom)
    assert parsed.having("title")[0]["text"] == "Phone drift report"
    assert not parsed.having("script")
    assert parsed.having("p", id="produced-by")[0]["text"].startswith(
        "Produced by playbook drift.yml, inventory %s, check mode, started "
        % os.path.join(os.path.dirname(str(page.parent)), "drift-inventory.json"))

    cards = {card["attrs"]["data-status"]: card for card in parsed.having("div", class_="card")}
    counts = {status: int(card["attrs"]["data-count"]) for status, card in cards.items()}
    failed = len(WRONG_PASSWORD) + len(INVALID)
    assert counts == {"drifted": len(DRIFTED), "reboot pending": 0, "unverified": 0, "failed": failed,
                      "unreachable": len(UNREACHABLE), "clean": PHONES - len(DRIFTED) - failed - len(UNREACHABLE)}
    for status, card in cards.items():  # coloured only when it counts something
        assert ("zero" in card["attrs"]["class"].split()) == (counts[status] == 0), status

    sections = [(section["attrs"]["data-host"], section["attrs"]["data-status"])
                for section in parsed.having("section", class_="phone")]
    groups = ((UNREACHABLE, "unreachable"), (WRONG_PASSWORD, "failed"), (INVALID, "failed"), (DRIFTED, "drifted"))
    expected = [(_name(index), status) for indexes, status in groups for index in indexes]
    assert sorted(sections) == sorted(expected)  # exactly the phones with something to show
    ranks = {"unreachable": 0, "failed": 1, "drifted": 2}
    assert [ranks[status] for unused, status in sections] == sorted(ranks[status] for unused, status in sections)
    cells = [cell["text"] for cell in parsed.having("td")]
    assert "ntp.server" in " ".join(cells) and any("ntp.elsewhere.test" in cell for cell in cells), cells[:40]
    assert any("wrong password" in cell for cell in cells), cells[:40]

    clean = counts["clean"]
    details = parsed.having("details", id="clean-phones")
    assert len(details) == 1 and "open" not in details[0]["attrs"]  # collapsed until a person opens it
    assert parsed.having("summary")[0]["text"] == "%d clean" % clean
    assert len(parsed.having("li", class_="clean-phone")) == clean
    # Readable at this size: one self-contained page, well under a megabyte for 500 phones.
    assert len(page.read_bytes()) < 200_000
