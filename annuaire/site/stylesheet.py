"""The theme's stylesheets cut down to the rules the published pages can use.

Why: Material's main stylesheet (137 KB, 23 KB compressed) must arrive before a page is shown,
and most of it styles what this site does not have (search box, tabs, blog, code blocks…). On a
weak 3G connection it was two thirds of what a place page waits for before showing anything.

The cut is safe by construction: a selector is dropped only when it needs a class that no
published page carries and that no script of the site names (a class inside `:not(…)`, `:is(…)`
or an attribute selector is never a reason to drop); a custom property (`--md-…`) is dropped
only when nothing kept reads it. Anything this reader does not understand is kept as it is.
The pure helpers come first; `prune_stylesheets` is the part that reads and writes files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..atomic import replaced

# What a page tells: its class attributes, the custom properties an inline style reads, the
# scripts it loads and its inline scripts (which may set a class). One simple pattern each:
# four passes that start from a fixed text are faster than one that tries all at each byte.
_CLASS_ATTRIBUTE = re.compile(rb'class="([^"]*)"')
_INLINE_READ = re.compile(rb"var\(\s*(--[A-Za-z0-9_-]+)")
_SCRIPT_SOURCE = re.compile(rb'<script[^>]*\bsrc="([^"]*)"')
_INLINE_SCRIPT = re.compile(rb"<script>([^<]*)</script>")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_SIGNIFICANT = re.compile(r"""[{};()"']|/\*""")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")
_READS = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
_GROUPS = ("@media", "@supports", "@layer", "@container", "@document")  # rules inside rules
THEME_SCRIPTS = "assets/javascripts/"  # Material's own scripts: this site's pages load none of them
MEMO_FORM = 1  # how `NamesMemo` writes its file: change it when `names_in` changes


class PageNames(NamedTuple):
    """What one page can ask of a stylesheet."""

    classes: frozenset[str]  # its class attributes, and every word of its inline scripts
    properties: frozenset[str]  # the custom properties its inline styles read
    scripts: frozenset[str]  # the `src` of the scripts it loads


def names_in(html: bytes) -> PageNames:
    """The names a page as written carries."""
    classes = {name for value in set(_CLASS_ATTRIBUTE.findall(html)) for name in value.decode("utf-8", "replace").split()}
    for script in set(_INLINE_SCRIPT.findall(html)):
        classes.update(_WORD.findall(script.decode("utf-8", "replace")))
    return PageNames(
        frozenset(classes),
        frozenset(read.decode("ascii") for read in _INLINE_READ.findall(html)),
        frozenset(src.decode("utf-8", "replace") for src in _SCRIPT_SOURCE.findall(html)),
    )


@dataclass
class UsedNames:
    """The class names and custom properties the published pages and their scripts can use."""

    classes: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)  # read by an inline style or a script
    scripts: set[str] = field(default_factory=set)  # the `src` of every script a page loads

    def add(self, names: PageNames) -> None:
        self.classes |= names.classes
        self.properties |= names.properties
        self.scripts |= names.scripts

    def add_page(self, html: bytes) -> None:
        self.add(names_in(html))

    def add_script(self, text: str) -> None:
        """Every word of a script: it may set any of them as a class, or read a property."""
        words = _WORD.findall(text)
        self.classes.update(words)
        self.properties.update(word for word in words if word.startswith("--"))

    def loads_theme_scripts(self) -> bool:
        return any(THEME_SCRIPTS in src for src in self.scripts)


class NamesMemo:
    """`names_in` of each page of the last build, by the page's sha256: a page written again
    unchanged is not read through (at 20,000 places, 640 MB of HTML: 3 s). A page is a few
    hundred bytes of the file; the pages share a few dozen different `PageNames`."""

    def __init__(self, file: Path | None) -> None:
        self._file = file
        self._known: dict[str, PageNames] = {}
        self._seen: dict[str, PageNames] = {}
        try:
            kept = json.loads(file.read_text("utf-8")) if file is not None and file.is_file() else {}
            if kept.get("form") == MEMO_FORM:
                shared = [PageNames(*(frozenset(part) for part in names)) for names in kept["names"]]
                self._known = {sha: shared[index] for sha, index in kept["pages"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self._known = {}  # a damaged memo is only a slower build

    def of(self, html: bytes | Callable[[], bytes], sha256: str) -> PageNames:
        """The names of `html` (its bytes, or how to read them: only if this memo lacks them),
        whose sha256 the caller computed for its own memo too — or any key that only these bytes
        have, like a kept page's (`site/rendered.py`)."""
        names = self._known.get(sha256) or names_in(html() if callable(html) else html)
        self._seen[sha256] = names
        return names

    def save(self) -> None:
        """Keep the pages of this build only (the memo holds one site, not its history)."""
        if self._file is None:
            return
        index: dict[PageNames, int] = {}
        pages = {sha: index.setdefault(names, len(index)) for sha, names in self._seen.items()}
        shared = [[sorted(part) for part in names] for names in index]
        with replaced(self._file) as stream:
            stream.write(json.dumps({"form": MEMO_FORM, "names": shared, "pages": pages}).encode("utf-8"))


def pruned(css: str, used: UsedNames, also_read: Iterable[str] = ()) -> str:
    """`css` without the rules no page can match and the custom properties nothing reads.
    `also_read`: other stylesheets of the pages, whose `var(--…)` keep what they read.
    Returns `css` itself when it cannot be read safely (unbalanced braces or quotes)."""
    try:
        rules = _kept_rules(_statements(css), used.classes)
    except ValueError:
        return css
    read = set(used.properties)
    for text in also_read:
        read.update(_READS.findall(text))
    return _without_unread(rules, read)


def _statements(css: str) -> list[tuple[str, str | None]]:
    """The top-level statements of `css`: (prelude, block), or (statement, None) for `@import …;`.
    Comments between statements are left out."""
    out: list[tuple[str, str | None]] = []
    start = prelude_end = depth = parens = 0
    i = 0
    while match := _SIGNIFICANT.search(css, i):
        token, i = match.group(), match.end()
        if token == "/*":
            end = css.find("*/", i)
            if end < 0:
                raise ValueError("unclosed comment")
            i = end + 2
        elif token in "\"'":
            i = _string_end(css, i, token)
        elif token == "(":
            parens += 1
        elif token == ")":
            parens = max(parens - 1, 0)
        elif parens:
            continue
        elif token == "{":
            if depth == 0:
                prelude_end = match.start()
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced braces")
            if depth == 0:
                out.append((_COMMENT.sub("", css[start:prelude_end]).strip(), css[prelude_end + 1:match.start()]))
                start = i
        elif token == ";" and depth == 0:
            out.append((_COMMENT.sub("", css[start:i]).strip(), None))
            start = i
    if depth or _COMMENT.sub("", css[start:]).strip():
        raise ValueError("unfinished statement")
    return out


def _string_end(css: str, i: int, quote: str) -> int:
    while i < len(css):
        if css[i] == "\\":
            i += 2
        elif css[i] == quote:
            return i + 1
        else:
            i += 1
    raise ValueError("unclosed string")


def _kept_rules(statements: list[tuple[str, str | None]], classes: Set[str]) -> list[tuple[str, str | None]]:
    kept: list[tuple[str, str | None]] = []
    for prelude, block in statements:
        if block is None or prelude.startswith("@") and not prelude.startswith(_GROUPS):
            kept.append((prelude, block))  # @font-face, @keyframes, @page, @import…: as they are
        elif prelude.startswith("@"):
            inner = _kept_rules(_statements(block), classes)
            if inner:
                kept.append((prelude, _joined(inner)))
        elif "{" in block:
            kept.append((prelude, block))  # nested rules: not read here, kept
        elif selectors := [s for s in _split(prelude, ",") if _may_match(s, classes)]:
            kept.append((",".join(selectors), block))
    return kept


def _may_match(selector: str, classes: Set[str]) -> bool:
    """False only when the selector needs a class that no page has. What is inside brackets
    or parentheses (`[href$=".pdf"]`, `:not(.x)`, `:is(.a,.b)`) is never a reason."""
    if "\\" in selector:
        return True  # escaped characters in a class name: not read here
    return all(name in classes for name in _CLASS.findall(_outside_brackets(selector)))


def _outside_brackets(selector: str) -> str:
    return "".join(char for _, char in _outside(selector))


def _split(text: str, separator: str) -> list[str]:
    """`text` cut at each `separator` outside quotes, parentheses and brackets: a selector list
    at its commas (not those of `:is(…)`), a block at its semicolons (not those of `url(…)`)."""
    parts, start = [], 0
    for i, char in _outside(text):
        if char == separator:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _outside(text: str) -> Iterator[tuple[int, str]]:
    """Each character of `text` outside quotes, parentheses and brackets, with its index."""
    depth, quote = 0, ""
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield i, char


def _without_unread(rules: list[tuple[str, str | None]], read: set[str]) -> str:
    """The rules written back, without the custom properties that nothing kept reads
    (repeated: a property may be read only by another one that is dropped)."""
    while True:
        text = _joined(rules)
        reads = read | set(_READS.findall(text))
        trimmed = [_trimmed(rule, reads) for rule in rules]
        trimmed_rules = [rule for rule in trimmed if rule is not None]
        if trimmed_rules == rules:
            return text
        rules = trimmed_rules


def _trimmed(rule: tuple[str, str | None], reads: Set[str]) -> tuple[str, str | None] | None:
    prelude, block = rule
    if block is None or "{" in block or prelude.startswith("@") and not prelude.startswith(_GROUPS):
        return rule
    if prelude.startswith("@"):
        inner = [kept for kept in (_trimmed(r, reads) for r in _statements(block)) if kept is not None]
        return (prelude, _joined(inner)) if inner else None
    declarations = [d for d in _split(block, ";") if d.strip() and not _unread_property(d, reads)]
    return (prelude, ";".join(declarations)) if declarations else None


def _unread_property(declaration: str, reads: Set[str]) -> bool:
    name = declaration.split(":", 1)[0].strip()
    return name.startswith("--") and name not in reads


def _joined(rules: list[tuple[str, str | None]]) -> str:
    return "".join(prelude if block is None else f"{prelude}{{{block}}}" for prelude, block in rules)


def prune_stylesheets(
    stylesheets: Iterable[tuple[Path, Path]], used: UsedNames | None, site_dir: Path, also_read: Iterable[Path]
) -> int:
    """Write each (source, published) stylesheet of the theme cut down to what the pages of
    `used` and the site's scripts can need, each in turn (the others, and the site's own
    stylesheets `also_read`, keep the properties they read); `used` None (a build that did not
    see every page) writes them whole. Each is written whole or not at all (`atomic.replaced`).
    A cut stylesheet's source map (`.css.map`, for developers' tools) describes the whole file:
    it is removed rather than published wrong. Returns the number of bytes saved."""
    pairs = [(published, source.read_text("utf-8")) for source, published in stylesheets]
    if used is not None:
        for path in site_scripts(site_dir, used):
            used.add_script(path.read_text("utf-8", "replace"))
    current = {published: css for published, css in pairs}
    own = [path.read_text("utf-8") for path in also_read if path.is_file()]
    for published, css in pairs:
        if used is not None:
            others = [text for path, text in current.items() if path != published]
            current[published] = pruned(css, used, [*others, *own])
        with replaced(published, mode=0o644) as stream:  # served by the web server
            stream.write(current[published].encode("utf-8"))
        if current[published] != css:
            published.with_name(published.name + ".map").unlink(missing_ok=True)
    return sum(len(css.encode("utf-8")) - len(current[path].encode("utf-8")) for path, css in pairs)


def site_scripts(site_dir: Path, used: UsedNames) -> list[Path]:
    """The scripts under `assets/` that a page may run: the theme's own only if a page loads one."""
    theme = used.loads_theme_scripts()
    assets = site_dir / "assets"
    return sorted(
        path for path in assets.rglob("*")
        if path.suffix in (".js", ".mjs") and (theme or not path.relative_to(site_dir).as_posix().startswith(THEME_SCRIPTS))
    )
