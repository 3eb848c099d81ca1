"""The explicit export maps of ``dlcore.viz`` and ``dlcore.widgets``, computed from the modules.

``dlcore.viz`` and ``dlcore.widgets`` list every public name with the module that defines it
(``lazy_loader.attach``), so that a name is imported from its own module on first use.  This
module computes what those maps should be from each module's ``__all__`` (read from the source,
nothing is imported); ``tests/test_exports.py`` compares.  After adding a plotting function or a
widget (a widget: to its family's ``__init__`` first), rewrite the maps with::

    python -m tests.exports --write          # or print one: python -m tests.exports viz
"""

from __future__ import annotations

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1] / "dlcore"


def module_all(path: pathlib.Path) -> list[str] | None:
    """The literal ``__all__`` of a module's source, or None when it has none."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__"
                                                for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


def family_map(path: pathlib.Path) -> dict[str, list[str]]:
    """The ``_EXPORTS`` map of a widget family's ``__init__`` (``{}`` when it has none)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_EXPORTS"
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    return {}


def expected_map(package: str) -> dict[str, list[str]]:
    """``{"sub.module": [names...]}``: every public name of ``dlcore.<package>``'s modules.

    A module counts when it is not private (no leading ``_`` in its own name) and has an
    ``__all__``; in ``widgets``, the names each family's ``__init__`` exports from its modules
    (some of those modules have a leading ``_``), the shared ``_base`` not.
    """
    base = ROOT / package
    out: dict[str, list[str]] = {}
    for path in sorted(base.rglob("*.py")):
        rel = path.relative_to(base).with_suffix("").parts
        if rel[-1] == "__init__" or len(rel) == 1 and rel[0].startswith("_"):
            continue
        if package == "widgets":
            family = family_map(base / rel[0] / "__init__.py")
            names = [n for n in (module_all(path) or []) if n in family.get(".".join(rel[1:]), [])]
        else:
            if any(part.startswith("_") for part in rel):
                continue
            names = module_all(path) or []
        if names:
            out[".".join(rel)] = names
    return out


def declared_map(package: str) -> dict[str, list[str]]:
    """The ``_EXPORTS`` map written in ``dlcore/<package>/__init__.py``."""
    for node in ast.parse((ROOT / package / "__init__.py").read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_EXPORTS"
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"dlcore/{package}/__init__.py defines no _EXPORTS map")


def format_map(mapping: dict[str, list[str]]) -> str:
    lines = ["{"]
    for module, names in mapping.items():
        items = ", ".join(f'"{n}"' for n in names)
        one = f'    "{module}": [{items}],'
        if len(one) <= 99:
            lines.append(one)
            continue
        lines.append(f'    "{module}": [')
        row = "       "
        for n in names:
            piece = f' "{n}",'
            if len(row) + len(piece) > 99:
                lines.append(row)
                row = "       "
            row += piece
        lines.append(row)
        lines.append("    ],")
    lines.append("}")
    return "\n".join(lines)


def format_list(name: str, items) -> str:
    """``NAME = [...]`` wrapped at 99 columns."""
    words = [f'"{x}"' for x in items]
    one = f"{name} = [{', '.join(words)}]"
    if len(one) <= 99:
        return one
    lines, row = [f"{name} = ["], "   "
    for w in words:
        if len(row) + len(w) + 2 > 99:
            lines.append(row)
            row = "   "
        row += f" {w},"
    return "\n".join(lines + [row, "]"])


def write(package: str) -> None:
    """Rewrite the submodule list and ``_EXPORTS`` in ``dlcore/<package>/__init__.py``."""
    path = ROOT / package / "__init__.py"
    text = path.read_text()
    mapping = expected_map(package)
    list_name = "_FAMILIES" if package == "widgets" else "_SUBMODULES"
    start = text.index(f"{list_name} = [")
    end = text.index("]", start) + 1
    text = text[:start] + format_list(list_name, sorted({m.split(".")[0] for m in mapping})) \
        + text[end:]
    start = text.index("_EXPORTS = {")
    end = text.index("\n}\n", start) + 2
    text = text[:start] + "_EXPORTS = " + format_map(mapping) + text[end:]
    path.write_text(text)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--write"]:
        for package in args[1:] or ["viz", "widgets"]:
            write(package)
    else:
        print(format_map(expected_map(args[0] if args else "viz")))
