"""The house rules import-linter cannot see: what a handler may hold and what a read model may carry."""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import typing
from pathlib import Path

import handlers
import services

ROOT = Path(__file__).resolve().parents[2]


def _modules(package) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def test_no_handler_holds_the_storage() -> None:
    """Handlers name a use case and Terbit.run gives it the storage; none reads ``.sessions`` itself."""
    offenders = []
    for path in sorted((ROOT / "handlers").glob("*.py")):
        if path.name == "context.py":  # where the storage is bound, once
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr == "sessions":
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module in {"services.uow", "storage.db"}:
                offenders.append(f"{path.name}:{node.lineno} imports {node.module}")
    assert offenders == []


def _orm_classes() -> set[type]:
    from storage.models import Base
    return {m.class_ for m in Base.registry.mappers}


#: Working values that live inside one unit of work and never cross the use-case boundary
#: (test_no_use_case_returns_a_row checks that no use case returns them).
INSIDE_A_UNIT_OF_WORK = {"services.staff.acting.Named", "services.writing.drafts.Draft", "services.transitions.effects.Realising"}


def test_read_models_carry_no_orm_rows() -> None:
    """Every frozen outcome or view a use case returns holds plain data, never a live row."""
    orm = _orm_classes()
    found = []
    for name in _modules(services):
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if not (isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == name):
                continue
            if f"{name}.{obj.__qualname__}" in INSIDE_A_UNIT_OF_WORK:
                continue
            hints = typing.get_type_hints(obj, vars(module))
            for field in dataclasses.fields(obj):
                mentioned = _types_in(hints.get(field.name))
                if mentioned & orm:
                    found.append(f"{name}.{obj.__name__}.{field.name}")
    assert found == []


def _use_cases():
    """Every public service function that opens its own unit of work (its first parameter is the storage)."""
    for name in _modules(services):
        module = importlib.import_module(name)
        for fname, obj in vars(module).items():
            if fname.startswith("_") or isinstance(obj, type) or getattr(obj, "__module__", None) != name:
                continue
            if not callable(obj):
                continue
            fn = inspect.unwrap(obj)
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "sessions":
                yield f"{name}.{fname}", typing.get_type_hints(fn, vars(module))


def test_no_use_case_returns_a_row() -> None:
    orm = _orm_classes()
    inside = {cls for cls in (_named(q) for q in INSIDE_A_UNIT_OF_WORK)}
    cases = dict(_use_cases())
    assert len(cases) > 100  # the walk found the use cases
    leaking = {name: hints["return"] for name, hints in cases.items()
               if _types_in(hints.get("return")) & (orm | inside)}
    assert leaking == {}


def _named(qualified: str) -> type:
    module, _, cls = qualified.rpartition(".")
    found: type = getattr(importlib.import_module(module), cls)
    return found


def test_every_record_copies_every_column() -> None:
    from sqlalchemy import inspect as sa_inspect

    from services.records import RECORDS
    for record, model in RECORDS.items():
        columns = {c.key for c in sa_inspect(model).column_attrs}
        fields = {f.name for f in dataclasses.fields(record)}
        assert columns <= fields, (record.__name__, columns - fields)


def _types_in(hint) -> set[type]:
    if hint is None:
        return set()
    out = {hint} if isinstance(hint, type) else set()
    for arg in typing.get_args(hint):
        out |= _types_in(arg)
    return out


def test_every_handler_module_imports() -> None:
    """A room is a package: every module in it loads on its own (no import cycles hidden by order)."""
    for name in _modules(handlers):
        importlib.import_module(name)
