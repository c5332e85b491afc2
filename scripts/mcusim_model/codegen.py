"""Writes a lowered network as the firmware's C sources (the format net_gen writes for the four
hand-described tasks: workloads/net/net_model.h tables + net_qparams.h parameters, all const so
they land in flash), and the input tensor."""

from __future__ import annotations

import json
import os

import numpy as np

from .importer import EXT_KIND, NET_OP, Network, ModelError, tflite_round

SEED = 0x6D637573696D4D4C  # ASCII "mcusimML": the default input's SplitMix64 seed
MASK = (1 << 64) - 1


def splitmix64(state: int):
    """SplitMix64 (the generator of workloads/README.md), yields 64-bit values."""
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def default_input(n: int) -> np.ndarray:
    """n int8 values, uniform over [-128, 127] (the top byte of each SplitMix64 draw)."""
    g = splitmix64(SEED)
    return np.array([((next(g) >> 56) & 0xFF) - 128 for _ in range(n)], dtype=np.int8)


def quantize_input(x: np.ndarray, scale: float, zp: int) -> np.ndarray:
    """TFLite Micro's QUANTIZE (float32 -> int8): round(x / scale) half away from zero + zp,
    clamped; the division in float32 as in AffineQuantize."""
    q = np.float32(x) / np.float32(scale)
    r = np.sign(q) * np.floor(np.abs(q).astype(np.float64) + 0.5)
    return np.clip(r.astype(np.int64) + zp, -128, 127).astype(np.int8)


def load_input(path: str | None, net: Network) -> tuple[np.ndarray, np.ndarray]:
    """(int8 firmware input, the model's own input array) from `path` (.npy of int8 or float32,
    or raw bytes: N int8 or N float32 values) or generated (default_input)."""
    n = net.input_tensor.elems
    gi = net.graph_input
    if path is None:
        q = default_input(n)
        if gi.type == "FLOAT32":
            # Dequantized, so that the model's QUANTIZE gives back exactly q.
            f = ((q.astype(np.float32) - np.float32(net.input_tensor.zp))
                 * np.float32(net.input_tensor.scale)).astype(np.float32)
            return q, f.reshape(gi.shape)
        return q, q.reshape(gi.shape)
    try:
        if path.endswith(".npy"):
            a = np.load(path)
        else:
            raw = open(path, "rb").read()
            if len(raw) == n:
                a = np.frombuffer(raw, dtype=np.int8)
            elif len(raw) == 4 * n:
                a = np.frombuffer(raw, dtype=np.float32)
            else:
                raise ModelError(f"--input {path}: {len(raw)} bytes; the model's input has {n} "
                                 f"values: expected {n} bytes (int8) or {4 * n} (float32)")
    except OSError as e:
        raise ModelError(f"--input {path}: {e.strerror}") from None
    except ValueError as e:
        raise ModelError(f"--input {path}: not a readable .npy file ({e})") from None
    if a.size != n:
        raise ModelError(f"--input {path}: {a.size} values; the model's input "
                         f"{list(gi.shape)} has {n}")
    if a.dtype == np.int8:
        q = a.reshape(-1)
        if gi.type == "FLOAT32":
            f = ((q.astype(np.float32) - np.float32(net.input_tensor.zp))
                 * np.float32(net.input_tensor.scale)).astype(np.float32)
            return q, f.reshape(gi.shape)
        return q, q.reshape(gi.shape)
    if a.dtype.kind == "f":
        f = a.astype(np.float32).reshape(-1)
        q = quantize_input(f, net.input_tensor.scale, net.input_tensor.zp)
        return q, (f if gi.type == "FLOAT32" else q).reshape(gi.shape)
    raise ModelError(f"--input {path}: values of type {a.dtype}; int8 or float32 expected")


def c_array(ctype: str, name: str, values, per_line: int = 16) -> str:
    vals = [int(v) for v in np.asarray(values).reshape(-1)]
    lines = [f"static const {ctype} {name}[{max(1, len(vals))}] = {{"]
    if not vals:
        vals = [0]
    for i in range(0, len(vals), per_line):
        lines.append("    " + ", ".join(str(v) for v in vals[i:i + per_line]) + ",")
    lines.append("};")
    return "\n".join(lines) + "\n"


def label(l) -> str:
    h, w, c = l.out_shape
    return f"name={l.name} op={l.op} out={h}x{w}x{c} macs={l.macs}"


def const_bytes(net: Network) -> int:
    """Bytes of constant data the firmware holds for the network (weights, biases,
    requantization tables, input), without the code and the tables' few hundred bytes."""
    n = net.input_tensor.elems
    for l in net.layers:
        n += l.params if l.weights is None else l.weights.size + 4 * l.bias.size
        n += 8 * len(l.multiplier)
        if l.ext is not None and "const" in l.ext:
            n += l.ext["const"].size
    return n


def write(net: Network, q_input: np.ndarray, out_dir: str, source: str) -> None:
    """model_params.h / model_params.c in out_dir (symbol `model_params`,
    MODEL_ACTIVATION_BYTES)."""
    os.makedirs(out_dir, exist_ok=True)
    n = len(net.layers)
    ish = net.layers[0].in_shape if net.layers[0].inputs[0] == -1 else None
    h, w, c = (1, 1, net.input_tensor.elems)
    if len(net.input_tensor.shape) == 4:
        h, w, c = net.input_tensor.shape[1:]
    del ish
    kinds = 0
    for l in net.layers:
        if l.ext is not None:
            kinds |= 1 << EXT_KIND[l.ext["kind"]]
    hdr = f"""/* Generated by scripts/mcusim_model from {os.path.basename(source)}. Do not edit. */
#ifndef MODEL_PARAMS_H_
#define MODEL_PARAMS_H_

#include "model_ext.h"
#include "net_model.h"
#include "net_qparams.h"

/* Activation area of the arena plan (bytes; kernel scratch comes on top). */
#define MODEL_ACTIVATION_BYTES {net.activation_bytes}u
#define MODEL_NUM_LAYERS {n}
/* Extended layer kinds the model has (model_ext.h): bit k = model_ext_kind_t k. */
#define MODEL_EXT_KINDS {kinds:#x}

#ifdef __cplusplus
extern "C" {{
#endif
extern const net_params_t model_params;
#ifdef __cplusplus
}}
#endif

#endif
"""
    out = [f"/* Generated by scripts/mcusim_model from {os.path.basename(source)} ({net.macs} "
           f"MACs, {net.params} parameters). Do not edit.\n * All arrays are const (-> flash). */",
           '#include "model_params.h"', "", "#include <stddef.h>", ""]
    out.append(c_array("int8_t", "input", q_input))
    rows = []
    qrows = []
    for i, l in enumerate(net.layers):
        src2 = l.inputs[1] if len(l.inputs) > 1 else -3
        rows.append(f'  {{"{l.name}", (net_op_t){NET_OP[l.net_op]}, {{{l.in_shape[0]}, {l.in_shape[1]}, '
                    f'{l.in_shape[2]}}}, {{{l.out_shape[0]}, {l.out_shape[1]}, {l.out_shape[2]}}}, '
                    f'{l.kernel[0]}, {l.kernel[1]}, {l.stride[0]}, {l.stride[1]}, '
                    f'(net_padding_t){l.padding}, (net_act_t){l.act}, {l.inputs[0]}, {src2}}},')
        ptrs = ["NULL"] * 4
        if l.weights is not None:
            out.append(c_array("int8_t", f"w{i}", l.weights))
            out.append(c_array("int32_t", f"b{i}", l.bias, 8))
            ptrs[0:2] = [f"w{i}", f"b{i}"]
        if l.multiplier:
            out.append(c_array("int32_t", f"m{i}", l.multiplier, 8))
            out.append(c_array("int32_t", f"s{i}", l.shift, 8))
            ptrs[2:4] = [f"m{i}", f"s{i}"]
        ptrs = ", ".join(ptrs)
        sm = l.softmax
        ad = l.add
        qrows.append(f"  {{{ptrs}, {l.input_zp}, {l.input2_zp}, {l.output_zp}, {l.act_min}, "
                     f"{l.act_max}, {sm[0]}, {sm[1]}, {sm[2]}, {ad[0]}, {ad[1]}, {ad[2]}, {ad[3]}, "
                     f"{ad[4]}, {ad[5]}}}, /* {l.name} */")
    ext_rows = []
    for i, l in enumerate(net.layers):
        e = l.ext
        if e is None:
            ext_rows.append("  {MODEL_EXT_NONE, 1, 1, 0, 0, 1, 0, NULL, NULL, 0u, NULL},")
            continue
        out.append(c_array("int32_t", f"ei{i}", e.get("inputs", l.inputs)))
        const = "NULL"
        if "const" in e:
            out.append(c_array("int8_t", f"ec{i}", e["const"]))
            const = f"ec{i}"
        dims = "NULL"
        if "dims" in e:
            out.append(c_array("int32_t", f"ed{i}", e["dims"]))
            dims = f"ed{i}"
        dil = e.get("dilation", (1, 1))
        pad = e.get("pad", (0, 0))
        ext_rows.append(f"  {{(model_ext_kind_t){EXT_KIND[e['kind']]}, {dil[0]}, {dil[1]}, "
                        f"{pad[0]}, {pad[1]}, {e.get('depth_multiplier', 1)}, "
                        f"{len(e.get('inputs', l.inputs))}, ei{i}, {dims}, "
                        f"{e.get('axis_mask', 0)}u, {const}}}, /* {l.name} */")
    out.append(f"const model_layer_ext_t model_layer_ext[{n}] = {{\n" + "\n".join(ext_rows)
               + "\n};\n")
    out.append(f"static const net_layer_t layer_table[{n}] = {{\n" + "\n".join(rows) + "\n};\n")
    out.append(f"static const net_model_t model = {{\n  \"{net.name}\", \"{net.name}\", "
               f"layer_table, {n}, {{{h}, {w}, {c}}}, {net.input_tensor.scale!r}f, "
               f"{net.input_tensor.zp}, NET_INPUT_IMAGE, 0}};\n")
    out.append(f"static const net_layer_qparams_t layers[{n}] = {{\n" + "\n".join(qrows) + "\n};\n")
    out.append(f"static const char* const labels[{n}] = {{\n"
               + "\n".join(f'    "{label(l)}",' for l in net.layers) + "\n};\n")
    out.append(f"static const uint32_t out_offset[{n}] = {{"
               + ", ".join(f"{o}u" for o in net.out_offset) + "};\n")
    out.append(f"const net_params_t model_params = {{\n    &model, layers, input, labels, out_offset, "
               f"{net.input_offset}u, {net.activation_bytes}u}};\n")
    _write_if_changed(os.path.join(out_dir, "model_params.h"), hdr)
    _write_if_changed(os.path.join(out_dir, "model_params.c"), "\n".join(out))


def _write_if_changed(path: str, text: str) -> None:
    try:
        if open(path).read() == text:
            return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


def summary(net: Network) -> dict:
    """model.json: what the simulator needs to label and check the run."""
    return {
        "name": net.name,
        "macs": net.macs,
        "params": net.params,
        "activation_bytes": net.activation_bytes,
        "const_bytes": const_bytes(net),
        "input": {"shape": list(net.input_tensor.shape), "scale": net.input_tensor.scale,
                  "zero_point": net.input_tensor.zp, "model_type": net.graph_input.type},
        "output": {"shape": list(net.output_tensor.shape), "scale": net.output_tensor.scale,
                   "zero_point": net.output_tensor.zp, "model_type": net.graph_output.type},
        "layers": [{"index": i, "name": l.name, "op": l.op, "tflite_operator": l.tfl_index,
                    "out": list(l.out_shape), "macs": l.macs, "params": l.params}
                   for i, l in enumerate(net.layers)],
    }


def dump_json(obj, path: str) -> None:
    _write_if_changed(path, json.dumps(obj, indent=1) + "\n")


__all__ = ["write", "summary", "load_input", "dump_json", "const_bytes", "tflite_round"]
