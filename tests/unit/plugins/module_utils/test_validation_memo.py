"""The batch memo of the variable validator (gs_fleet, gs_validate with hosts): the same problems per host as
without it, each shared layer checked once per batch."""

import json

from ansible_collections.grandstream.phone.plugins.module_utils import vars_validation

# Layers shared by the hosts of a batch (group variables: the same objects in every host's variables).
SITE_PVALUES = {"P30": "pool.ntp.org", "time.format": "24h"}
BAD_SITE_PVALUES = {"time.format": "25h", "P9999999": "1"}
GROUPS = [{"name": "Sales"}]
CONTACTS = [{"first_name": "Ann", "group": "Sales", "work": "100"}]
BAD_GROUPS = [{"name": "Sales"}, {"name": ""}]
BAD_CONTACTS = [{"first_name": "", "email": "nope"}, {"first_name": "Sip", "work": "sip:x@pbx"}]


def batch():
    """{host: variables}: valid and invalid hosts sharing layer objects, with their own layers on top."""
    shared = {"phone_pvalues": SITE_PVALUES, "phone_groups": GROUPS, "phone_contacts": CONTACTS}
    hosts = {}
    for index in range(6):
        variables = dict(shared)
        variables["phone_host_pvalues"] = {"P35": "10%d" % index}
        variables["phone_host_contacts"] = [{"first_name": "Own%d" % index, "group": "Support" if index % 2 else
                                             "Sales"}]
        hosts["phone%d" % index] = variables
    hosts["bad-site"] = dict(shared, phone_pvalues=BAD_SITE_PVALUES)
    hosts["unknown-names"] = dict(shared, phone_contactz=[], phone_zzz=1, gs_port=0)
    hosts["secret"] = dict(shared, phone_admin_password="Bad Secret 7f3", phone_groups_state="present")
    hosts["named-layer"] = dict(shared, phone_layer_lobby={"time.format": "x"}, phone_pvalues_layers=[])
    hosts["model-layer"] = dict(shared, phone_model_pvalues={"GRP2612": {"time.format": "12h"}, "XYZ": {}})
    hosts["bad-phonebook"] = dict(shared, phone_groups=BAD_GROUPS, phone_contacts=BAD_CONTACTS)
    hosts["bad-phonebook-too"] = dict(hosts["bad-phonebook"], phone_groups_state="deleted")
    hosts["again"] = dict(shared)  # a host after every other: all its layers come from the memo
    return hosts


def test_every_host_gets_the_same_problems_with_the_memo_as_without_it():
    hosts = batch()
    memo = vars_validation.ValidationMemo()
    alone = {name: vars_validation.validation_errors(variables) for name, variables in hosts.items()}
    with_memo = {name: vars_validation.validation_errors(variables, memo=memo) for name, variables in hosts.items()}
    assert with_memo == alone
    # not a vacuous comparison: the batch holds valid hosts and hosts with problems of every stage
    assert alone["phone0"] == [] and alone["phone1"] and alone["bad-site"] and alone["unknown-names"]
    assert any("not shown" in problem for problem in alone["secret"])
    assert alone["named-layer"] and alone["model-layer"] and alone["bad-phonebook"] and alone["bad-phonebook-too"]


def test_a_shared_layer_is_checked_once_per_batch_and_another_object_again(monkeypatch):
    checked = []
    real = vars_validation._catalog_errors

    def counting(pvalues, path):
        checked.append(path)
        return real(pvalues, path)

    monkeypatch.setattr(vars_validation, "_catalog_errors", counting)
    memo = vars_validation.ValidationMemo()
    hosts = batch()
    for name in ("phone0", "phone1", "phone2"):
        vars_validation.validation_errors(hosts[name], memo=memo)
    assert checked.count("phone_pvalues") == 1  # the site layer: one object for every host
    assert checked.count("phone_host_pvalues") == 3  # each host's own
    # an equal layer that is another object is checked again: the memo goes by identity, never by a guess
    vars_validation.validation_errors(dict(hosts["phone0"], phone_pvalues=dict(SITE_PVALUES)), memo=memo)
    assert checked.count("phone_pvalues") == 2


def test_the_schema_top_level_has_no_keyword_across_variables():
    """The memo checks each variable of the top level alone: only valid while no top-level keyword (required,
    dependentRequired, if / then, allOf, ...) relates variables to each other."""
    with open(vars_validation.DEFAULT_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    assert set(schema) <= {"$schema", "$id", "title", "description", "type", "additionalProperties",
                           "patternProperties", "properties", "$defs"}
    assert schema["additionalProperties"] is False


def test_every_host_gets_the_same_secrets_with_the_memo_and_a_shared_layer_is_walked_once(monkeypatch):
    hosts = batch()
    hosts["sip"] = dict(hosts["phone0"], phone_pvalues=dict(SITE_PVALUES, **{"account1.password": "Sip Pass 9q"}))
    memo = vars_validation.ValidationMemo()
    alone = {name: sorted(vars_validation.secret_values({"data": variables})) for name, variables in hosts.items()}
    with_memo = {name: sorted(vars_validation.secret_values({"data": variables}, memo=memo))
                 for name, variables in hosts.items()}
    assert with_memo == alone
    assert alone["secret"] == ["Bad Secret 7f3"] and alone["sip"] == ["Sip Pass 9q"] and alone["phone0"] == []
    walked = []
    real = vars_validation._secrets_in
    monkeypatch.setattr(vars_validation, "_secrets_in", lambda value, path: walked.append(path) or real(value, path))
    memo = vars_validation.ValidationMemo()
    for name in ("phone0", "phone1", "phone2"):
        vars_validation.secret_values({"data": hosts[name]}, memo=memo)
    assert walked.count(("phone_pvalues",)) == 1 and walked.count(("phone_host_pvalues",)) == 3
