"""A small checker for the accessibility basics every shop page must meet: a language, one
main heading and no skipped levels, a label for every input, an alt text for every image,
a name for every button, and enough contrast in the base palette."""

import re
from html.parser import HTMLParser
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.headings: list[int] = []
        self.label_for: set[str] = set()
        self.fields: list[dict] = []
        self.images: list[dict] = []
        self.buttons: list[dict] = []
        self._open_label = 0
        self._button: dict | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self._open_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea") and a.get("type") not in UNLABELLED_TYPES:
            self.fields.append({**a, "_tag": tag, "_in_label": self._open_label > 0})
        elif tag == "img":
            self.images.append(a)
        elif tag == "button":
            self._button = {**a, "_text": ""}
            self.buttons.append(self._button)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_label -= 1
        elif tag == "button":
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["_text"] += data.strip()


def problems(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    found = []
    if not page.lang:
        found.append("<html> has no lang")
    if page.headings.count(1) != 1:
        found.append(f"{page.headings.count(1)} <h1> instead of one")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            found.append(f"heading level skipped: h{before} → h{after}")
    for field in page.fields:
        if not (field["_in_label"] or field.get("id") in page.label_for
                or field.get("aria-label") or field.get("aria-labelledby")):
            found.append(f"<{field['_tag']} name={field.get('name')!r}> has no label")
    found += [f"<img src={img.get('src')!r}> has no alt" for img in page.images
              if "alt" not in img]
    found += [f"<button> without a name: {b}" for b in page.buttons
              if not (b["_text"] or b.get("aria-label"))]
    return found


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette() -> dict[str, str]:
    """The base palette's custom properties, read from the stylesheet itself."""
    css = (STATIC / "web" / "louise.css").read_text()
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
