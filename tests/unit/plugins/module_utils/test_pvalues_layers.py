"""gs_pvalues with ``layers``: the role's layers merged by desired_state's one merge, the model learned in the
task's one read (no request more), secrets in any layer scrubbed, a phone without a model named."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import desired_state, pvalues
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
# private_cache is test_pvalues' autouse fixture: importing it is what applies it here too.
from tests.unit.plugins.module_utils.test_pvalues import FakeClient
from tests.unit.plugins.module_utils.test_pvalues import private_cache  # noqa: F401 pylint: disable=unused-import

LAYERS = {
    "phone_pvalues": {"ntp.server": "ntp.site.test", "display.language": "en", "time.zone": "GMT"},
    "phone_model_pvalues": {"GXV3370": {"display.language": "de", "time.zone": "EST5EDT"},
                            "GXV3380": {"time.format": "12h"}},
    "phone_group_pvalues": {"display.language": "fr"},  # over the model layer
}


class FactsClient(FakeClient):
    """A current-dialect phone: its model came with the unauthenticated probe."""

    def __init__(self, model, **options):
        FakeClient.__init__(self, **options)
        self.model = model

    def phone_facts(self):
        return {"model": self.model}


def layered(layers=None, check_mode=True, **params):
    return dict({"layers": dict(LAYERS if layers is None else layers), "update_secrets": "on_create",
                 "strict": False}, **params), check_mode


def test_the_model_from_p89_chooses_its_entry_in_the_one_read():
    client = FakeClient()  # P89 GXV3370
    params, check_mode = layered()
    result = pvalues.run(client, params, check_mode)
    assert len(client.reads) == 1 and "P89" in client.reads[0]
    assert result["model_layer"] == "GXV3370"
    # The merge is desired_state's: site, then the GXV3370 entry, then the group layer over both.
    expected = desired_state.merged_pvalues(LAYERS, model="GXV3370")
    assert expected == {"ntp.server": "ntp.site.test", "display.language": "fr", "time.zone": "EST5EDT"}
    assert {change["after"] for change in result["changes"].values()} >= {"ntp.site.test", "EST5EDT"}
    assert "time.format" not in result["after"]  # the other model's entry is not merged


def test_the_dialects_model_wins_and_the_read_is_the_same_one():
    client = FactsClient("GXV3380")
    result = pvalues.run(client, *layered())
    assert result["model_layer"] == "GXV3380" and len(client.reads) == 1
    assert "time.format" in result["after"] and result["after"]["time.zone"] == "GMT"


def test_a_given_model_reads_only_the_names_of_its_merge():
    client = FakeClient()
    result = pvalues.run(client, *layered(model="GXV3380"))
    assert result["model_layer"] == "GXV3380"
    flat = FakeClient()
    with_values = pvalues.run(flat, {"values": desired_state.merged_pvalues(LAYERS, model="GXV3380")}, True)
    assert result["after"] == with_values["after"]
    assert client.reads == flat.reads and len(client.reads) == 1


def test_without_a_model_layer_the_layers_merge_without_one():
    client = FakeClient()
    layers = {name: value for name, value in LAYERS.items() if name != "phone_model_pvalues"}
    result = pvalues.run(client, *layered(layers))
    assert "model_layer" not in result and result["after"]["display.language"] == "fr"


def test_a_phone_that_reports_no_model_fails_naming_the_variable_and_writes_nothing():
    client = FakeClient({"P89": ""})
    with pytest.raises(PhoneError) as failure:
        pvalues.run(client, *layered(check_mode=False))
    assert "phone_model_pvalues is set, but the phone reported no model" in str(failure.value)
    assert "phone1:80" in str(failure.value) and client.posts == []


def test_nothing_desired_in_the_layers_needs_no_phone():
    params = {"layers": {"phone_pvalues": {}, "phone_model_pvalues": {}, "phone_group_pvalues": {}}}
    assert pvalues.needs_phone(params) is False
    assert pvalues.needs_phone({"layers": {"phone_model_pvalues": {"GXV3370": {}}}}) is True  # the model decides
    assert pvalues.needs_phone({"values": {}}) is False


def test_a_layer_that_is_not_a_mapping_is_refused_before_any_request():
    client = FakeClient()
    with pytest.raises(ValidationError) as failure:
        pvalues.run(client, *layered({"phone_model_pvalues": ["GXV3370"]}))
    assert "phone_model_pvalues must be a mapping" in str(failure.value) and client.reads == []


def test_secrets_of_every_layer_and_model_are_scrubbed():
    layers = {"phone_pvalues": {"account1.password": "SITE-SECRET-1"},
              "phone_model_pvalues": {"GXV3380": {"account2.password": "MODEL-SECRET-2"}},
              "phone_host_pvalues": {"P2": "HOST-SECRET-3"}}
    assert pvalues.ENGINE.secret_values({"layers": layers}) == {"SITE-SECRET-1", "MODEL-SECRET-2", "HOST-SECRET-3"}


def test_values_and_layers_are_exclusive_and_model_needs_layers():
    validate = pvalues.ENGINE.validate
    base = {"host": "h", "password": "p"}
    assert "mutually exclusive" in " ".join(validate(dict(base, values={}, layers={})).error_messages)
    assert validate(dict(base)).error_messages  # one of them is required
    assert validate(dict(base, values={}, model="GXV3370")).error_messages
    assert not validate(dict(base, layers={}, model="GXV3370")).error_messages
