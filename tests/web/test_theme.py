"""The default colours of the site's stylesheet keep text readable (WCAG 2 contrast ≥ 4.5:1)."""

from __future__ import annotations

import re
from importlib.resources import files

from actuel.config import load_settings
from actuel.web.identity import contrast_ratio, theme_css

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = r"#[0-9a-fA-F]{3,6}\b"


def stylesheet() -> str:
    site = (files("actuel.web") / "static" / "site.css").read_text(encoding="utf-8")
    # the generated theme comes last, as in every page
    return re.sub(r"@media[^{]*\{", "", site) + theme_css(load_settings(environ={}))


def variables(css: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for selector, body in RULE.findall(css):
        if selector.strip() == ":root":
            found |= dict(re.findall(rf"(--[\w-]+)\s*:\s*({HEX})", body))
    return found


def resolve(value: str, names: dict[str, str]) -> str | None:
    value = value.strip()
    named = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if named:
        return names.get(named.group(1))
    return value if re.fullmatch(HEX, value) else None


def declared(css: str, prop: str) -> list[tuple[str, str, str | None]]:
    """(selector, colour, background of the same rule) for every `prop` declaration."""
    names = variables(css)
    out = []
    for selector, body in RULE.findall(css):
        decls = dict(
            (k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";")) if v
        )
        value = decls.get(prop)
        colour = resolve(value, names) if value else None
        if colour:
            bg = decls.get("background") or decls.get("background-color")
            out.append((selector.strip(), colour, resolve(bg, names) if bg else None))
    return out


def test_every_text_colour_reads_on_every_background_it_can_sit_on() -> None:
    css = stylesheet()
    names = variables(css)
    texts = [
        *declared(css, "color"),
        (":root", names["--ink"], None),
        ("a", names["--accent"], None),
    ]
    # Backgrounds text sits on: the page's and those of boxes holding text (not images, dots).
    # A rule that sets its own text colour is checked with it, above.
    coloured = {selector for selector, _, own in declared(css, "color") if own}
    boxes = {
        colour
        for selector, colour, _ in declared(css, "background")
        if "thumb" not in selector and "::before" not in selector and selector not in coloured
    }
    boxes.add(names["--bg"])
    checked = 0
    for selector, colour, own_background in texts:
        for background in [own_background] if own_background else sorted(boxes):
            ratio = contrast_ratio(colour, background)
            assert ratio >= 4.5, f"{selector}: {colour} on {background} is {ratio:.2f}:1"
            checked += 1
    assert checked > 20


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert round(contrast_ratio("#000", "#fff"), 1) == 21.0
    assert round(contrast_ratio("#777", "#fff"), 2) == 4.48
    assert contrast_ratio("#fff", "#fff") == 1.0


def test_keyboard_focus_is_always_visible() -> None:
    css = stylesheet()
    outlined = [
        selector
        for selector, body in RULE.findall(css)
        if "focus-visible" in selector and re.search(r"outline\s*:\s*\d", body)
    ]
    for element in ("a", "button", "input", "textarea", "summary"):
        assert any(re.search(rf"(^|[\s,]){element}:focus-visible", s) for s in outlined), element
    # the skip link shows up when focused
    assert re.search(r"\.skip:focus\s*\{[^}]*left:\s*1rem", css)
