"""chiso's rule files (YAML), shipped as the package data `pipeline.rules` (pyproject maps
this folder to it). pipeline/registry.py declares each file and its schema.

Every rule has examples, all in one shape: `text`, and either `expect`, a mapping of what
the rule yields for the text (`{value: 448.3, unit: ha}`, `{raw: "96%", qualifier: ">="}`),
or `not`: `true` when the rule must not match the text, or a list of raws, figures of the
text that must still come out. tests/test_rule_examples.py runs them all."""
