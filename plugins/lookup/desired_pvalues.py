# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
name: desired_pvalues
short_description: The P-values a phone is held to - its layers merged in the role's order
version_added: 1.0.0
description:
  - Merges the P-value layers of the host it is templated for, a later layer winning value by value -
    C(phone_pvalues), C(phone_model_pvalues[<model>]), C(phone_group_pvalues), each C(phone_layer_<name>) listed
    in C(phone_pvalues_layers) (in list order) and C(phone_host_pvalues) (see C(docs/layers.md)).
  - A value is the P-value its key names, however a layer spells it (C(P334), C(334), our alias or
    Grandstream's alias); a later layer's key replaces an earlier layer's key for the same P-value.
  - The role (C(grandstream.phone.phone)), C(playbooks/render.yml) and C(playbooks/export.yml) use it, so the
    merge is written once, in Python (C(plugins/module_utils/desired_state.py)).
  - It reads the variables the task sees (inventory, group and host variables, play variables, role defaults);
    a layer that is not set is empty, a layer that is not a mapping fails the lookup naming it.
author:
  - grandstream.phone maintainers (@grandstream-phone)
options:
  model:
    description:
      - The phone's model, choosing its entry of C(phone_model_pvalues); empty, there is no model layer.
    type: str
    default: ""
  host_layer:
    description: Include C(phone_host_pvalues); V(false) gives the baseline every layer under the host layer sets.
    type: bool
    default: true
  layers:
    description:
      - Return the layer variables themselves (templated, by name; those not set left out) instead of their
        merge, for O(grandstream.phone.gs_pvalues#module:layers), which merges them once it knows the model. The
        role uses this, so a phone without C(gs_model) needs no task of its own to read its model.
      - O(model) and O(host_layer) do not apply then.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: The P-values of this phone, as the role holds it to them (the model layer by gs_model)
  ansible.builtin.debug:
    msg: "{{ query('grandstream.phone.desired_pvalues', model=gs_model | default(''))[0] }}"

- name: The layers, for gs_pvalues to merge (it learns the model when gs_model is not set)
  grandstream.phone.gs_pvalues:
    layers: "{{ query('grandstream.phone.desired_pvalues', layers=true)[0] }}"
    model: "{{ gs_model | default(omit) }}"
"""

RETURN = r"""
_list:
  description:
    - One element, the merged mapping of P-value names (as written in the layers) to values; with O(layers), the
      mapping of the layer variables that are set to their values.
  type: list
  elements: dict
  sample:
    - {ntp.server: ntp.example.com, time.zone: CET-1CEST}
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.grandstream.phone.plugins.module_utils.desired_state import (
    layer_variable_names, merged_pvalues)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        variables = variables or {}
        # Only the layers are templated: the list of named layers first, since it says which others to read.
        found = {}
        try:
            for name in layer_variable_names({}):
                if name in variables:
                    found[name] = self._templar.template(variables[name])
            for name in layer_variable_names(found):
                if name not in found and name in variables:
                    found[name] = self._templar.template(variables[name])
            if self.get_option("layers"):
                return [found]
            return [merged_pvalues(found, model=self.get_option("model") or None,
                                   host_layer=self.get_option("host_layer"))]
        except ValidationError as error:
            raise AnsibleLookupError("grandstream.phone.desired_pvalues: %s" % error) from None
