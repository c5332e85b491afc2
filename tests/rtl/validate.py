#!/usr/bin/env python3
"""RTL validation of mcusim's RV32 core models (docs/validation.md).

For every configuration of tests/rtl/configs.toml: builds the project's Verilator testbench of the
core with the configuration's parameters (cached in <build>/rtl/tb/), builds every program of
tests/rtl/programs for the board's memory map (<build>/rtl/programs/), runs each program on the
RTL and on mcusim (`mcusim run --board ... --json`), and prints one row per program (whole run)
and per region: RTL cycles, mcusim cycles, error in %, and whether the retired instruction
counts are equal. A program of configs.toml [program_traps] must instead stop at an
illegal-instruction trap at its symbol, on the RTL and in mcusim (a "trap:" line each). Exit
status 1 when a gated configuration has a row outside the tolerance, an instruction count that
differs, a run that did not end normally, or an expected trap that differs; 2 on bad input.

The RTL comes from the PyPI packages of scripts/requirements-rtl.txt (run with the venv's python,
.venv/bin/python, which scripts/install-deps.sh creates).
"""
import argparse
import concurrent.futures
import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
CROSS = "riscv64-unknown-elf-gcc"
NM = "riscv64-unknown-elf-nm"
TB_SOURCES = {"picorv32": [HERE / "picorv32_tb.cpp", HERE / "tb_common.h"],
              "ibex": [HERE / "ibex_tb.cpp", HERE / "tb_common.h"],
              "cv32e40p": [HERE / "cv32e40p_tb.cpp", HERE / "tb_common.h", HERE / "cv32e40p.vlt"]}
RTL_PACKAGE = {"picorv32": "pythondata_cpu_picorv32", "ibex": "pythondata_cpu_ibex",
               "cv32e40p": "pythondata_cpu_cv32e40p"}
REGION_LINE = re.compile(r"^R (\S+) (\d+) (\d+)$")


def fail(msg):
    print(f"validate.py: {msg}", file=sys.stderr)
    sys.exit(2)


def rtl_location(core):
    """Directory of the core's RTL inside its pythondata package, and the package version."""
    try:
        mod = importlib.import_module(RTL_PACKAGE[core])
    except ImportError:
        fail(f"Python package {RTL_PACKAGE[core]} missing: run bash scripts/install-deps.sh and use .venv/bin/python")
    return Path(mod.data_location), f"{RTL_PACKAGE[core]} {mod.version_str} (RTL {mod.data_git_describe})"


def ibex_sources(rtl):
    """The Ibex RTL files of the package for `ibex_top` (ibex_top.core / ibex_core.core file sets,
    resolved without FuseSoC): the packages in dependency order, then the top; every other module
    is found by Verilator in the library directories (-y). The abstract primitives (prim_buf,
    prim_flop, prim_clock_gating, ...) are the generic ones through the package's
    dv/uvm/core_ibex/common/prim wrappers. Returns (files, extra Verilator options)."""
    prim = rtl / "vendor" / "lowrisc_ip" / "ip" / "prim" / "rtl"
    wrappers = rtl / "dv" / "uvm" / "core_ibex" / "common" / "prim"
    files = [rtl / "lint" / "verilator_waiver.vlt", wrappers / "prim_pkg.sv"]
    files += [prim / f"prim_{p}_pkg.sv" for p in ("util", "mubi", "ram_1p", "secded", "count", "cipher")]
    files += [rtl / "rtl" / "ibex_pkg.sv", rtl / "rtl" / "ibex_top.sv"]
    for f in files:
        if not f.exists():
            fail(f"{f}: missing from {RTL_PACKAGE['ibex']} (the Ibex testbench needs it)")
    extra = [f"+incdir+{prim}", f"+incdir+{rtl / 'vendor' / 'lowrisc_ip' / 'dv' / 'sv' / 'dv_utils'}",
             "-y", str(rtl / "rtl"), "-y", str(prim), "-y", str(rtl / "vendor" / "lowrisc_ip" / "ip" / "prim_generic" / "rtl"),
             "-y", str(wrappers),
             # -G gives the enum parameters RV32M/RV32B as their integer values (ibex_pkg rv32m_e, rv32b_e)
             "-Wno-ENUMVALUE"]
    return files, extra


def cv32e40p_sources(rtl):
    """The CV32E40P RTL files of the package for `cv32e40p_top` without the FPU (the package's
    cv32e40p_manifest.flist: its packages, the core's modules, the simulation clock gate; not the
    tracer or the testbench wrapper), after tests/rtl/cv32e40p.vlt (which makes the counters the
    testbench touches public). Returns (files, extra Verilator options)."""
    r = rtl / "rtl"
    files = [HERE / "cv32e40p.vlt"]
    files += [r / "include" / f"{p}.sv" for p in ("cv32e40p_apu_core_pkg", "cv32e40p_fpu_pkg", "cv32e40p_pkg")]
    files += [r / f"cv32e40p_{m}.sv" for m in (
        "if_stage", "cs_registers", "register_file_ff", "load_store_unit", "id_stage", "aligner", "decoder",
        "compressed_decoder", "fifo", "prefetch_buffer", "hwloop_regs", "mult", "int_controller", "ex_stage",
        "alu_div", "alu", "ff_one", "popcnt", "apu_disp", "controller", "obi_interface", "prefetch_controller",
        "sleep_unit", "core", "top")]
    files += [rtl / "bhv" / "cv32e40p_sim_clock_gate.sv"]
    for f in files:
        if not f.exists():
            fail(f"{f}: missing from {RTL_PACKAGE['cv32e40p']} (the CV32E40P testbench needs it)")
    # BLKANDNBLK: cv32e40p_cs_registers assigns the unimplemented elements of its counter arrays
    # continuously and the implemented ones in always_ff (an 'Unsupported' error of Verilator
    # 5.006 that only concerns the array as a whole; each element has one driver).
    extra = [f"+incdir+{r / 'include'}", "-Wno-BLKANDNBLK", "-Wno-UNOPTFLAT"]
    return files, extra


def build_testbench(cfg, build, log):
    """Verilates the testbench of cfg['core'] with cfg['params']; returns the executable path."""
    core = cfg["core"]
    rtl, _ = rtl_location(core)
    params = cfg["params"]
    gflags = [f"-G{k}={v}" for k, v in sorted(params.items())]
    extra = []
    if core == "picorv32":
        sources = [rtl / "picorv32.v"]
        top = "picorv32"
    elif core == "ibex":
        sources, extra = ibex_sources(rtl)
        top = "ibex_top"
    elif core == "cv32e40p":
        sources, extra = cv32e40p_sources(rtl)
        top = "cv32e40p_top"
    else:
        fail(f"{cfg['name']}: unknown core '{core}' (expected one of {sorted(TB_SOURCES)})")
    h = hashlib.sha256()
    for f in sources + TB_SOURCES[core]:
        h.update(f.read_bytes())
    h.update(" ".join(map(str, extra)).encode())
    h.update(" ".join(gflags).encode())
    key = h.hexdigest()[:16]
    out = build / "rtl" / "tb" / f"{core}-{key}"
    exe = out / f"{core}_tb"
    if exe.exists():
        return exe
    out.mkdir(parents=True, exist_ok=True)
    cmd = ["verilator", "--cc", "--exe", "--build", "-j", "2", "-O3", "--x-assign", "fast", "--x-initial", "fast",
           "--noassert", *(["--public-flat-rw"] if core == "picorv32" else []), "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", top,
           *gflags, *extra, "-Mdir", str(out), "-CFLAGS", f"-O2 -I{HERE}", "-LDFLAGS", "-lelf",
           *map(str, sources), str(TB_SOURCES[core][0]), "-o", exe.name]
    log(f"verilator: {core} {' '.join(gflags)}")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 or not exe.exists():
        print(r.stdout[-4000:], r.stderr[-4000:], file=sys.stderr)
        fail(f"{cfg['name']}: the Verilator build failed")
    return exe


def build_program(name, sources, layout_name, layout, march, build):
    """Cross-compiles one program for a board layout; returns the ELF path."""
    out = build / "rtl" / "programs" / f"{layout_name}-{march}"
    out.mkdir(parents=True, exist_ok=True)
    ld = out / "link.ld"
    defs = {"RT_RAM_ORIGIN": hex(layout["ram_origin"]), "RT_RAM_LENGTH": hex(layout["ram_length"]),
            "RT_RESET": hex(layout["reset"])}
    if not ld.exists() or ld.stat().st_mtime < (PROGRAMS / "link.ld").stat().st_mtime:
        r = subprocess.run(["cpp", "-P", *[f"-D{k}={v}" for k, v in defs.items()], str(PROGRAMS / "link.ld")],
                           capture_output=True, text=True, check=True)
        ld.write_text(r.stdout)
    files = [PROGRAMS / "crt0.S", PROGRAMS / "rt.c"]
    for s in sources:
        files.append(ROOT / "reference-firmware" / s[1:] if s.startswith("@") else PROGRAMS / s)
    deps = files + [PROGRAMS / "rt.h", PROGRAMS / "bench.h", ld, HERE / "configs.toml"]
    elf = out / f"{name}.elf"
    if elf.exists() and all(elf.stat().st_mtime >= d.stat().st_mtime for d in deps):
        return elf
    cmd = [CROSS, f"-march={march}", "-misa-spec=2.2", "-mabi=ilp32", "-O2", "--specs=picolibc.specs",
           "-ffreestanding", "-nostartfiles", "-mno-relax", "-Wl,--no-warn-rwx-segments",
           f"-DRT_CONSOLE={hex(layout['console'])}", f"-I{ROOT / 'reference-firmware/kernels/include'}",
           "-T", str(ld), "-o", str(elf), *map(str, files)]
    if layout.get("halt"):
        cmd.insert(1, f"-DRT_HALT_ADDR={hex(layout['halt'])}")
    if layout.get("mcounters"):
        cmd.insert(1, "-DRT_MCOUNTERS")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr[-4000:], file=sys.stderr)
        fail(f"program {name} ({march}) does not build")
    return elf


def symbol_address(elf, name):
    """Address of the symbol `name` in `elf` (the cross toolchain's nm)."""
    r = subprocess.run([NM, str(elf)], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    fail(f"{elf}: no symbol {name} (configs.toml [program_traps])")


def regions(console):
    out = {}
    for line in console.splitlines():
        m = REGION_LINE.match(line)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def plain_console(console):
    return "\n".join(l for l in console.splitlines() if not REGION_LINE.match(l))


def run_rtl(exe, elf, cfg):
    cmd = [str(exe), str(elf), "--config", cfg["name"], "--max-cycles", "200000000", "--json", "-"]
    if cfg["core"] == "picorv32":
        cmd += ["--mode", cfg["mode"], "--ws", str(cfg["ws"])]
    if cfg["core"] in ("picorv32", "ibex"):
        cmd += ["--device-ws", str(cfg.get("device_ws", 0))]
    elif cfg.get("device_ws", 0):
        return {"error": f"configs.toml: {cfg['name']}: device_ws: the {cfg['core']} testbench has no device wait states"}
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        return {"error": r.stderr.strip()}
    # The result is the last line (Ibex's RTL may print its own messages before it).
    return json.loads(r.stdout.strip().splitlines()[-1])


def run_mcusim(mcusim, elf, cfg, build):
    board = ROOT / "boards" / f"{cfg['board']}.toml"
    out = build / "rtl" / "runs" / f"{elf.stem}.{cfg['name']}.mcusim.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(mcusim), "run", str(elf), "--board", str(board), "--json", str(out), "--quiet",
           "--max-instructions", "100000000"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        doc = json.loads(out.read_text())
        e = doc["results"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return {"error": (r.stderr or r.stdout).strip()[-2000:]}
    if e.get("status") != "ok":
        stop = e.get("stop") or {}
        if stop.get("reason") == "fault":
            return {"fault": stop.get("message", ""), "console": e.get("console", "")}
        return {"error": f"{e.get('status')}: {e.get('error') or e.get('stop')}"}
    return {"cycles": e["total"]["cycles"], "instructions": e["total"]["instructions"], "console": e["console"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=str(ROOT / "build"), help="CMake build directory (default: build)")
    ap.add_argument("--mcusim", help="mcusim executable (default: <build>/simulator/tool/mcusim)")
    ap.add_argument("--config", action="append", help="only these configurations (repeatable)")
    ap.add_argument("--program", action="append", help="only these programs (repeatable)")
    ap.add_argument("--tolerance", type=float, default=2.0, help="cycles error allowed, in %% (default 2)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="runs in parallel (default 2)")
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    ap.add_argument("--json", help="also write every row as JSON to this file")
    args = ap.parse_args()

    build = Path(args.build_dir).resolve()
    if args.mcusim:
        mcusim = Path(args.mcusim)
    else:  # the tool's place in the build tree (simulator/tool since the engine/tool split)
        mcusim = next((p for p in (build / "simulator" / "tool" / "mcusim", build / "simulator" / "mcusim")
                       if p.exists()), build / "simulator" / "tool" / "mcusim")
    if not mcusim.exists():
        fail(f"{mcusim}: not found (build mcusim first)")
    spec = tomllib.loads((HERE / "configs.toml").read_text())
    configs = spec["config"]
    if args.config:
        unknown = set(args.config) - {c["name"] for c in configs}
        if unknown:
            fail(f"unknown configuration(s) {sorted(unknown)}; configs.toml has {[c['name'] for c in configs]}")
        configs = [c for c in configs if c["name"] in args.config]
    programs = spec["programs"]
    for prog, cores in spec.get("program_cores", {}).items():
        if prog not in programs or not isinstance(cores, list) or not set(cores) <= set(TB_SOURCES):
            fail(f"configs.toml: program_cores.{prog}: expected a program of [programs] and a list of cores "
                 f"from {sorted(TB_SOURCES)}, got {cores!r}")
    traps = spec.get("program_traps", {})
    for prog, sym in traps.items():
        if prog not in programs or not isinstance(sym, str):
            fail(f"configs.toml: program_traps.{prog}: expected a program of [programs] and a symbol name, got {sym!r}")
    if args.program:
        programs = {k: v for k, v in programs.items() if k in args.program}
    log = lambda m: print(m, file=sys.stderr, flush=True)

    versions = {}
    jobs = []
    for cfg in configs:
        exe = build_testbench(cfg, build, log)
        versions[cfg["core"]] = rtl_location(cfg["core"])[1]
        layout_name = cfg.get("layout", cfg["core"])
        layout = spec["layout"][layout_name]
        for prog, sources in programs.items():
            if "programs" in cfg and prog not in cfg["programs"]:
                continue
            if cfg["core"] not in spec.get("program_cores", {}).get(prog, [cfg["core"]]):
                continue
            elf = build_program(prog, sources, layout_name, layout, cfg["march"], build)
            jobs.append((cfg, prog, exe, elf))
        for fw in cfg.get("firmware", []):
            if args.program and fw not in args.program:
                continue
            elf = build / "firmware" / layout["firmware_board"] / f"{fw}.elf"
            if not elf.exists():
                fail(f"{elf}: not found (the firmware of configuration {cfg['name']}: build mcusim's firmware first)")
            jobs.append((cfg, fw, exe, elf))

    def one(job):
        cfg, prog, exe, elf = job
        return run_rtl(exe, elf, cfg), run_mcusim(mcusim, elf, cfg, build)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one, jobs))

    rows, problems, trap_rows = [], [], []
    for (cfg, prog, _, elf), (rtl, sim) in zip(jobs, results):
        where = f"{cfg['name']} {prog}"
        gated = cfg.get("gate", True)
        if prog in traps:
            # Must trap at the symbol, on the RTL and in mcusim, with the same console output.
            pc = symbol_address(elf, traps[prog])
            rtl_ok = rtl.get("stop") == "trap" and rtl.get("stop_pc") == pc
            sim_ok = "fault" in sim and "illegal instruction 0x" in sim["fault"] and f"at PC 0x{pc:08x}" in sim["fault"]
            same_console = rtl_ok and sim_ok and plain_console(rtl["console"]) == plain_console(sim["console"])
            trap_rows.append({"config": cfg["name"], "program": prog, "pc": pc, "rtl_stop": rtl.get("stop"),
                              "rtl_stop_pc": rtl.get("stop_pc"), "mcusim": sim.get("fault") or sim.get("error") or "ok",
                              "pass": same_console})
            if not same_console:
                problems.append((gated, f"{where}: must trap at {traps[prog]} (PC 0x{pc:08x}): RTL "
                                        f"{rtl.get('error') or rtl.get('stop')} at "
                                        f"{'-' if rtl.get('stop_pc') is None else '0x%08x' % rtl['stop_pc']}; mcusim "
                                        f"{sim.get('fault') or sim.get('error') or 'ran on'}; console RTL "
                                        f"{rtl.get('console')!r}, mcusim {sim.get('console')!r}"))
            continue
        if "error" in rtl or "error" in sim or "fault" in sim or rtl.get("stop") not in ("ebreak", "halt"):
            problems.append((gated, f"{where}: RTL {rtl.get('error') or rtl.get('stop')}; mcusim "
                                    f"{sim.get('error') or sim.get('fault') or 'ok'}"))
            continue
        if plain_console(rtl["console"]) != plain_console(sim["console"]):
            problems.append((gated, f"{where}: console output differs (RTL {plain_console(rtl['console'])!r}, "
                                    f"mcusim {plain_console(sim['console'])!r})"))
        pairs = [("(total)", (rtl["cycles"], rtl["instructions"]), (sim["cycles"], sim["instructions"]))]
        rr, sr = regions(rtl["console"]), regions(sim["console"])
        for name, v in rr.items():
            pairs.append((name, v, sr.get(name, (0, 0))))
        for region, (rc, ri), (sc, si) in pairs:
            row_gated = gated
            err = 100.0 * (sc - rc) / rc if rc else float("inf")
            ok = abs(err) <= args.tolerance and ri == si
            rows.append({"core": cfg["core"], "config": cfg["name"], "board": cfg["board"], "program": prog,
                         "region": region, "rtl_cycles": rc, "mcusim_cycles": sc, "error_pct": round(err, 2),
                         "rtl_instructions": ri, "mcusim_instructions": si, "instructions_equal": ri == si,
                         "gated": row_gated, "pass": ok})
            if not ok:
                problems.append((row_gated, f"{where} {region}: RTL {rc} cycles / {ri} insns, mcusim {sc} / {si} "
                                        f"({err:+.2f} %)"))

    head = ["core", "configuration", "program", "region", "RTL cycles", "mcusim cycles", "error %", "insns equal"]
    table = [[r["core"], r["config"], r["program"], r["region"], str(r["rtl_cycles"]), str(r["mcusim_cycles"]),
              f"{r['error_pct']:+.2f}", "yes" if r["instructions_equal"] else
              f"no ({r['rtl_instructions']} vs {r['mcusim_instructions']})"] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) if table else len(h) for i, h in enumerate(head)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    for t in table:
        print("  ".join(c.ljust(w) for c, w in zip(t, widths)))
    for t in trap_rows:
        print(f"trap: {t['config']} {t['program']}: RTL {t['rtl_stop']} at PC "
              f"{'0x%08x' % t['rtl_stop_pc'] if t['rtl_stop_pc'] is not None else '-'}, mcusim: {t['mcusim']} "
              f"({'same PC and console' if t['pass'] else 'DIFFERENT'})")
    for core, v in sorted(versions.items()):
        print(f"RTL: {core}: {v}; Verilator {subprocess.run(['verilator', '--version'], capture_output=True, text=True).stdout.strip()}")
    if args.markdown:
        md = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        md += ["| " + " | ".join(t) + " |" for t in table]
        Path(args.markdown).write_text("\n".join(md) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps({"tolerance_pct": args.tolerance, "rtl": versions, "rows": rows,
                                               "traps": trap_rows}, indent=1))
    worst = {}
    for r in rows:
        k = r["config"]
        worst[k] = max(worst.get(k, 0.0), abs(r["error_pct"]))
    for k, w in worst.items():
        print(f"{k}: largest error {w:.2f} %")
    gated_fail = [m for g, m in problems if g]
    for g, m in problems:
        print(("FAIL " if g else "not gated: ") + m)
    n_pass = sum(1 for r in rows if r["pass"])
    print(f"rtl-validation: {n_pass} rows within {args.tolerance} % and instruction counts equal, "
          f"{len(rows) - n_pass} not; {sum(t['pass'] for t in trap_rows)} of {len(trap_rows)} expected traps "
          f"agree; {len(gated_fail)} gated failures")
    return 1 if gated_fail else 0


if __name__ == "__main__":
    sys.exit(main())
