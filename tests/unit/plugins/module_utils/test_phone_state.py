"""phone_state (gs_phone): the role's variables mapped to the parts' options, and the parts in the task's result."""

from ansible_collections.grandstream.phone.plugins.module_utils import phone_state


def test_an_empty_password_is_left_alone_and_the_user_current_one_goes_only_with_a_user_password():
    options = phone_state.options_from_variables({"phone_admin_password": "", "phone_user_current_password": "123"})
    assert not {"admin_password", "user_password", "user_current_password"} & set(options)
    options = phone_state.options_from_variables({"phone_user_password": "New-User-1",
                                                  "phone_user_current_password": "123"})
    assert (options["user_password"], options["user_current_password"]) == ("New-User-1", "123")
    expected = {"role": "user", "new_password": "New-User-1", "current_password": "123"}
    assert phone_state.part_options(options)["user_password"] == expected


def test_the_phonebook_takes_groups_only_when_some_are_listed_or_overridden():
    options = phone_state.options_from_variables({"phone_contacts": [{"first_name": "Ada"}],
                                                  "phone_host_contacts": [{"first_name": "Bo"}]})
    assert options["phonebook"] == {"config": [{"first_name": "Ada"}, {"first_name": "Bo"}], "state": "merged",
                                    "groups_state": "merged"}
    overridden = phone_state.options_from_variables({"phone_groups_state": "overridden"})["phonebook"]
    assert overridden["groups"] == []


def test_only_the_layers_set_go_to_the_pvalues_part_with_the_model_of_gs_model():
    options = phone_state.options_from_variables({"phone_pvalues_layers": ["phone_layer_floor"],
                                                  "phone_layer_floor": {"time.zone": "GMT0"}, "gs_model": "WP820"})
    assert options["pvalues"]["model"] == "WP820"
    assert options["pvalues"]["layers"]["phone_layer_floor"] == {"time.zone": "GMT0"}


def test_the_variables_read_are_the_named_layers_listed_and_nothing_else():
    held = {"phone_pvalues_layers": ["phone_layer_a"], "phone_layer_a": {"x": 1}, "phone_layer_b": {"y": 2},
            "unrelated": 1}
    read = phone_state.variables_read(held.__getitem__)
    assert read == {"phone_pvalues_layers": ["phone_layer_a"], "phone_layer_a": {"x": 1}}


def test_a_failed_phonebook_names_the_parts_that_still_ran_and_what_the_others_applied():
    results = {"phonebook": {"failed": True, "msg": "h: HTTP 503", "error_kind": "http"},
               "pvalues": {"changed": True, "reboot_required": True, "unverified": ["P34"]},
               "admin_password": {"failed": True, "changed": True, "msg": "h: no answer", "error_kind": "timeout",
                                  "applied": ["change admin password"]}}
    outcome = phone_state._summary(results, ["phonebook", "admin_password"])
    assert outcome["msg"] == ("h: HTTP 503 (the phonebook failed; pvalues, admin_password still ran); "
                              "admin_password also failed: h: no answer")
    assert outcome["changed"] is True and outcome["reboot_required"] is True and outcome["unverified"] == ["P34"]
    assert outcome["applied"] == ["admin_password: change admin password"]
    assert outcome["failed_parts"] == ["phonebook", "admin_password"] and outcome["error_kind"] == "http"
