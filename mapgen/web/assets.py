"""The page's assets: mapgen's JS modules and CSS (package data) and Leaflet (xstatic-leaflet), inlined once each."""

from __future__ import annotations

import base64
import functools
import json
import re
from pathlib import Path
from typing import Any, ClassVar, Literal

from branca.element import Element, Figure, MacroElement
from folium.template import Environment as FoliumEnvironment
from folium.template import Template as FoliumTemplate

ASSETS = Path(__file__).parent / "assets"
# Every mapgen script starts with this one: it defines L.mapgen.define/require, which the others call.
REGISTRY = "registry.js"
STYLE = "mapgen.css"
# A module file's first statement: L.mapgen.define('name', ['dependency', ...], function (...) {...}).
_DEFINE = re.compile(r"L\.mapgen\.define\(\s*'(\w+)'\s*,\s*\[([^\]]*)\]")
_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
            ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))  # fmt: skip
# '{{', '{%' and '{#' can only occur inside JSON strings: escaping their '{' keeps a second pass of jinja
# (branca renders a macro's output once more as a template) from reading user text as template code.
_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def script_json(value: Any) -> str:
    r"""JSON safe inside an inline <script> and inside a jinja template: folium's tojson escapes, and more.

    >>> print(script_json({"a": "</script>{{ 7*7 }}"}))
    {"a":"\u003c/script\u003e\u007b{ 7*7 }}"}
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _ESCAPES:
        text = text.replace(char, escape)
    return _JINJA_OPENERS.sub(r"\\u007b", text)


class _Environment(FoliumEnvironment):
    """folium's jinja environment (with `tojavascript`) plus `script_json`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Add the filter."""
        super().__init__(*args, **kwargs)
        self.filters["script_json"] = script_json


class Template(FoliumTemplate):
    """folium's template class with the `script_json` filter, for data passed to mapgen's scripts."""

    environment_class = _Environment


class InlineAsset(Element):
    """A script or style sheet inlined in the page's header; its text is never read as a template."""

    def __init__(self, name: str, text: str, kind: Literal["script", "style"]) -> None:
        """Keep the text, refusing any that would close its element early."""
        super().__init__()
        self._name = "InlineAsset"
        self.name = name
        self.text = _inline_safe(text, name)
        self.kind = kind

    def render(self, **kwargs: Any) -> str:
        """The element with the text unchanged."""
        return f"<{self.kind}>\n{self.text}\n</{self.kind}>"


class InlineAssetsMixin(MacroElement):
    """folium's JSCSSMixin for inlined text: each asset is added to the figure's header once, under its name."""

    def inline_assets(self) -> list[InlineAsset]:
        """The assets this element needs, in the order they must run."""
        return []

    def render(self, **kwargs: Any) -> str:
        """Add the assets to the header (two elements needing one asset share it), then render as usual."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} must be rendered inside a folium Figure (add it to a folium.Map)"
            raise TypeError(msg)
        for asset in self.inline_assets():
            figure.header.add_child(asset, name=asset.name)
        return super().render(**kwargs)


class MapgenAssetsMixin(InlineAssetsMixin):
    """An element whose script calls one of mapgen's JS modules: it inlines that module and its dependencies."""

    module: ClassVar[str] = ""

    def inline_assets(self) -> list[InlineAsset]:
        """The registry, the module with every module it needs (dependencies first), and mapgen's style sheet."""
        files = [REGISTRY, *(f"{name}.js" for name in module_closure(self.module))]
        scripts = [InlineAsset(f"mapgen/{name}", asset_text(name), "script") for name in files]
        return [*scripts, InlineAsset(f"mapgen/{STYLE}", asset_text(STYLE), "style")]


@functools.cache
def asset_text(name: str) -> str:
    """The text of one of mapgen's asset files."""
    return (ASSETS / name).read_text(encoding="utf-8")


@functools.cache
def module_dependencies(name: str) -> tuple[str, ...]:
    """The modules a JS module names in its define() call."""
    match = _DEFINE.search(asset_text(f"{name}.js"))
    if not match or match[1] != name:
        msg = f"{name}.js must start with L.mapgen.define('{name}', [...], ...)"
        raise ValueError(msg)
    return tuple(re.findall(r"'(\w+)'", match[2]))


def module_closure(name: str) -> list[str]:
    """A module and everything it needs, dependencies first (the registry would resolve any order anyway)."""
    order: list[str] = []

    def visit(module: str) -> None:
        if module in order:
            return
        for dependency in module_dependencies(module):
            visit(dependency)
        order.append(module)

    visit(name)
    return order


def _inline_safe(text: str, name: str) -> str:
    """Check that inlined code cannot close its element."""
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        msg = f"{name} contains a closing script/style tag and cannot be inlined"
        raise ValueError(msg)
    return text


def _leaflet_dir() -> Path:
    """Where the installed xstatic-leaflet package keeps leaflet.js, leaflet.css and images/."""
    from xstatic.pkg import leaflet  # imported late: only a page needs it

    return Path(leaflet.BASE_DIR)


@functools.cache
def leaflet_css() -> str:
    """leaflet.css with its images inlined as data: URIs, so the page requests nothing."""
    base = _leaflet_dir()

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode((base / match[1]).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, (base / "leaflet.css").read_text(encoding="utf-8"))


@functools.cache
def leaflet_js() -> str:
    """The minified Leaflet library from xstatic-leaflet."""
    return (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")


def leaflet_assets() -> list[InlineAsset]:
    """Leaflet's style sheet and script, under the names folium gives their CDN links."""
    return [InlineAsset("leaflet_css", leaflet_css(), "style"), InlineAsset("leaflet", leaflet_js(), "script")]
