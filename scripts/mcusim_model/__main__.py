"""Command line of the importer (run with the project venv's python, PYTHONPATH=scripts):

  python -m mcusim_model import MODEL.tflite --out DIR [--name N] [--input FILE]
         [--flash-bytes B --ram-bytes B --board NAME]
      Writes DIR/model_params.{c,h}, DIR/input.npy (the model's own input) and DIR/model.json.
  python -m mcusim_model reference MODEL.tflite --input DIR/input.npy [--out FILE]
      Runs TensorFlow Lite Micro's interpreter on the input and prints the int8 outputs
      (a DEQUANTIZE output is quantized back exactly), one line "v0 v1 ...".

Errors: one line "error: ..." on stderr, exit status 2.
"""
import argparse
import os
import sys

import numpy as np

from .importer import ModelError, lower
from . import codegen

SCRATCH_RESERVE = 4096  # bytes of kernel scratch the firmware reserves (optimized library)


def cmd_import(a) -> int:
    name = a.name or os.path.splitext(os.path.basename(a.model))[0]
    name = "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in name)
    net = lower(a.model, name)
    q, model_input = codegen.load_input(a.input, net)
    info = codegen.summary(net)
    board = a.board or "the board"
    if a.flash_bytes is not None and info["const_bytes"] > a.flash_bytes:
        raise ModelError(f"{a.model} does not fit {board}: its weights and constants need "
                         f"{info['const_bytes']} bytes of flash, {board} has {a.flash_bytes}")
    if a.ram_bytes is not None and net.activation_bytes + SCRATCH_RESERVE > a.ram_bytes:
        raise ModelError(f"{a.model} does not fit {board}: its activation arena needs "
                         f"{net.activation_bytes} bytes (+{SCRATCH_RESERVE} kernel scratch) of "
                         f"RAM, {board} has {a.ram_bytes}")
    codegen.write(net, q, a.out, a.model)
    np.save(os.path.join(a.out, "input.npy"), model_input)
    codegen.dump_json(info, os.path.join(a.out, "model.json"))
    print(f"{name}: {len(net.layers)} layers, {net.macs} MACs, {net.params} parameters, "
          f"activation arena {net.activation_bytes} bytes, constants {info['const_bytes']} bytes")
    return 0


def cmd_reference(a) -> int:
    from tflite_micro.python.tflite_micro import runtime
    net = lower(a.model, "model")
    x = np.load(a.input)
    interp = runtime.Interpreter.from_file(a.model)
    interp.set_input(x.astype(np.float32 if net.graph_input.type == "FLOAT32" else np.int8), 0)
    interp.invoke()
    y = interp.get_output(0).reshape(-1)
    if net.graph_output.type == "FLOAT32":
        s, zp = np.float32(net.output_tensor.scale), net.output_tensor.zp
        q = np.rint(y.astype(np.float64) / float(s)).astype(np.int64) + zp
        back = ((q - zp).astype(np.float32) * s).astype(np.float32)
        if not np.array_equal(back, y.astype(np.float32)):
            raise ModelError("DEQUANTIZE output is not an exact multiple of its scale")
        y = q
    line = " ".join(str(int(v)) for v in y)
    if a.out:
        with open(a.out, "w") as f:
            f.write(line + "\n")
    else:
        print(line)
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="mcusim_model")
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("import")
    i.add_argument("model")
    i.add_argument("--out", required=True)
    i.add_argument("--name")
    i.add_argument("--input")
    i.add_argument("--flash-bytes", type=int)
    i.add_argument("--ram-bytes", type=int)
    i.add_argument("--board")
    r = sub.add_parser("reference")
    r.add_argument("model")
    r.add_argument("--input", required=True)
    r.add_argument("--out")
    a = p.parse_args(argv)
    try:
        return cmd_import(a) if a.cmd == "import" else cmd_reference(a)
    except ModelError as e:
        msg = str(e)
        if not msg.startswith(a.model):
            msg = f"{a.model}: {msg}"
        print(f"error: {msg}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {a.model}: {e.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
