"""stored_init: a frozen dataclass whose __init__ writes its dict keeps every behaviour."""
import dataclasses

import pytest

from pipeline.model import Excluded, Row, Section, stored_init


def test_stored_init_keeps_fields_defaults_and_order():
    r = Row("d", "p", "t", 1, 2, 3, "s", "r", "i", 1.5, "%", "", None, "", "", "actual", "", "")
    assert list(r.__dict__) == [f.name for f in dataclasses.fields(Row)]
    assert r.code == "" and r.basis == "" and r.value == 1.5
    assert r == Row(**r.__dict__) and hash(r) == hash(Row(**r.__dict__))
    assert Section(("A",), "A", 0, "A", "roman").blocks == ()
    assert dataclasses.replace(r, code="x").code == "x"


def test_stored_init_stays_frozen_and_checks_arguments():
    e = Excluded(1, 2, "year")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.start = 5
    with pytest.raises(TypeError):
        Excluded(1, 2)
    with pytest.raises(TypeError):
        Excluded(1, 2, "x", nope=1)


def test_stored_init_refuses_what_it_cannot_copy():
    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        xs: list = dataclasses.field(default_factory=list)
    with pytest.raises(AssertionError):
        stored_init(WithFactory)
