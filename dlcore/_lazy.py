"""Packages whose public names are found in their submodules on first use.

``dlcore.widgets``, ``dlcore.viz`` and ``dlcore.selfcheck`` grow one submodule per lecture; a
name such as ``dl.widgets.conv_explorer`` is looked up in the submodules' ``__all__`` the first
time it is asked for, so that adding a lecture's module needs no edit of a shared ``__init__``
and the package imports nothing heavy until a name is used.
"""

from __future__ import annotations

import importlib
import pkgutil


def lazy_package(package_name: str, package_path):
    """Return ``(__getattr__, __dir__, index)`` for a package: ``index()`` maps name -> module."""
    cache: dict[str, str] = {}

    def index() -> dict[str, str]:
        if not cache:
            for info in sorted(pkgutil.iter_modules(package_path), key=lambda m: m.name):
                if info.name.startswith("_"):
                    continue
                module = importlib.import_module(f"{package_name}.{info.name}")
                for name in getattr(module, "__all__", ()):
                    if name in cache:
                        raise ImportError(f"{package_name}: {name!r} is defined in both "
                                          f"{cache[name]} and {info.name}")
                    cache[name] = info.name
        return cache

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            module = importlib.import_module(f"{package_name}.{name}")
            return module
        except ModuleNotFoundError as exc:
            if exc.name != f"{package_name}.{name}":
                raise
        where = index().get(name)
        if where is None:
            raise AttributeError(f"module {package_name!r} has no attribute {name!r}; "
                                 f"available: {', '.join(sorted(index()))}")
        return getattr(importlib.import_module(f"{package_name}.{where}"), name)

    def __dir__():
        return sorted(index())

    return __getattr__, __dir__, index
