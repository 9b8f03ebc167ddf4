"""Copy the JavaScript the site serves itself from node_modules/ into book/_vendor/.

The built pages must render fully without asking any other host for anything: MathJax
typesets the equations, RequireJS loads the ipywidgets embed manager, and the embed manager
draws the widgets (with their icon fonts). `npm ci` installs the pinned packages
(package.json, package-lock.json); this script copies only the files a page loads, plus our
own site assets from tools/site_static/, into the folder `_config.yml` lists in
`html_static_path` (so they end up in `_build/html/_static/`).

The folder is deliberately not named `_static`: Jupyter Book would then add every `.js` file
in it to every page.

Usage: python tools/vendor_js.py [--root REPO]   (run by `make vendor`)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

# package name -> (version pinned in package.json, [(source inside the package, target in
# book/_vendor)]). A directory source is copied whole, without source maps.
PACKAGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "mathjax": ("3.2.2", [("es5", "mathjax")]),
    "requirejs": ("2.3.8", [("require.js", "requirejs/require.js")]),
    # embed-amd.js defines @jupyter-widgets/base, controls and html-manager as named AMD
    # modules; the hashed files next to it are the icon fonts its CSS refers to, which it
    # fetches from <RequireJS baseUrl>/@jupyter-widgets/html-manager/dist/, so the npm
    # layout is kept under widgets/ (the baseUrl that widgets-setup.js sets).
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        [("dist", "widgets/@jupyter-widgets/html-manager/dist")],
    ),
}

# Files of html-manager's dist/ that a page never loads: the non-AMD bundle, the library
# copy that embed-amd.js already contains, and licence/source-map files.
SKIP_SUFFIXES = (".map", ".LICENSE.txt")
SKIP_NAMES = {"embed.js", "libembed-amd.js"}

STAMP = ".vendored"


def _ignore(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n.endswith(SKIP_SUFFIXES) or n in SKIP_NAMES]


def installed_version(node_modules: Path, package: str) -> str:
    manifest = node_modules / package / "package.json"
    if not manifest.is_file():
        raise SystemExit(f"vendor_js: {manifest} is missing; run `npm ci` (or `make vendor`) first")
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def vendor(root: Path) -> Path:
    """Copy the pinned packages' browser files into ``root/book/_vendor``; return that path."""
    node_modules = root / "node_modules"
    target = root / "book" / "_vendor"
    problems = []
    for package, (pinned, _) in PACKAGES.items():
        found = installed_version(node_modules, package)
        if found != pinned:
            problems.append(f"{package}: pinned {pinned}, node_modules has {found}")
    if problems:
        raise SystemExit("vendor_js: run `npm ci`; " + "; ".join(problems))

    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for package, (_, copies) in PACKAGES.items():
        for source, destination in copies:
            src = node_modules / package / source
            dst = target / destination
            if src.is_dir():
                shutil.copytree(src, dst, ignore=_ignore, dirs_exist_ok=True)
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    for asset in sorted((root / "tools" / "site_static").iterdir()):
        if asset.is_file():
            shutil.copy2(asset, target / asset.name)
    versions = {package: pinned for package, (pinned, _) in PACKAGES.items()}
    (target / STAMP).write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    target = vendor(args.root.resolve())
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"vendor_js: {target} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
