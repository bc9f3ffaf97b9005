"""The HTML drift report of 500 phones, opened in a real headless Chromium (Debian's package) and its DOM checked.

Chromium parses the page as a person's browser would; the test reads back the DOM it built: the summary cards
with their counts (coloured only above zero), the phones with something to show first and worst first, the clean
ones collapsed to one line, and a page that loaded with no script error (it has no script at all).
"""

import re
from html.parser import HTMLParser

from ansible_collections.grandstream.phone.plugins.plugin_utils.drift import DriftReport
from tests.helpers.chromium import dump_dom

PHONES = 500
UNREACHABLE = range(0, 3)
FAILED = range(3, 8)
DRIFTED = range(8, 20)


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


def fleet_report():
    report = DriftReport(produced_by={"playbook": "drift.yml", "inventory": ["inventory/"], "check_mode": True,
                                      "collection_version": "1.0.0"})
    for index in range(PHONES):
        host = "desk%03d" % index
        if index in UNREACHABLE:
            report.add_failure(host, "Configuration P-values", "gs_pvalues",
                               "%s: connection refused (is the phone up?)" % host, unreachable=True)
        elif index in FAILED:
            report.add_failure(host, "Configuration P-values", "gs_pvalues", "%s: HTTP 403 for api.values.get" % host)
        elif index in DRIFTED:
            before = [{"first_name": "Rita", "last_name": "Roth", "group": "Sales", "work": "7099"}]
            after = [{"first_name": "Rita", "last_name": "Roth", "group": "Sales", "work": "7002"}]
            report.add_result(host, "Phonebook", "gs_contacts", {"changed": True, "before": before, "after": after})
        else:
            report.add_result(host, "Configuration P-values", "gs_pvalues", {"changed": False, "changes": {}})
    return report


def test_the_html_report_of_500_phones_loads_in_chromium_problems_first_clean_collapsed(tmp_path):
    report = fleet_report()
    page = tmp_path / "drift.html"
    page.write_text(report.to_html(), encoding="utf-8")
    dom, log = dump_dom(str(page))

    assert "Uncaught" not in log and not re.search(r"CONSOLE\(\d+\)", log), log[-3000:]
    parsed = Elements()
    parsed.feed(dom)
    assert parsed.having("title")[0]["text"] == "Phone drift report"
    assert not parsed.having("script")
    assert parsed.having("p", id="produced-by")[0]["text"].startswith(
        "Produced by playbook drift.yml, inventory inventory/, check mode, started ")

    cards = {card["attrs"]["data-status"]: card for card in parsed.having("div", class_="card")}
    counts = {status: int(card["attrs"]["data-count"]) for status, card in cards.items()}
    assert counts == {"drifted": 12, "reboot pending": 0, "unverified": 0, "clean": 480, "failed": 5,
                      "unreachable": 3}
    for status, card in cards.items():  # coloured only when it counts something
        assert ("zero" in card["attrs"]["class"].split()) == (counts[status] == 0), status

    sections = [(section["attrs"]["data-host"], section["attrs"]["data-status"])
                for section in parsed.having("section", class_="phone")]
    expected = [("desk%03d" % index, status) for indexes, status in ((UNREACHABLE, "unreachable"),
                                                                     (FAILED, "failed"), (DRIFTED, "drifted"))
                for index in indexes]
    assert sections == expected  # exactly the phones with something to show, the worst first
    cells = [cell["text"] for cell in parsed.having("td")]
    assert "Rita Roth: work" in cells and "desk003: HTTP 403 for api.values.get" in cells

    details = parsed.having("details", id="clean-phones")
    assert len(details) == 1 and "open" not in details[0]["attrs"]  # collapsed until a person opens it
    assert parsed.having("summary")[0]["text"] == "480 clean"
    assert len(parsed.having("li", class_="clean-phone")) == 480
    # Readable at this size: one self-contained page, well under a megabyte for 500 phones.
    assert len(page.read_bytes()) < 200_000
