"""Reads an int8 .tflite model and lowers it to the firmware's layer-table format.

The .tflite flatbuffer is read with PyPI's `tflite` package (the TensorFlow Lite schema as
generated Python classes); nothing here parses bytes by hand. The quantization arithmetic
(QuantizeMultiplier, the conv / fully-connected / add / softmax parameters, the fused-activation
clamp range) follows TensorFlow Lite Micro's Prepare code (tensorflow/lite/kernels/
kernel_util.cc, tensorflow/lite/micro/kernels/{conv,depthwise_conv,fully_connected,add,softmax}
_common.cc) so that the firmware kernels compute bit-identical outputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import tflite
from tflite.ActivationFunctionType import ActivationFunctionType
from tflite.BuiltinOperator import BuiltinOperator
from tflite.Padding import Padding
from tflite.TensorType import TensorType

OP_NAMES = {v: k for k, v in BuiltinOperator.__dict__.items() if not k.startswith("_")}
TYPE_NAMES = {v: k for k, v in TensorType.__dict__.items() if not k.startswith("_")}
ACT_NAMES = {v: k for k, v in ActivationFunctionType.__dict__.items() if not k.startswith("_")}

# Operators the importer lowers (QUANTIZE / DEQUANTIZE only at the model's input / output).
SUPPORTED = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "AVERAGE_POOL_2D",
             "MAX_POOL_2D", "SOFTMAX", "RESHAPE", "PAD", "PADV2", "MEAN", "CONCATENATION",
             "QUANTIZE (model input)", "DEQUANTIZE (model output)")
# tasks/model/model_ext.h model_ext_kind_t values (layers the layer-table format cannot say).
EXT_KIND = {"CONV_2D": 1, "DEPTHWISE_CONV_2D": 2, "ADD_BROADCAST": 3, "CONCATENATION": 4,
            "MEAN": 5}
MAX_CONCAT_INPUTS = 10  # TensorFlow Lite Micro's concatenation.cc kMaxInputNum
MAX_RANK = 4            # BroadcastAdd4DSlow; our MEAN and CONCATENATION kernels

# net_model.h net_op_t values.
NET_OP = {"CONV_2D": 0, "DEPTHWISE_CONV_2D": 1, "AVERAGE_POOL_2D": 2, "RESHAPE": 3,
          "FULLY_CONNECTED": 4, "SOFTMAX": 5, "ADD": 6, "MAX_POOL_2D": 7, "PAD": 8, "MEAN": 9,
          "CONCATENATION": 10}
# Layer names: short operator name + layer index (conv0, dw1, ...).
SHORT = {"CONV_2D": "conv", "DEPTHWISE_CONV_2D": "dw", "FULLY_CONNECTED": "fc", "ADD": "add",
         "AVERAGE_POOL_2D": "avgpool", "MAX_POOL_2D": "maxpool", "SOFTMAX": "softmax",
         "RESHAPE": "reshape", "PAD": "pad", "PADV2": "pad", "MEAN": "mean",
         "CONCATENATION": "concat"}
# TFLite operators lowered to another layer-table op.
NET_OP_OF = {"PADV2": "PAD"}
NET_INPUT = -1
NET_NONE = -3
NET_CONST = -4  # model_ext.h MODEL_EXT_CONST: a constant ADD operand
ARENA_ALIGN = 16


class ModelError(Exception):
    """A model the importer cannot take, with the reason (operator, index, tensor, value)."""


# ------------------------------------------------------------------ TFLite quantization helpers

def tflite_round(x: float) -> int:
    """TfLiteRound / std::round: half away from zero."""
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


def quantize_multiplier(real: float) -> tuple[int, int]:
    """TFLite QuantizeMultiplier (quantization_util.cc): (Q31 significand, shift), shift > 0 =
    left."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = tflite_round(q * (1 << 31))
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift, q_fixed = 0, 0
    if shift > 30:  # TFLite clamps (QuantizeMultiplier, "shift > 30")
        shift, q_fixed = 30, (1 << 31) - 1
    return int(q_fixed), int(shift)


def softmax_params(beta: float, input_scale: float) -> tuple[int, int, int]:
    """TFLite PreprocessSoftmaxScaling(beta, scale, 5) and -CalculateInputRadius(5, shift)."""
    bits = 5
    real = min(beta * input_scale * float(1 << (31 - bits)), float((1 << 31) - 1))
    mult, shift = quantize_multiplier(real)
    radius = math.floor(1.0 * ((1 << bits) - 1) * float(1 << (31 - bits)) / float(1 << shift))
    return mult, shift, -int(radius)


def f32(x) -> float:
    """A float32 value (how TFLite stores scales) as a Python float."""
    return float(np.float32(x))


# ------------------------------------------------------------------------------- data model

@dataclass
class Tensor:
    index: int
    name: str
    type: str
    shape: list[int]
    scales: list[float]
    zero_points: list[int]
    data: np.ndarray | None  # constant data, None for activations

    @property
    def scale(self) -> float:
        return self.scales[0]

    @property
    def zp(self) -> int:
        return self.zero_points[0]

    @property
    def elems(self) -> int:
        return int(np.prod(self.shape)) if self.shape else 1


@dataclass
class Layer:
    name: str
    op: str          # TFLite operator name (the label's op=)
    net_op: str      # the layer-table op the firmware runs
    tfl_index: int   # operator index in the model
    in_shape: tuple
    out_shape: tuple
    kernel: tuple = (1, 1)
    stride: tuple = (1, 1)
    padding: int = 0  # 0 VALID, 1 SAME
    act: int = 0      # net_act_t: 0 none, 1 relu(-like)
    inputs: list = field(default_factory=list)  # producer layer indices or NET_INPUT
    in_tensor: int = -1
    in2_tensor: int = -1
    out_tensor: int = -1
    weights: np.ndarray | None = None
    bias: np.ndarray | None = None
    multiplier: list = field(default_factory=list)
    shift: list = field(default_factory=list)
    input_zp: int = 0
    input2_zp: int = 0
    output_zp: int = 0
    act_min: int = -128
    act_max: int = 127
    softmax: tuple = (0, 0, 0)
    add: tuple = (0, 0, 0, 0, 0, 0)
    # Extended layer (tasks/model/model_ext.h), None for a plain layer-table layer: kind (an
    # EXT_KIND key), dilation (h, w), pad (top, left), depth_multiplier, dims, axis_mask.
    ext: dict | None = None

    @property
    def macs(self) -> int:
        oh, ow, oc = self.out_shape
        if self.net_op == "CONV_2D":
            return oh * ow * oc * self.kernel[0] * self.kernel[1] * self.in_shape[2]
        if self.net_op == "DEPTHWISE_CONV_2D":
            return oh * ow * oc * self.kernel[0] * self.kernel[1]
        if self.net_op == "FULLY_CONNECTED":
            return int(np.prod(self.in_shape)) * oc
        return 0

    @property
    def params(self) -> int:
        n = 0 if self.weights is None else self.weights.size
        return n + (0 if self.bias is None else self.bias.size)


@dataclass
class Network:
    name: str
    layers: list[Layer]
    input_tensor: Tensor          # the int8 tensor the firmware's input is
    graph_input: Tensor           # the model's input (float32 when a QUANTIZE follows)
    output_tensor: Tensor         # the int8 tensor the firmware prints
    graph_output: Tensor          # the model's output (float32 when a DEQUANTIZE precedes)
    out_offset: list[int] = field(default_factory=list)
    input_offset: int = 0
    activation_bytes: int = 0

    @property
    def macs(self) -> int:
        return sum(l.macs for l in self.layers)

    @property
    def params(self) -> int:
        return sum(l.params for l in self.layers)


def hwc(shape: list[int], what: str) -> tuple:
    """HWC of a batch-1 tensor: [1,H,W,C] -> (H,W,C); [1,C] or [C] -> (1,1,C)."""
    s = list(shape)
    if len(s) >= 2 and s[0] != 1:
        raise ModelError(f"{what}: batch size {s[0]} (shape {s}); only batch 1 is supported")
    if len(s) == 4:
        return tuple(int(v) for v in s[1:])
    if len(s) == 3:
        return (1, int(s[1]), int(s[2]))
    return (1, 1, int(np.prod(s)) if s else 1)


# ---------------------------------------------------------------------------------- reading

def read_model(path: str) -> tuple[object, object, list[Tensor]]:
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8 or buf[4:8] != b"TFL3":
        raise ModelError(f"{path}: not a TensorFlow Lite flatbuffer (no 'TFL3' identifier)")
    model = tflite.Model.GetRootAsModel(buf, 0)
    if model.SubgraphsLength() != 1:
        raise ModelError(f"{path}: {model.SubgraphsLength()} subgraphs; only single-subgraph "
                         "models are supported")
    g = model.Subgraphs(0)
    tensors = []
    for i in range(g.TensorsLength()):
        t = g.Tensors(i)
        q = t.Quantization()
        scales = list(q.ScaleAsNumpy()) if q is not None and q.ScaleLength() else []
        zps = list(q.ZeroPointAsNumpy()) if q is not None and q.ZeroPointLength() else []
        ttype = TYPE_NAMES.get(t.Type(), str(t.Type()))
        data = None
        b = model.Buffers(t.Buffer())
        if b is not None and b.DataLength() > 0:
            raw = b.DataAsNumpy().tobytes()
            dt = {"INT8": np.int8, "INT32": np.int32, "FLOAT32": np.float32, "INT64": np.int64,
                  "UINT8": np.uint8, "INT16": np.int16}.get(ttype)
            if dt is not None:
                data = np.frombuffer(raw, dtype=dt).copy()
        shape = [int(v) for v in t.ShapeAsNumpy()] if t.ShapeLength() else []
        if data is not None and shape:
            data = data.reshape(shape)
        tensors.append(Tensor(i, (t.Name() or b"").decode(), ttype, shape,
                              [f32(s) for s in scales], [int(z) for z in zps], data))
    return model, g, tensors


def act_range(act: int, out: Tensor, where: str) -> tuple[int, int, int]:
    """TFLite CalculateActivationRangeQuantized for int8: (net_act_t, act_min, act_max)."""
    def quant(f):
        return out.zp + tflite_round(f32(np.float32(f) / np.float32(out.scale)))
    name = ACT_NAMES.get(act, str(act))
    if act == ActivationFunctionType.NONE:
        return 0, -128, 127
    if act == ActivationFunctionType.RELU:
        return 1, max(-128, quant(0.0)), 127
    if act == ActivationFunctionType.RELU6:
        return 1, max(-128, quant(0.0)), min(127, quant(6.0))
    if act == ActivationFunctionType.RELU_N1_TO_1:
        return 1, max(-128, quant(-1.0)), min(127, quant(1.0))
    raise ModelError(f"{where}: fused activation {name} is not supported (NONE, RELU, RELU6, "
                     "RELU_N1_TO_1 are)")


def padding_of(p: int) -> int:
    return 1 if p == Padding.SAME else 0


def out_size(padding: int, n: int, k: int, stride: int, dilation: int = 1) -> int:
    """TFLite ComputeOutSize: SAME ceil(n / stride); VALID with the effective filter size
    (k - 1) * dilation + 1."""
    eff = (k - 1) * dilation + 1
    return (n + stride - 1) // stride if padding else (n + stride - eff) // stride


def pad_before(padding: int, n: int, out: int, k: int, stride: int, dilation: int) -> int:
    """TFLite ComputePadding (padding.h): floor(total / 2) of the effective filter's padding."""
    if not padding:
        return 0
    eff = (k - 1) * dilation + 1
    return max(0, ((out - 1) * stride + eff - n) // 2)


def dims4(shape: list[int], where: str, what: str) -> list[int]:
    """A shape of rank <= 4 as 4 sizes with leading 1s (TFLite's RuntimeShape::ExtendedShape)."""
    if len(shape) > MAX_RANK:
        raise ModelError(f"{where}: {what} has rank {len(shape)} (shape {shape}); at most "
                         f"{MAX_RANK} dimensions are supported")
    return [1] * (MAX_RANK - len(shape)) + [int(v) for v in shape]


def lower(path: str, name: str) -> Network:
    """Reads and checks the model at `path` and returns its layer table (ModelError if it cannot
    be run)."""
    model, g, T = read_model(path)
    if g.InputsLength() != 1 or g.OutputsLength() != 1:
        raise ModelError(f"{path}: {g.InputsLength()} inputs and {g.OutputsLength()} outputs; "
                         "one input and one output are supported")
    graph_in = T[g.Inputs(0)]
    graph_out = T[g.Outputs(0)]
    net_in = graph_in
    net_out = graph_out
    producer: dict[int, int] = {}  # tensor index -> layer index (NET_INPUT for the input)
    layers: list[Layer] = []
    n_ops = g.OperatorsLength()
    for i in range(n_ops):
        op = g.Operators(i)
        oc = model.OperatorCodes(op.OpcodeIndex())
        code = max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())
        opname = OP_NAMES.get(code, f"builtin {code}")
        if code == BuiltinOperator.CUSTOM:
            opname = f"CUSTOM ({(oc.CustomCode() or b'').decode()})"
        ins = [op.Inputs(j) for j in range(op.InputsLength())]
        outs = [op.Outputs(j) for j in range(op.OutputsLength())]
        where = f"operator {i} ({opname})"
        if opname == "QUANTIZE" and ins[0] == graph_in.index and graph_in.type == "FLOAT32":
            net_in = T[outs[0]]
            continue
        if opname == "DEQUANTIZE" and outs[0] == graph_out.index and graph_out.type == "FLOAT32":
            net_out = T[ins[0]]
            continue
        if opname not in NET_OP and opname not in NET_OP_OF:
            raise ModelError(f"{where}: operator {opname} is not supported; supported: "
                             + ", ".join(SUPPORTED))
        x = T[ins[0]]
        y = T[outs[0]]
        data_inputs = [T[k] for k in (ins if opname == "CONCATENATION" else
                                      ins[:2] if opname == "ADD" else ins[:1])]
        if opname == "CONCATENATION" and not 2 <= len(ins) <= MAX_CONCAT_INPUTS:
            raise ModelError(f"{where}: CONCATENATION of {len(ins)} tensors; 2 to "
                             f"{MAX_CONCAT_INPUTS} inputs are supported (TensorFlow Lite Micro's "
                             "limit)")
        for t in data_inputs + [y]:
            if t.type != "INT8":
                raise ModelError(f"{where}: tensor {t.index} '{t.name}' is {t.type}; activations "
                                 "must be int8 (a float model needs full-integer quantization)")
            if len(t.scales) != 1:
                raise ModelError(f"{where}: tensor {t.index} '{t.name}' has {len(t.scales)} "
                                 "scales; activations must be quantized per tensor")
        consts = {t.index for t in data_inputs
                  if t.index not in producer and t.index != net_in.index and t.data is not None}
        for t in data_inputs:
            if t.index not in producer and t.index != net_in.index and \
                    (t.data is None or opname != "ADD" or len(consts) == len(data_inputs)):
                what = "a constant" if t.data is not None else "neither the model's input nor " \
                    "produced by an earlier operator"
                raise ModelError(f"{where}: input tensor {t.index} '{t.name}' is {what}; inputs "
                                 "produced by operators (or the model's input) are supported, and "
                                 "one constant operand of ADD")
        layer = Layer(name=f"{SHORT.get(opname, 'op')}{len(layers)}", op=opname,
                      net_op=NET_OP_OF.get(opname, opname),
                      tfl_index=i, in_shape=hwc(x.shape, where), out_shape=hwc(y.shape, where))
        layer.in_tensor, layer.out_tensor = x.index, y.index
        layer.input_zp, layer.output_zp = x.zp, y.zp
        layer.inputs = [producer.get(t.index, NET_INPUT) for t in data_inputs[:1]
                        if t.index not in consts]
        opts = op.BuiltinOptions()

        if opname in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            w = T[ins[1]]
            b = T[ins[2]] if len(ins) > 2 and ins[2] >= 0 else None
            if w.type != "INT8" or w.data is None:
                raise ModelError(f"{where}: weights (tensor {w.index}) are {w.type}"
                                 f"{'' if w.data is not None else ', not constant'}; int8 "
                                 "constant weights are supported")
            if any(z != 0 for z in w.zero_points):
                raise ModelError(f"{where}: weight zero points {sorted(set(w.zero_points))}; "
                                 "int8 weights must be symmetric (zero point 0)")
            if b is not None and (b.type != "INT32" or b.data is None):
                raise ModelError(f"{where}: bias (tensor {b.index}) is {b.type}; int32 constant "
                                 "biases are supported")
            if opname == "CONV_2D":
                o = tflite.Conv2DOptions()
                o.Init(opts.Bytes, opts.Pos)
                stride = (o.StrideH(), o.StrideW())
                dil = (o.DilationHFactor(), o.DilationWFactor())
                fused = o.FusedActivationFunction()
                pad = padding_of(o.Padding())
                oc_, kh, kw, ic = w.shape
                if ic != layer.in_shape[2]:
                    raise ModelError(f"{where}: grouped convolution (filter depth {ic}, input "
                                     f"depth {layer.in_shape[2]}) is not supported")
                wdata = w.data.reshape(oc_, kh, kw, ic)
            elif opname == "DEPTHWISE_CONV_2D":
                o = tflite.DepthwiseConv2DOptions()
                o.Init(opts.Bytes, opts.Pos)
                stride = (o.StrideH(), o.StrideW())
                dil = (o.DilationHFactor(), o.DilationWFactor())
                fused = o.FusedActivationFunction()
                pad = padding_of(o.Padding())
                _, kh, kw, oc_ = w.shape
                ic = layer.in_shape[2]
                if oc_ % ic or oc_ != layer.out_shape[2]:
                    raise ModelError(f"{where}: {oc_} filter channels for {ic} input and "
                                     f"{layer.out_shape[2]} output channels; the output must have "
                                     "input channels x depth multiplier")
                depth_multiplier = oc_ // ic
                wdata = w.data.reshape(kh, kw, oc_)
            else:
                o = tflite.FullyConnectedOptions()
                o.Init(opts.Bytes, opts.Pos)
                stride, dil, pad = (1, 1), (1, 1), 0
                fused = o.FusedActivationFunction()
                if o.WeightsFormat() != 0:
                    raise ModelError(f"{where}: shuffled weights format is not supported")
                oc_, in_len = w.shape
                if x.elems != in_len:
                    raise ModelError(f"{where}: input has {x.elems} values, weights expect "
                                     f"{in_len} (batch > 1 is not supported)")
                kh = kw = 1
                wdata = w.data.reshape(oc_, in_len)
                layer.in_shape = (1, 1, in_len)
                layer.out_shape = (1, 1, oc_)
            if min(dil) < 1 or min(stride) < 1:
                raise ModelError(f"{where}: stride {stride[0]}x{stride[1]}, dilation "
                                 f"{dil[0]}x{dil[1]}; both must be at least 1")
            if opname != "FULLY_CONNECTED":
                exp_h = out_size(pad, layer.in_shape[0], kh, stride[0], dil[0])
                exp_w = out_size(pad, layer.in_shape[1], kw, stride[1], dil[1])
                if (exp_h, exp_w) != layer.out_shape[:2]:
                    raise ModelError(f"{where}: output {layer.out_shape[:2]} does not match the "
                                     f"geometry ({exp_h}, {exp_w})")
                dm = depth_multiplier if opname == "DEPTHWISE_CONV_2D" else 1
                if dil != (1, 1) or dm != 1:
                    # Dilated or depth-multiplier layers: the generic loops of model_ext.h.
                    layer.ext = {"kind": opname, "dilation": dil, "depth_multiplier": dm,
                                 "pad": (pad_before(pad, layer.in_shape[0], exp_h, kh, stride[0],
                                                    dil[0]),
                                         pad_before(pad, layer.in_shape[1], exp_w, kw, stride[1],
                                                    dil[1]))}
            layer.kernel, layer.stride, layer.padding = (kh, kw), stride, pad
            layer.act, layer.act_min, layer.act_max = act_range(fused, y, where)
            layer.weights = wdata.astype(np.int8)
            layer.bias = (b.data.reshape(-1).astype(np.int32) if b is not None
                          else np.zeros(oc_, dtype=np.int32))
            ws = w.scales
            if len(ws) not in (1, oc_):
                raise ModelError(f"{where}: weights have {len(ws)} scales for {oc_} channels")
            if opname == "FULLY_CONNECTED":
                if len(ws) == 1:
                    # GetQuantizedConvolutionMultipler: double(in) * double(w) / double(out).
                    m, s = quantize_multiplier(x.scale * ws[0] / y.scale)
                    layer.multiplier, layer.shift = [m], [s]
                else:
                    # Per-channel FULLY_CONNECTED runs as a 1x1 CONV_2D on a 1x1xIn tensor
                    # (same weight layout [out][in], same arithmetic, per-channel multipliers).
                    layer.net_op = "CONV_2D"
                    layer.weights = wdata.reshape(oc_, 1, 1, in_len).astype(np.int8)
                    for c in range(oc_):
                        m, s = quantize_multiplier(x.scale * ws[c] / y.scale)
                        layer.multiplier.append(m)
                        layer.shift.append(s)
            else:
                for c in range(oc_):
                    m, s = quantize_multiplier(x.scale * ws[c if len(ws) > 1 else 0] / y.scale)
                    layer.multiplier.append(m)
                    layer.shift.append(s)
        elif opname in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
            o = tflite.Pool2DOptions()
            o.Init(opts.Bytes, opts.Pos)
            kind = "average" if opname == "AVERAGE_POOL_2D" else "max"
            if x.scale != y.scale or x.zp != y.zp:
                raise ModelError(f"{where}: input and output quantization differ; int8 {kind} "
                                 "pooling requires the same scale and zero point")
            layer.kernel = (o.FilterHeight(), o.FilterWidth())
            layer.stride = (o.StrideH(), o.StrideW())
            layer.padding = padding_of(o.Padding())
            layer.act, layer.act_min, layer.act_max = act_range(o.FusedActivationFunction(), y,
                                                                where)
        elif opname in ("PAD", "PADV2"):
            pads = T[ins[1]]
            if pads.data is None or len(x.shape) != 4 or list(pads.shape) != [4, 2]:
                raise ModelError(f"{where}: padding of a 4-D tensor with constant paddings "
                                 "[4, 2] is supported")
            pd = pads.data.astype(np.int64).reshape(4, 2)
            if pd[0].any() or (pd < 0).any():
                raise ModelError(f"{where}: paddings {pd.tolist()}: batch padding or negative "
                                 "padding is not supported")
            if x.scale != y.scale or x.zp != y.zp:
                raise ModelError(f"{where}: PAD changes the quantization")
            value = y.zp
            if opname == "PADV2" and len(ins) > 2 and ins[2] >= 0:
                cv = T[ins[2]]
                if cv.data is None or cv.type != "INT8":
                    raise ModelError(f"{where}: the constant value must be a constant int8")
                value = int(cv.data.reshape(-1)[0])
            layer.kernel = (int(pd[1][0]), int(pd[2][0]))
            layer.stride = (int(pd[3][0]), 1)
            layer.input2_zp = value
        elif opname == "MEAN":
            axes = T[ins[1]]
            if axes.data is None or not 1 <= len(x.shape) <= MAX_RANK:
                raise ModelError(f"{where}: MEAN of a tensor of rank 1 to {MAX_RANK} over constant "
                                 f"axes is supported (input shape {x.shape}, axes "
                                 f"{'constant' if axes.data is not None else 'not constant'})")
            rank = len(x.shape)
            raw = [int(a) for a in axes.data.reshape(-1)]
            if any(not -rank <= a < rank for a in raw):
                raise ModelError(f"{where}: MEAN axes {raw} out of range for a rank-{rank} input; "
                                 "axes -rank..rank-1 are supported")
            ax = sorted({a % rank for a in raw})
            # reduce_common.cc PrepareMeanOrSumHelper, reduce.h QuantizedMeanOrSum.
            m, s = quantize_multiplier(x.scale / y.scale)
            n = int(np.prod([x.shape[a] for a in ax]))
            sh = min(n.bit_length() - 1, 32, 31 + s)
            layer.multiplier = [int((m << sh) // n)]
            layer.shift = [s - sh]
            if rank == 4 and ax == [1, 2]:
                layer.out_shape = (1, 1, layer.in_shape[2])  # the layer table's MEAN
            else:
                d = dims4(x.shape, where, "the MEAN input")
                off = MAX_RANK - rank
                layer.ext = {"kind": "MEAN", "dims": d,
                             "axis_mask": sum(1 << (a + off) for a in ax)}
        elif opname == "CONCATENATION":
            o = tflite.ConcatenationOptions()
            o.Init(opts.Bytes, opts.Pos)
            if o.FusedActivationFunction() != 0:
                raise ModelError(f"{where}: fused activation on CONCATENATION is not supported")
            for t in data_inputs:
                if t.scale != y.scale or t.zp != y.zp:
                    raise ModelError(f"{where}: inputs and output must share scale and zero "
                                     "point (TFLite Micro requires it for int8)")
            rank = len(y.shape)
            axis = o.Axis() + rank if o.Axis() < 0 else o.Axis()
            if not 0 <= axis < rank or any(len(t.shape) != rank for t in data_inputs):
                raise ModelError(f"{where}: axis {o.Axis()} of inputs "
                                 f"{[t.shape for t in data_inputs]}; inputs of the output's "
                                 f"rank {rank} and an axis in -{rank}..{rank - 1} are supported")
            for t in data_inputs:
                if t.shape[:axis] != y.shape[:axis] or t.shape[axis + 1:] != y.shape[axis + 1:]:
                    raise ModelError(f"{where}: input shape {t.shape} does not match the output "
                                     f"{y.shape} outside axis {axis}")
            if axis == 0 and y.shape[0] != 1:
                raise ModelError(f"{where}: concatenation along the batch axis is not supported")
            layer.inputs = [producer.get(t.index, NET_INPUT) for t in data_inputs]
            layer.in2_tensor = data_inputs[1].index
            if len(data_inputs) == 2 and axis > 0 and rank <= 4:
                layer.kernel = (2 - (rank - 1 - axis), 1)  # HWC axis: 0 = H, 1 = W, 2 = C
            else:
                outer = int(np.prod(y.shape[:axis])) if axis else 1
                layer.ext = {"kind": "CONCATENATION",
                             "dims": [outer] + [int(np.prod(t.shape[axis:])) for t in data_inputs]}
        elif opname == "SOFTMAX":
            o = tflite.SoftmaxOptions()
            o.Init(opts.Bytes, opts.Pos)
            if abs(y.scale - 1.0 / 256) > 1e-9 or y.zp != -128:
                raise ModelError(f"{where}: int8 softmax output must have scale 1/256 and zero "
                                 f"point -128 (has {y.scale}, {y.zp})")
            layer.softmax = softmax_params(f32(o.Beta()), x.scale)
        elif opname == "ADD":
            x2 = T[ins[1]]
            if x2.shape != x.shape or y.shape != x.shape or consts:
                # BroadcastAdd4DSlow: NumPy rules, right-aligned, each size the output's or 1.
                d1 = dims4(x.shape, where, "input 1")
                d2 = dims4(x2.shape, where, "input 2")
                do = dims4(y.shape, where, "the output")
                for a, b, c in zip(d1, d2, do):
                    if a not in (1, c) or b not in (1, c) or max(a, b) != c:
                        raise ModelError(f"{where}: shapes {x.shape} and {x2.shape} do not "
                                         f"broadcast to the output {y.shape} (each size must be "
                                         "the output's or 1)")
                layer.ext = {"kind": "ADD_BROADCAST", "dims": d1 + d2 + do,
                             "inputs": [NET_CONST if t.index in consts else
                                        producer.get(t.index, NET_INPUT) for t in (x, x2)]}
                if consts:  # one constant operand: its int8 data in flash
                    c = x if x.index in consts else x2
                    layer.ext["const"] = c.data.reshape(-1).astype(np.int8)
                    layer.in_shape = hwc((x2 if c is x else x).shape, where)
            o = tflite.AddOptions()
            o.Init(opts.Bytes, opts.Pos)
            layer.act, layer.act_min, layer.act_max = act_range(o.FusedActivationFunction(), y,
                                                                where)
            if x2.index not in consts:
                layer.inputs.append(producer.get(x2.index, NET_INPUT))
            layer.in2_tensor, layer.input2_zp = x2.index, x2.zp
            # add_common.cc (int8): left_shift 20, inputs rescaled to 2 * max(s1, s2).
            twice_max = 2.0 * max(x.scale, x2.scale)
            m1, s1 = quantize_multiplier(x.scale / twice_max)
            m2, s2 = quantize_multiplier(x2.scale / twice_max)
            mo, so = quantize_multiplier(twice_max / ((1 << 20) * y.scale))
            layer.add = (m1, s1, m2, s2, mo, so)
        elif opname == "RESHAPE":
            if x.scale != y.scale or x.zp != y.zp:
                raise ModelError(f"{where}: RESHAPE changes the quantization")
            layer.in_shape = hwc(x.shape, where)
            layer.out_shape = hwc(y.shape, where)
        if opname != "FULLY_CONNECTED" and opname != "RESHAPE" and \
                np.prod(layer.out_shape) != y.elems:
            raise ModelError(f"{where}: output shape {y.shape} is not batch-1 HWC")
        producer[y.index] = len(layers)
        layers.append(layer)
    if not layers:
        raise ModelError(f"{path}: no operator to run")
    if producer.get(net_out.index) != len(layers) - 1:
        raise ModelError(f"{path}: the model's output (tensor {net_out.index}) is not produced by "
                         "the last operator")
    if net_in.type != "INT8" or net_out.type != "INT8":
        raise ModelError(f"{path}: model input is {graph_in.type} and output {graph_out.type}; "
                         "an int8 model (or float input/output with QUANTIZE/DEQUANTIZE at the "
                         "edges) is needed: convert with full-integer quantization")
    net = Network(name, layers, net_in, graph_in, net_out, graph_out)
    plan_arena(net)
    return net


# ------------------------------------------------------------------------------------ arena

def plan_arena(net: Network) -> None:
    """Greedy offset assignment of every activation tensor (workloads/README.md "Arena"):
    lifetimes from the producing layer to the last reader, RESHAPE outputs alias their input,
    16-byte aligned offsets, two orders (execution, largest first), the smaller total wins."""
    L = net.layers
    n = len(L)
    # Buffer of each producer (NET_INPUT or a layer index): RESHAPE shares its source's buffer.
    root = {NET_INPUT: NET_INPUT}
    for i, l in enumerate(L):
        root[i] = root[l.inputs[0]] if l.net_op == "RESHAPE" else i
    size = {NET_INPUT: net.input_tensor.elems}
    start = {NET_INPUT: -1}
    end = {NET_INPUT: -1}
    for i, l in enumerate(L):
        if l.net_op != "RESHAPE":
            size[i] = int(np.prod(l.out_shape))
            start[i] = i
            end[i] = i
        for p in l.inputs:
            r = root[p]
            end[r] = max(end[r], i)
    end[root[n - 1]] = n  # the network output lives to the end
    bufs = sorted(size)

    def place(order):
        placed = {}
        for b in order:
            cands = sorted({0} | {placed[o] + size[o] for o in placed})
            for off in cands:
                off = (off + ARENA_ALIGN - 1) // ARENA_ALIGN * ARENA_ALIGN
                ok = True
                for o, oo in placed.items():
                    if start[o] <= end[b] and start[b] <= end[o] and \
                            off < oo + size[o] and oo < off + size[b]:
                        ok = False
                        break
                if ok:
                    placed[b] = off
                    break
        total = max(placed[b] + size[b] for b in placed)
        return (total + ARENA_ALIGN - 1) // ARENA_ALIGN * ARENA_ALIGN, placed

    a = place(bufs)
    b = place(sorted(bufs, key=lambda k: (-size[k], k)))
    total, placed = min(a, b, key=lambda r: r[0])
    net.activation_bytes = total
    net.input_offset = placed[NET_INPUT]
    net.out_offset = [placed[root[i]] for i in range(n)]
