"""Explicit lazy exports for ``dlcore.viz`` and ``dlcore.widgets``.

A thin layer over scientific Python's ``lazy_loader.attach``: the package lists every public name
with the module that defines it, a name is imported from that module on first use, and a
mistyped name gets an error that suggests the closest public names.
"""

from __future__ import annotations

import difflib

import lazy_loader


def attach(package: str, submodules, exports: dict[str, list[str]]):
    """``(__getattr__, __dir__, __all__)`` for ``package``; ``__all__`` lists the public names
    in ``exports`` (not the submodules, which are reachable as attributes too)."""
    getattr_, dir_, _ = lazy_loader.attach(package, list(submodules), exports)
    names = sorted(name for names in exports.values() for name in names)

    def __getattr__(name: str):
        try:
            return getattr_(name)
        except AttributeError:
            if name.startswith("_"):
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
            hint = (f"; did you mean {' or '.join(close)}?" if close else
                    f"; its public names are listed by dir({package.replace('dlcore', 'dl')})")
            raise AttributeError(f"module {package!r} has no attribute {name!r}{hint}") from None

    return __getattr__, dir_, names
