"""Records without :mod:`dataclasses`, for the modules a one-shot command imports (start-up time is a feature).

``@dataclass`` writes each class's ``__init__``, ``__repr__`` and ``__eq__`` as source text and compiles it
when the class is defined (about 0.4 ms a class), and importing :mod:`dataclasses` imports :mod:`inspect`
(about 3 ms). A one-shot query defined some twenty records: 12 ms of a budget of 17. So on that path:

* a frozen record is a :class:`typing.NamedTuple` (a copy with changes: ``record._replace(...)``);
* a mutable record derives from :class:`Record`: its fields are its annotations, in order, and their
  defaults the class attributes; a default that must not be shared (a list, a dict) is ``Factory(list)``.

Modules off that path (the shell, the simulator, completion, help) keep :mod:`dataclasses`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class Factory:
    """A default made afresh for each record: ``notes: list[str] = Factory(list)``."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]):
        self.make = make


class Record:
    """A mutable record: ``__init__`` (positional or by name), ``__repr__``, ``__eq__`` and :meth:`replace`,
    from the annotated fields of the class and its bases. Not hashable (it is mutable)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    __hash__ = None  # type: ignore[assignment]

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        fields = list(cls._fields)
        defaults = dict(cls._defaults)
        for name, annotation in cls.__annotations__.items():  # its own (3.10+)
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            if name not in fields:
                fields.append(name)
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
            elif defaults and name not in defaults:
                raise TypeError(f"{cls.__name__}.{name}: a field without a default follows one with a default")
        cls._fields = tuple(fields)
        cls._defaults = defaults

    def __init__(self, *args: Any, **kwargs: Any):
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments, {len(args)} given")
        values = dict(zip(fields, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields or name in values:
                raise TypeError(f"{type(self).__name__}() got an unexpected or repeated argument {name!r}")
            values[name] = value
        for name in fields:
            if name in values:
                value = values[name]
            elif name in self._defaults:
                value = self._defaults[name]
                if isinstance(value, Factory):
                    value = value.make()
            else:
                raise TypeError(f"{type(self).__name__}() is missing the argument {name!r}")
            setattr(self, name, value)

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes`` (field names), as :func:`dataclasses.replace` makes one."""
        return type(self)(**{**dict(zip(self._fields, self._values(), strict=True)), **changes})
