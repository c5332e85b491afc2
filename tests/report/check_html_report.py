#!/usr/bin/env python3
"""Opens an mcusim HTML report in headless Chromium and checks it against its JSON document.

    check_html_report.py --html REPORT.html --json DOC.json [--kind results|compare]
                         [--screenshot FULL.png] [--thumbnail VIEW.png] [--expect-charts CLASS,...]

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
separated by NUL bytes on file descriptors 3 and 4), so it needs nothing but Python's standard
library and Debian's `chromium`. Checks:
  * the page loads without console errors or warnings, uncaught exceptions or log errors;
  * it requests nothing but its own file (self-contained: no network access when opened);
  * every figure (<data class="fig">) carries the value of the document at its JSON pointer
    (data-ptr; shares: divided by the value at data-den) and its text shows that value times
    data-scale within half a unit of its last shown digit;
  * every bar (rect.bar, rect.seg) is as long as its value relative to the others of its chart;
  * Pareto-front points (data-pareto) are exactly the configurations no other one beats in both
    latency and energy, computed here from the document;
  * the chart kinds given with --expect-charts are present.
Writes a full-page screenshot (and a viewport thumbnail) when asked. Exit status 0 when every
check passes, 1 otherwise (each failure printed), 2 when Chromium cannot be started.
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import pathlib


class Chromium:
    """A headless Chromium driven over the DevTools protocol on a pipe."""

    def __init__(self, binary, timeout):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="mcusim-chromium.")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire():  # the child's fd 3 reads our commands, fd 4 writes its answers
            r, w = os.dup(to_child_r), os.dup(from_child_w)  # above 4, so the dup2s cannot clash
            os.dup2(r, 3, inheritable=True)
            os.dup2(w, 4, inheritable=True)

        args = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--mute-audio", "--font-render-hinting=none",
                f"--user-data-dir={self.profile}", "about:blank"]
        self.proc = subprocess.Popen(args, close_fds=False, preexec_fn=wire,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        import select
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self.from_child], [], [], left)
            if ready:
                chunk = os.read(self.from_child, 1 << 20)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors="replace") if self.proc.poll() is not None else ""
                    raise RuntimeError(f"Chromium closed the pipe {err[-2000:]}")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, session):
        deadline = time.monotonic() + self.timeout
        for e in self.events:
            if e["method"] == method and e.get("sessionId") == session:
                return e
        while True:
            m = self._read_message(deadline)
            if "method" in m:
                self.events.append(m)
                if m["method"] == method and m.get("sessionId") == session:
                    return m


def resolve(doc, pointer):
    """RFC 6901 JSON pointer lookup."""
    cur = doc
    for tok in pointer.split("/")[1:]:
        tok = tok.replace("~1", "/").replace("~0", "~")
        cur = cur[int(tok)] if isinstance(cur, list) else cur[tok]
    return cur


def shown_number(text):
    """The number a figure's text shows and its count of decimals ('1,234.50' -> 1234.5, 2)."""
    t = text.strip().replace(",", "")
    m = re.fullmatch(r"(-?\d+)(?:\.(\d+))?", t)
    if not m:
        raise ValueError(f"'{text}' is not a number")
    return float(t), len(m.group(2) or "")


COLLECT = r"""JSON.stringify({
  figs: [...document.querySelectorAll('data.fig')].map(e => ({value: e.value, ptr: e.dataset.ptr,
         den: e.dataset.den || null, scale: e.dataset.scale, hex: !!e.dataset.hex, text: e.textContent})),
  bars: [...document.querySelectorAll('svg.chart')].map((svg, i) => ({chart: i, cls: svg.getAttribute('class'),
         rects: [...svg.querySelectorAll('rect.bar, rect.seg')].map(r => ({ptr: r.dataset.ptr, den: r.dataset.den || null,
         width: parseFloat(r.getAttribute('width'))}))})),
  pareto: [...document.querySelectorAll('svg.pareto')].map(svg => [...svg.querySelectorAll('circle')].map(c =>
         ({x: c.dataset.xPtr, y: c.dataset.yPtr, front: c.dataset.pareto === '1'}))),
  charts: [...document.querySelectorAll('svg.chart')].map(s => s.getAttribute('class')),
  title: document.title,
  height: document.documentElement.scrollHeight
})"""


def check(args):
    doc = json.loads(pathlib.Path(args.json).read_text())
    html = pathlib.Path(args.html).resolve()
    failures = []
    chrome = Chromium(args.chromium, args.timeout)
    try:
        target = chrome.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chrome.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            chrome.call(f"{domain}.enable", session=session)
        chrome.call("Emulation.setDeviceMetricsOverride",
                    {"width": args.width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
        chrome.call("Page.navigate", {"url": html.as_uri()}, session)
        chrome.wait_event("Page.loadEventFired", session)
        data = json.loads(chrome.call("Runtime.evaluate", {"expression": COLLECT, "returnByValue": True},
                                      session)["result"]["value"])
        # Console, exceptions, log entries, requests.
        for e in chrome.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                failures.append(f"console {p['type']}: {[a.get('value', a.get('description')) for a in p.get('args', [])]}")
            elif m == "Runtime.exceptionThrown":
                failures.append(f"uncaught exception: {p['exceptionDetails'].get('text')}")
            elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                failures.append(f"log {p['entry']['level']}: {p['entry']['text']}")
            elif m == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if url != html.as_uri() and not url.startswith("data:"):
                    failures.append(f"the page requests {url} (it must be self-contained)")
        # Figures.
        for f in data["figs"]:
            try:
                v = resolve(doc, f["ptr"])
            except (KeyError, IndexError, ValueError):
                failures.append(f"figure '{f['text']}': {f['ptr']} is not in the document")
                continue
            if float(f["value"]) != float(v):
                failures.append(f"figure {f['ptr']}: value attribute {f['value']} but the document has {v}")
            expect = float(v) * float(f["scale"])
            if f["den"]:
                den = float(resolve(doc, f["den"]))
                expect = float(v) / den * float(f["scale"]) if den else 0.0
            if f["hex"]:
                if int(f["text"], 16) != int(v):
                    failures.append(f"figure {f['ptr']}: shows {f['text']}, the document has {v}")
                continue
            try:
                shown, digits = shown_number(f["text"])
            except ValueError as e:
                failures.append(f"figure {f['ptr']}: {e}")
                continue
            if abs(shown - expect) > 0.5 * 10 ** -digits * (1 + 1e-9) + 1e-12 * abs(expect):
                failures.append(f"figure {f['ptr']}: shows {f['text']}, the document gives {expect}")
        # Bars proportional to their values within each chart (0.01 px: widths are written with 3 decimals).
        nbars = 0
        for chart in data["bars"]:
            rects = chart["rects"]
            if not rects:
                continue
            vals = []
            for r in rects:
                v = float(resolve(doc, r["ptr"]))
                if r["den"]:
                    v = abs(v / float(resolve(doc, r["den"])))
                vals.append(v)
            nbars += len(rects)
            ref = max(range(len(rects)), key=lambda i: vals[i])  # bars (and segments) relative to the longest
            ref_w = rects[ref]["width"]
            for r, v in zip(rects, vals):
                want = ref_w * v / vals[ref] if vals[ref] else 0
                if abs(r["width"] - want) > 0.01:
                    failures.append(f"chart {chart['chart']} ({chart['cls']}): bar {r['ptr']} is {r['width']} wide, "
                                    f"its value needs {want:.3f}")
        # Pareto fronts.
        for circles in data["pareto"]:
            pts = [(float(resolve(doc, c["x"])), float(resolve(doc, c["y"]))) for c in circles]
            for i, c in enumerate(circles):
                dominated = any(j != i and pts[j][0] <= pts[i][0] and pts[j][1] <= pts[i][1] and pts[j] != pts[i]
                                for j in range(len(pts)))
                if c["front"] == dominated:
                    failures.append(f"Pareto point {c['x']}: marked {'on' if c['front'] else 'off'} the front, "
                                    f"but it is {'dominated' if dominated else 'not dominated'}")
        kinds = " ".join(data["charts"])
        for want in filter(None, args.expect_charts.split(",")):
            if f" {want}" not in f" {kinds}":
                failures.append(f"no '{want}' chart on the page (charts: {kinds})")
        if len(data["figs"]) < args.min_figures:
            failures.append(f"only {len(data['figs'])} figures on the page, expected at least {args.min_figures}")
        print(f"{args.html}: '{data['title']}', {len(data['figs'])} figures and {nbars} bars checked against "
              f"{args.json}, {len(data['charts'])} charts ({', '.join(sorted(set(c.split()[1] for c in data['charts'])))}), "
              f"{sum(len(p) for p in data['pareto'])} Pareto points")
        # Screenshots.
        if args.thumbnail:
            shot = chrome.call("Page.captureScreenshot", {"format": "png"}, session)
            pathlib.Path(args.thumbnail).parent.mkdir(parents=True, exist_ok=True)
            pathlib.Path(args.thumbnail).write_bytes(base64.b64decode(shot["data"]))
            print(f"thumbnail: {pathlib.Path(args.thumbnail).resolve()}")
        if args.screenshot:
            height = min(int(data["height"]), 16000)
            chrome.call("Emulation.setDeviceMetricsOverride",
                        {"width": args.width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
            shot = chrome.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
            pathlib.Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
            pathlib.Path(args.screenshot).write_bytes(base64.b64decode(shot["data"]))
            print(f"screenshot: {pathlib.Path(args.screenshot).resolve()} ({args.width}x{height})")
    finally:
        chrome.close()
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--screenshot")
    ap.add_argument("--thumbnail")
    ap.add_argument("--expect-charts", default="")
    ap.add_argument("--min-figures", type=int, default=10)
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = ap.parse_args()
    if not shutil.which(args.chromium):
        print(f"FAIL: {args.chromium} not found (bash scripts/install-deps.sh installs Debian's chromium)")
        return 2
    try:
        return check(args)
    except (TimeoutError, RuntimeError) as e:
        print(f"FAIL: Chromium: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
