"""Copy the JavaScript the site serves itself from node_modules/ into book/_vendor/.

The built pages must render fully without asking any other host for anything: MathJax
typesets the equations (with its font, which it would otherwise fetch from a CDN),
RequireJS loads the ipywidgets embed manager, and the embed manager draws the widgets
(with their icon fonts). `npm ci` installs the pinned packages
(package.json, package-lock.json); this script copies only the files a page loads, plus our
own site assets from tools/site_static/, into the folder `_config.yml` lists in
`html_static_path` (so they end up in `_build/html/_static/`).

The folder is deliberately not named `_static`: Jupyter Book would then add every `.js` file
in it to every page.

Usage: python tools/vendor_js.py [--root REPO]   (run by `make vendor`; `jupyter-book build .`
runs it too, through tools/sphinx_site.py, when book/_vendor is missing or stale)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

# package name -> (version pinned in package.json, [(source inside the package, target in
# book/_vendor)]). A directory source is copied whole, without source maps.
PACKAGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    # MathJax 4's combined component, the components it loads on demand (TeX extensions,
    # the menu, assistive MathML, the speech engine should a reader switch speech on), and
    # the font it typesets with. The font's woff2 files and the character data it loads as
    # it needs them keep the npm layout under @mathjax/, the folder _config.yml's
    # `loader.paths.fonts` names (MathJax's default there is a CDN).
    "mathjax": (
        "4.1.3",
        [
            ("tex-chtml.js", "mathjax/tex-chtml.js"),
            ("input", "mathjax/input"),
            ("output", "mathjax/output"),
            ("ui", "mathjax/ui"),
            ("a11y", "mathjax/a11y"),
            ("sre", "mathjax/sre"),
        ],
    ),
    "@mathjax/mathjax-newcm-font": (
        "4.1.3",
        [
            ("chtml/woff2", "@mathjax/mathjax-newcm-font/chtml/woff2"),
            ("chtml/dynamic", "@mathjax/mathjax-newcm-font/chtml/dynamic"),
        ],
    ),
    "requirejs": ("2.3.8", [("require.js", "requirejs/require.js")]),
    # libembed-amd.js defines @jupyter-widgets/base, controls and html-manager as named AMD
    # modules (it is embed-amd.js without the last lines, which render the widgets only at
    # the window's load event: widgets-setup.js starts them at DOMContentLoaded instead);
    # the hashed files next to it are the icon fonts its CSS refers to, which it
    # fetches from <RequireJS baseUrl>/@jupyter-widgets/html-manager/dist/, so the npm
    # layout is kept under widgets/ (the baseUrl that widgets-setup.js sets).
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        [("dist", "widgets/@jupyter-widgets/html-manager/dist")],
    ),
}

# Files of html-manager's dist/ that a page never loads: the non-AMD bundle, embed-amd.js
# (libembed-amd.js and a start at the load event), and licence/source-map files.
SKIP_SUFFIXES = (".map", ".LICENSE.txt")
SKIP_NAMES = {"embed.js", "embed-amd.js"}

STAMP = ".vendored"

# anywidget's front end (the AMD module the embed manager asks RequireJS for, by the name
# "anywidget"; widgets-setup.js maps that name to widgets/anywidget/dist/index.js). It is
# taken from the installed Python package, whose nbextension/index.js is byte for byte the
# npm package's dist/index.js, so the page's front end is always the pinned Python version's.
ANYWIDGET_TARGET = "widgets/anywidget/dist/index.js"


def anywidget_front_end() -> tuple[str, Path]:
    """(version, path) of the installed anywidget's front-end bundle."""
    from importlib.metadata import version
    from importlib.resources import files

    return version("anywidget"), Path(str(files("anywidget") / "nbextension" / "index.js"))


def _ignore(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n.endswith(SKIP_SUFFIXES) or n in SKIP_NAMES]


def node_modules_problems(root: Path) -> list[str]:
    """What keeps ``root/node_modules`` from holding the pinned packages (empty when ready)."""
    problems = []
    for package, (pinned, _) in PACKAGES.items():
        manifest = root / "node_modules" / package / "package.json"
        if not manifest.is_file():
            problems.append(f"{package} is not installed")
            continue
        found = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if found != pinned:
            problems.append(f"{package}: pinned {pinned}, node_modules has {found}")
    return problems


def expected_stamp(root: Path) -> dict:
    """What book/_vendor/.vendored records once :func:`vendor` has run with today's files:
    the pinned versions, what is copied where, and a hash of each of our own site assets."""
    assets = sorted(p for p in (root / "tools" / "site_static").iterdir() if p.is_file())
    return {
        "packages": {package: pinned for package, (pinned, _) in PACKAGES.items()},
        "copies": {package: [list(c) for c in copies] for package, (_, copies) in PACKAGES.items()},
        "assets": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in assets},
        "anywidget": anywidget_front_end()[0],
    }


def stale(root: Path) -> str | None:
    """Why ``root/book/_vendor`` must be made again, or None when it is current."""
    target = root / "book" / "_vendor"
    stamp = target / STAMP
    shown = target.relative_to(root).as_posix()
    if not stamp.is_file():
        return f"{shown} has not been vendored"
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except ValueError:
        return f"{shown}/{STAMP} is not valid JSON"
    expected = expected_stamp(root)
    for key, what in [
        ("packages", "the pinned versions"),
        ("copies", "the files to copy"),
        ("assets", "tools/site_static/"),
        ("anywidget", "the installed anywidget"),
    ]:
        if recorded.get(key) != expected[key]:
            return f"{what} changed since {shown} was vendored"
    copied = [dst for copies in expected["copies"].values() for _, dst in copies] + [
        ANYWIDGET_TARGET
    ]
    for name in copied + list(expected["assets"]):
        if not (target / name).exists():
            return f"{shown}/{name} is missing"
    return None


def vendor(root: Path) -> Path:
    """Copy the pinned packages' browser files into ``root/book/_vendor``; return that path."""
    node_modules = root / "node_modules"
    target = root / "book" / "_vendor"
    problems = node_modules_problems(root)
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
    anywidget = target / ANYWIDGET_TARGET
    anywidget.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(anywidget_front_end()[1], anywidget)
    for asset in sorted((root / "tools" / "site_static").iterdir()):
        if asset.is_file():
            shutil.copy2(asset, target / asset.name)
    stamp = json.dumps(expected_stamp(root), indent=2)
    (target / STAMP).write_text(stamp + "\n", encoding="utf-8")
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
