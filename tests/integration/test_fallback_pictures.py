"""The explorers' static pictures and shared modules on the website (issue 15).

``tools/fallback_pictures.py`` draws each explorer's starting picture at build time by
running its view's own module under Node (``tools/fallback/``: a small DOM and a canvas
context that records SVG); ``tools/view_parts.py`` moves the views' modules out of the
pages into parts the site shares, which ``widgets-setup.js`` joins back. Checked here: the
SVG context and its PNG encoder against independent readings, the parts' round trip
(a hypothesis property, and through Node's own evaluation of the scripts), a real
explorer drawn whose picture says the explorer's status, the refusals, and every built
chapter: each explorer's place filled at both widths, no module left in a page, every
part it names served. The pages in Chromium (JavaScript off: the pictures; on: hidden
once the explorers are there) are in ``test_site.py``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_site import site, site_url  # noqa: F401  (fixtures by name)
from test_widget_state import CHAPTERS, STATE_SCRIPT, built_chapter

import backprop_lab as bl

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
sys.path.insert(0, str(REPO / "tools"))

import fallback_pictures  # noqa: E402
import view_parts  # noqa: E402

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node is not installed")


def run_node(script: str) -> str:
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        cwd=REPO / "tools" / "fallback",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- the SVG canvas ------------------------------------------------------------------------


@needs_node
def test_the_svg_context_records_paths_text_transforms_and_clips_as_a_canvas_draws_them():
    out = run_node(
        """
import { SvgContext } from "./svg_canvas.mjs";
const ctx = new SvgContext({ width: 100, height: 50 });
ctx.fillStyle = "#ff0000";
ctx.fillRect(1, 2, 3, 4);
ctx.save();
ctx.translate(10, 20);
ctx.beginPath(); ctx.rect(0, 0, 5, 5); ctx.clip();
ctx.strokeStyle = "#00ff00"; ctx.lineWidth = 2; ctx.setLineDash([4, 2]);
ctx.beginPath(); ctx.moveTo(0, 0); ctx.lineTo(3, 4); ctx.stroke();
ctx.restore();
ctx.beginPath(); ctx.arc(50, 25, 10, 0, 2 * Math.PI); ctx.fill();
ctx.font = "10px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
ctx.fillText("a<b", 5, 6);
const width = ctx.measureText("0000").width;
console.log(JSON.stringify({ svg: ctx.svg(100, 50, "what it shows"), width }));
"""
    )
    answer = json.loads(out)
    svg = answer["svg"]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"')
    assert 'aria-label="what it shows"' in svg and 'role="img"' in svg
    assert '<rect x="1" y="2" width="3" height="4" fill="#ff0000"/>' in svg
    # the clip opens a group that the restore closes; the line drawn inside it carries its
    # dash, width and the translation
    clip = re.search(
        r'<clipPath id="(c\d+)"><path d="M0 0h5v5h-5Z" transform="matrix\(1 0 0 1 10 20\)"/>', svg
    )
    assert clip, svg
    inside = svg[svg.index(f'<g clip-path="url(#{clip[1]})">') : svg.index("</g>")]
    assert (
        'stroke-dasharray="4 2"' in inside
        and 'stroke-width="2"' in inside
        and 'd="M0 0L3 4"' in inside
    )
    # a whole circle: two half arcs from (60, 25) round to it again
    assert 'd="M60 25A10 10 0 1 1 40 25A10 10 0 1 1 60 25"' in svg
    assert (
        ">a&lt;b</text>" in svg
        and 'text-anchor="middle"' in svg
        and 'dominant-baseline="central"' in svg
    )
    assert answer["width"] == pytest.approx(4 * 5.56)  # Helvetica's digits: 0.556 em


@needs_node
def test_the_png_encoder_writes_a_file_that_decodes_to_its_pixels():
    out = run_node(
        """
import { encodePng } from "./svg_canvas.mjs";
const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 1, 2, 3, 4]);
console.log(encodePng(2, 2, rgba).toString("base64"));
"""
    )
    import base64

    png = base64.b64decode(out)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        chunks[kind] = data
        at += 12 + length
    assert struct.unpack(">IIBB", chunks[b"IHDR"][:10]) == (2, 2, 8, 6)
    rows = zlib.decompress(chunks[b"IDAT"])
    assert rows == bytes([0, 255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 0, 255, 255, 1, 2, 3, 4])


# --- the shared modules --------------------------------------------------------------------

pieces = st.lists(
    st.text(alphabet=st.sampled_from("ab\n/- </script>\"'\\é"), max_size=30)
    | st.just("// ---- engine.js\n"),
    max_size=8,
).map("".join)


@given(pieces)
def test_a_module_cut_into_parts_joins_back_to_itself(module):
    parts = view_parts.parts_of(module)
    assert "".join(parts) == module
    assert all(part for part in parts)
    assert all(part.startswith("// ---- ") for part in parts[1:])


def test_split_modules_writes_each_part_once_and_names_them_in_the_state(tmp_path):
    engine = "export function f() {}\n"
    one = engine + "// ---- draw.js\nconst d = 1;\n// ---- one.js\nexport default {one: 1};\n"
    two = engine + "// ---- draw.js\nconst d = 1;\n// ---- two.js\nexport default {two: 2};\n"
    saved = {
        "version_major": 2,
        "state": {
            "a": {"model_name": "AnyModel", "state": {"_esm": one, "rate": 1}},
            "b": {"model_name": "AnyModel", "state": {"_esm": two}},
            "s": {"model_name": "FloatSliderModel", "state": {"value": 2}},
        },
    }
    split, scripts = view_parts.split_modules(saved, tmp_path)
    files = sorted(p.name for p in (tmp_path / "views").iterdir())
    assert len(files) == 4  # engine, draw.js, one.js, two.js: the shared two written once
    every_part = [*view_parts.parts_of(one), *view_parts.parts_of(two)]
    names = dict.fromkeys(view_parts.part_name(p) for p in every_part)
    assert scripts == [f"views/{name}.js" for name in names]
    assert split["state"]["s"] == saved["state"]["s"]
    assert split["state"]["a"]["state"]["rate"] == 1
    for key, module in (("a", one), ("b", two)):
        marker = split["state"][key]["state"]["_esm"]
        assert marker.startswith(view_parts.MARKER)
        names = marker[len(view_parts.MARKER) :].split()
        assert names == [view_parts.part_name(p) for p in view_parts.parts_of(module)]
    again, scripts_again = view_parts.split_modules(split, tmp_path)  # a second write
    assert again == split and scripts_again == scripts


@needs_node
def test_the_part_scripts_hand_the_page_the_very_text_of_the_module(tmp_path):
    module = 'const s = "</script><b>é\\u2028";\n// ---- v.js\nexport default {};\n'
    _, scripts = view_parts.split_modules({"state": {"a": {"state": {"_esm": module}}}}, tmp_path)
    run = "globalThis.window = globalThis;\n" + "".join(
        (tmp_path / s).read_text(encoding="utf-8") for s in scripts
    )
    run += "process.stdout.write(JSON.stringify(window.bplViewParts));"
    parts = json.loads(run_node(run))
    names = [Path(s).stem for s in scripts]
    assert "".join(parts[name] for name in names) == module
    assert all("</script" not in (tmp_path / s).read_text() for s in scripts)


# --- an explorer's picture -----------------------------------------------------------------


def saved_state_of(explorer) -> dict:
    state = explorer.view.get_state()
    return {"state": {explorer.view.model_id: {"model_name": "AnyModel", "state": state}}}


@needs_node
def test_an_explorer_is_drawn_at_both_widths_and_its_picture_says_its_status():
    with bl.NeuronExplorer() as explorer:
        body = "<p>before</p>" + explorer.fallback_html() + "<p>after</p>"
        filled = fallback_pictures.add_pictures(body, saved_state_of(explorer), page="p")
        status = explorer.status
    assert filled.startswith("<p>before</p>") and filled.endswith("</div><p>after</p>")
    for name, width in fallback_pictures.WIDTHS.items():
        match = re.search(
            rf'<div class="bpl-fallback-{name}"><svg [^>]*width="(\d+)"[^>]*>', filled
        )
        assert match and int(match[1]) == width, name
    assert filled.count(f'aria-label="{html.escape(status)}"') == 2
    assert "<noscript>" in filled  # the note stays, after the pictures
    assert filled.count("<path") > 10 and "<text" in filled  # axes, curves and labels


@needs_node
def test_the_phone_picture_redrawn_after_the_column_narrows_is_the_one_drawn_there_first():
    """The renderer computes a view once and redraws it for each width, as the page does
    when its column narrows: the same picture as a view drawn at that width from the start
    (clip-path ids aside, which count up across a page)."""
    with bl.TrainingExplorer(max_iterations=200) as explorer:
        (model,) = saved_state_of(explorer)["state"].values()
        status = explorer.status
    state = dict(model["state"])
    esm = state.pop("_esm")
    resized, fresh = fallback_pictures.draw(
        [
            {"key": "resized", "esm": esm, "state": state, "widths": [800, 360]},
            {"key": "fresh", "esm": esm, "state": state, "widths": [360]},
        ]
    )
    ids = re.compile(r"\bc\d+\b")
    assert [ids.sub("c", svg) for svg in resized["pictures"][1]] == [
        ids.sub("c", svg) for svg in fresh["pictures"][0]
    ]
    assert resized["pictures"][0] != resized["pictures"][1]  # the desktop one is wider
    assert resized["status"] == fresh["status"] == status


@needs_node
def test_a_picture_that_says_something_else_or_a_missing_view_stops_the_build():
    with bl.NeuronExplorer() as explorer:
        saved = saved_state_of(explorer)
        body = explorer.fallback_html().replace(html.escape(explorer.status), "something else")
        with pytest.raises(fallback_pictures.FallbackError, match="drawn under Node says"):
            fallback_pictures.add_pictures(body, saved, page="p")
        with pytest.raises(fallback_pictures.FallbackError, match="no saved view"):
            fallback_pictures.add_pictures(explorer.fallback_html(), {"state": {}}, page="p")
        broken = json.loads(json.dumps(saved))
        broken["state"][explorer.view.model_id]["state"]["_esm"] = (
            "export default { render() { throw new Error('no'); } };"
        )
        with pytest.raises(fallback_pictures.FallbackError, match="could not be drawn"):
            fallback_pictures.add_pictures(explorer.fallback_html(), broken, page="p")
    assert fallback_pictures.add_pictures("<p>no explorer</p>", {}) == "<p>no explorer</p>"


@needs_node
def test_a_view_that_never_settles_is_an_error_not_a_picture():
    forever = (
        "export default { render({ el }) { const s = document.createElement('div');"
        " s.className = 'bpl-live-status'; el.appendChild(s); let n = 0;"
        " const tick = () => { s.textContent = String(n++); requestAnimationFrame(tick); };"
        " tick(); } };"
    )
    view = {"key": "k", "esm": forever, "state": {}, "widths": [360], "seconds": 0.5}
    (answer,) = fallback_pictures.draw([view])
    assert "still working after 0.5 s" in answer["error"]


# --- the built site ------------------------------------------------------------------------


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_built_chapter_has_its_pictures_and_no_module_of_its_own(site, chapter):  # noqa: F811
    text = built_chapter(site, chapter)
    views = text.count('<script type="application/vnd.jupyter.widget-view+json">')
    assert views >= 1, chapter
    assert text.count('<div class="bpl-fallback" data-bpl-view=') == views
    assert text.count('<div class="bpl-fallback-wide"><svg') == views
    assert text.count('<div class="bpl-fallback-narrow"><svg') == views
    (saved,) = (json.loads(t.replace("<\\/", "</")) for t in STATE_SCRIPT.findall(text))
    modules = [m["state"]["_esm"] for m in saved["state"].values() if "_esm" in m["state"]]
    assert modules and all(m.startswith(view_parts.MARKER) for m in modules), chapter
    for module in modules:
        for name in module[len(view_parts.MARKER) :].split():
            assert (site / "_static" / "views" / f"{name}.js").is_file(), name
            assert re.search(rf'<script defer="defer" src="\.\./_static/views/{name}\.js[?"]', text)
