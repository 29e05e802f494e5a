"""The records of a link between resources (see :mod:`zcli.sim.refs`)."""

from __future__ import annotations

from dataclasses import dataclass, field

ATTACH_VERBS = {"Attach": "Detach", "Add": "Remove", "Bind": "Unbind"}
DETACH_VERBS = {**{v: k for k, v in ATTACH_VERBS.items()}, "Delete": "Add"}


class LinkFailure(Exception):
    """The call is refused (``code``, ``details``): SYS.1007 as the API interceptors refuse arguments."""

    def __init__(self, details: str, code: str = "SYS.1007", description: str = "One or more API argument is invalid"):
        super().__init__(details)
        self.code, self.description, self.details = code, description, details


@dataclass
class Side:
    param: str  # the API parameter
    inventory: str | None  # what it names (None: a value, such as a DNS address)
    field: str  # the field of the holding table


@dataclass
class Link:
    kind: str  # "ref" or "fk"
    table: str  # the reference table, or the table of the side that holds the foreign key
    sides: list[Side] = field(default_factory=list)
    holder: str | None = None  # fk: the param whose row holds the key

    def describe(self) -> str:
        if self.kind == "children":
            return f"removes {self.table.removesuffix('Inventory')} rows of the resource named"
        if self.kind == "ref":
            return f"link rows in {self.table.removesuffix('Inventory')}"
        fk = next(s.field for s in self.sides if s.param != self.holder)
        return f"sets {self.table.removesuffix('Inventory')}.{fk}"


def singular(name: str) -> str:
    return name[:-1] if name.endswith("Uuids") else name


