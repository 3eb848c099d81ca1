"""Exports a reader and an editor can see: ``dlcore.viz`` and ``dlcore.widgets`` list every public
name with its module (``_EXPORTS``); a name imports only its own module; ``dir()`` lists only
public names; a mistyped name suggests the right one."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.exports import declared_map, expected_map, format_map


@pytest.mark.parametrize("package", ["viz", "widgets"])
def test_the_export_map_lists_every_public_name_of_every_module(package):
    expected, declared = expected_map(package), declared_map(package)
    assert declared == expected, (
        f"dlcore/{package}/__init__.py's _EXPORTS is out of date; run "
        f"`python -m tests.exports --write` (it should read:\n{format_map(expected)})")


def test_every_exported_name_is_defined_in_the_module_it_is_mapped_to():
    import importlib

    for package in ("viz", "widgets"):
        pkg = importlib.import_module(f"dlcore.{package}")
        names = set()
        for module, exported in declared_map(package).items():
            mod = importlib.import_module(f"dlcore.{package}.{module}")
            for name in exported:
                assert getattr(pkg, name) is getattr(mod, name), (package, module, name)
                names.add(name)
        assert set(pkg.__all__) == names


def test_widget_modules_follow_one_naming_scheme():
    """A module that defines widgets is named after them (``conv.explorer``); a module whose
    name starts with ``_`` holds helpers its family shares (``_common``, ``_grid``...)."""
    from pathlib import Path

    import dlcore.widgets as widgets

    exported = set(declared_map("widgets"))
    assert exported, "the widget export map is empty"
    private = [m for m in exported if any(part.startswith("_") for part in m.split("."))]
    assert private == [], private
    root = Path(widgets.__file__).parent
    for path in root.glob("*/*.py"):
        module = f"{path.parent.name}.{path.stem}"
        if path.stem == "__init__":
            continue
        assert (module in exported) != path.stem.startswith("_"), (
            f"{module}: a widget module must not start with '_', and a helper module must")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, check=True, cwd="/")
    return out.stdout


def test_one_widget_imports_only_its_own_modules():
    out = _run("""
        import sys
        import dlcore as dl
        dl.widgets.conv_explorer
        print(sorted(m for m in sys.modules if m.startswith("dlcore.widgets.")))
    """)
    loaded = eval(out)
    assert "dlcore.widgets.conv.explorer" in loaded
    own = ("dlcore.widgets._base", "dlcore.widgets._text", "dlcore.widgets._mine",
           "dlcore.widgets.conv")
    others = [m for m in loaded if not m.startswith(own)]
    assert others == [], others
    assert "dlcore.widgets.conv.pooling" not in loaded  # a sibling widget stays unimported


def test_import_dlcore_loads_neither_plotting_nor_widgets_nor_torch():
    out = _run("""
        import sys
        import dlcore as dl
        dl.nn, dl.conv, dl.data.moons
        print(sorted({m.split(".")[0] for m in sys.modules}))
    """)
    top = eval(out)
    for heavy in ("matplotlib", "ipywidgets", "torch", "IPython", "lazy_loader"):
        assert heavy not in top


def test_probing_and_dir_import_nothing_and_list_only_public_names():
    out = _run("""
        import sys
        import dlcore as dl
        probes = [hasattr(dl.widgets, "_repr_html_"), hasattr(dl.viz, "_ipython_display_")]
        loaded = [m for m in sys.modules if m.startswith(("dlcore.widgets.", "dlcore.viz."))]
        print(repr((probes, loaded, dir(dl), dir(dl.widgets))))
    """)
    probes, loaded, dir_dl, dir_widgets = eval(out)
    assert probes == [False, False] and loaded == []
    assert "os" not in dir_dl and "importlib" not in dir_dl
    assert all(not name.startswith("_") for name in dir_dl + dir_widgets if name != "__version__")
    assert "conv_explorer" in dir_widgets and "nn" in dir_dl


def test_a_mistyped_name_suggests_the_public_one():
    import dlcore as dl

    with pytest.raises(AttributeError, match="did you mean conv_explorer"):
        dl.widgets.conv_explorr  # noqa: B018
    with pytest.raises(AttributeError, match="did you mean plot_towers"):
        dl.viz.plot_tower  # noqa: B018


def test_the_checker_notices_a_name_missing_from_the_map(tmp_path, monkeypatch):
    import tests.exports as E

    fake = tmp_path / "dlcore" / "viz"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('_EXPORTS = {"a": ["f"]}\n')
    (fake / "a.py").write_text('__all__ = ["f", "g"]\n')
    monkeypatch.setattr(E, "ROOT", tmp_path / "dlcore")
    assert E.expected_map("viz") == {"a": ["f", "g"]} != E.declared_map("viz")
