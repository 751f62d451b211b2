"""Regenerate docs/assets/social-card.png, the image link previews show (Open Graph, Twitter).

    python scripts/make_social_card.py      # needs Playwright for Python and /usr/bin/chromium

A 1200x630 card with the site's name and what it is, drawn by Chromium from the HTML below in
the system's fonts; the PNG is committed, so building the site needs neither.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "assets" / "social-card.png"


def card(name: str) -> str:
    return f"""<!doctype html><meta charset="utf-8"><style>
  html, body {{ margin: 0; width: 1200px; height: 630px; }}
  body {{ box-sizing: border-box; padding: 80px 90px; background: #3f51b5; color: #fff;
         font-family: "DejaVu Sans", sans-serif; display: flex; flex-direction: column; justify-content: center; }}
  h1 {{ font-size: 72px; margin: 0 0 36px; line-height: 1.1; }}
  p {{ font-size: 34px; margin: 0 0 18px; line-height: 1.35; max-width: 980px; }}
  .small {{ font-size: 26px; opacity: .92; margin-top: 30px; }}
</style><h1>{name}</h1>
<p>Who wants what, how we got here, and who in the region does what.</p>
<p class="small">Every claim sourced and dated, in dated editions.</p>"""


def main() -> None:
    name = next(
        yaml.safe_load(line)["site_name"]
        for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if line.startswith("site_name:")
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(card(name))
        page.screenshot(path=str(OUTPUT))
        browser.close()
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
