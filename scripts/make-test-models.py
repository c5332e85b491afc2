#!/usr/bin/env python3
"""Builds the test models of tests/data/models/ (issue 17): the four MLPerf Tiny architectures
(/work/shared/reference/mlperf-tiny.md 1.2-1.5) in Keras with fixed seeds and untrained (random)
weights, converted to full-integer int8 .tflite files with the TensorFlow Lite converter and
generated representative data.

  python3 scripts/make-test-models.py [OUT_DIR]      (default tests/data/models)

Needs TensorFlow, only when it runs: with no `tensorflow` importable it creates a throwaway
virtual environment in $TMPDIR (PyPI `tensorflow-cpu`) and re-runs itself there. The outputs are
committed, so neither the build nor CI needs TensorFlow.

  kws.tflite  DS-CNN (1.2): CONV 10x4 s2 SAME, 4 x (DW 3x3 + PW 1x1), AVG_POOL 25x5, FC 64->12,
              SOFTMAX; int8 input and output.
  vww.tflite  MobileNetV1 0.25, 96x96x3 (1.3), 13 DW/PW blocks, AVG_POOL 3x3, FC 256->2, SOFTMAX.
  ic.tflite   ResNet-8 16/32/64 (1.4): 9 CONV, 3 ADD (two with 1x1 s2 shortcuts), AVG_POOL 8x8,
              FC 64->10, SOFTMAX.
  ad.tflite   FC auto-encoder 640-128x4-8-128x4-640 (1.5), float32 input and output: QUANTIZE at
              the input and DEQUANTIZE at the output, as in the reference ad01 firmware.
  float.tflite  a small float32 model (no quantization): the importer must refuse it.
  ops.tflite  PAD, CONCATENATION, MAX_POOL_2D, MEAN, fused RELU6, strided DEPTHWISE_CONV_2D;
              float32 input and output (QUANTIZE / DEQUANTIZE).
  unsupported.tflite  int8 FC, LOGISTIC, FC: the importer must name LOGISTIC and its index.
  ext.tflite  dilated CONV_2D (SAME, and VALID with dilation 2x3), DEPTHWISE_CONV_2D with depth
              multiplier 2 (plain and dilated), a 3-way CONCATENATION, ADD with broadcasting
              (12x12x24 + 1x1x24, and 12x1x24 + 1x12x24), ADD of a constant (8x6x8 + 8), MEAN
              over height and width, over one spatial axis and over the channels; int8 input and
              output.

  mean5d.tflite  MEAN over one axis of a 5-D tensor: the importer must refuse it (rank above 4)
              naming the operator and its index.

  python3 scripts/make-test-models.py [OUT_DIR] --only NAME[,NAME...]
      writes only those models (the others' committed bytes depend on the TensorFlow version).

BatchNorm is left out (the converter folds it into the convolutions anyway; a BatchNorm after
Dense would become extra MUL/ADD operators), and so is Dropout (removed at inference).
"""
import os
import subprocess
import sys
import tempfile

SEED = 20260517


def ensure_tensorflow():
    try:
        import tensorflow  # noqa: F401
        return
    except ImportError:
        pass
    venv = os.path.join(tempfile.gettempdir(), "mcusim-make-test-models-venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "tensorflow-cpu"])
    os.execv(py, [py] + sys.argv)


def main():
    ensure_tensorflow()
    import numpy as np
    import tensorflow as tf
    keras = tf.keras
    L = keras.layers

    args = sys.argv[1:]
    only = None
    if "--only" in args:
        k = args.index("--only")
        only = set(args[k + 1].split(","))
        del args[k:k + 2]
    out_dir = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "models")
    os.makedirs(out_dir, exist_ok=True)

    def kws():
        x = i = keras.Input((49, 10, 1), batch_size=1)
        x = L.Conv2D(64, (10, 4), strides=2, padding="same", activation="relu")(x)
        for _ in range(4):
            x = L.DepthwiseConv2D(3, padding="same", activation="relu")(x)
            x = L.Conv2D(64, 1, padding="same", activation="relu")(x)
        x = L.AveragePooling2D((25, 5))(x)
        x = L.Flatten()(x)
        x = L.Dense(12)(x)
        return keras.Model(i, L.Softmax()(x))

    def vww():
        x = i = keras.Input((96, 96, 3), batch_size=1)
        x = L.Conv2D(8, 3, strides=2, padding="same", activation="relu")(x)
        for filters, stride in [(16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2), (128, 1),
                                (128, 1), (128, 1), (128, 1), (128, 1), (256, 2), (256, 1)]:
            x = L.DepthwiseConv2D(3, strides=stride, padding="same", activation="relu")(x)
            x = L.Conv2D(filters, 1, padding="same", activation="relu")(x)
        x = L.AveragePooling2D(3)(x)
        x = L.Flatten()(x)
        x = L.Dense(2)(x)
        return keras.Model(i, L.Softmax()(x))

    def ic():
        x = i = keras.Input((32, 32, 3), batch_size=1)
        x = L.Conv2D(16, 3, padding="same", activation="relu")(x)
        y = L.Conv2D(16, 3, padding="same", activation="relu")(x)
        y = L.Conv2D(16, 3, padding="same")(y)
        x = L.ReLU()(L.Add()([x, y]))
        for filters in (32, 64):
            y = L.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
            y = L.Conv2D(filters, 3, padding="same")(y)
            s = L.Conv2D(filters, 1, strides=2, padding="same")(x)
            x = L.ReLU()(L.Add()([s, y]))
        x = L.AveragePooling2D(8)(x)
        x = L.Flatten()(x)
        x = L.Dense(10)(x)
        return keras.Model(i, L.Softmax()(x))

    def ad():
        x = i = keras.Input((640,), batch_size=1)
        for units in (128, 128, 128, 128, 8, 128, 128, 128, 128):
            x = L.Dense(units, activation="relu")(x)
        return keras.Model(i, L.Dense(640)(x))

    def ops():
        """The other operators: PAD, CONCATENATION, MAX_POOL_2D, MEAN, fused RELU6, a strided
        depthwise convolution, float input/output (QUANTIZE / DEQUANTIZE)."""
        x = i = keras.Input((24, 24, 4), batch_size=1)
        a = L.Conv2D(8, 3, padding="same", activation="relu6")(x)
        b = L.ZeroPadding2D(((1, 2), (2, 1)))(x)
        b = L.Conv2D(8, 4, padding="valid", activation="relu")(b)
        x = L.Concatenate()([a, b])
        x = L.MaxPooling2D(2)(x)
        x = L.DepthwiseConv2D(3, strides=2, padding="same", activation="relu")(x)
        x = L.GlobalAveragePooling2D()(x)
        return keras.Model(i, L.Dense(10)(x))

    class DilatedConv(L.Layer):
        """CONV_2D (depthwise=False) or DEPTHWISE_CONV_2D with dilation through TensorFlow's own
        Conv2D / DepthwiseConv2dNative ops: Keras' layers lower a SAME dilated convolution to
        SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND, which the converter keeps as such."""

        def __init__(self, filters, kernel, dilation, padding, depthwise=False, relu=False):
            super().__init__()
            self.f, self.k, self.d, self.pad = filters, kernel, dilation, padding
            self.depthwise, self.relu = depthwise, relu

        def build(self, shape):
            cin = int(shape[-1])
            wshape = (self.k, self.k, cin, self.f) if not self.depthwise else \
                (self.k, self.k, cin, self.f)  # depthwise: f = depth multiplier
            fan_in = self.k * self.k * (1 if self.depthwise else cin)
            self.w = self.add_weight(shape=wshape, initializer=keras.initializers.RandomNormal(
                stddev=(2.0 / fan_in) ** 0.5, seed=SEED))
            self.b = self.add_weight(shape=(cin * self.f if self.depthwise else self.f,),
                                     initializer="zeros")

        def call(self, x):
            d = [1, self.d[0], self.d[1], 1]
            if self.depthwise:
                y = tf.raw_ops.DepthwiseConv2dNative(input=x, filter=self.w, strides=[1, 1, 1, 1],
                                                     padding=self.pad, dilations=d)
            else:
                y = tf.raw_ops.Conv2D(input=x, filter=self.w, strides=[1, 1, 1, 1],
                                      padding=self.pad, dilations=d)
            y = tf.nn.bias_add(y, self.b)
            return tf.nn.relu(y) if self.relu else y

    def ext():
        """Dilation, depth multiplier 2, a 3-way concatenation, broadcast ADDs and MEANs over
        several axis sets (issue 17's remaining operators)."""
        x = i = keras.Input((12, 12, 4), batch_size=1)
        a = DilatedConv(8, 3, (2, 2), "SAME", relu=True)(x)                   # 12x12x8
        b = L.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu")(x)
        c = DilatedConv(2, 3, (2, 1), "SAME", depthwise=True)(x)              # dm 2, 12x12x8
        cat = L.Concatenate()([a, b, c])                                      # 12x12x24
        g = keras.ops.mean(cat, axis=(1, 2), keepdims=True)                   # 1x1x24
        y = keras.ops.add(cat, g)                                             # broadcast over H, W
        p = keras.ops.mean(y, axis=2, keepdims=True)                          # 12x1x24
        q = keras.ops.mean(y, axis=1, keepdims=True)                          # 1x12x24
        s = keras.ops.add(p, q)                                               # both broadcast
        t = DilatedConv(8, 3, (2, 3), "VALID", relu=True)(s)                  # 8x6x8
        t = keras.ops.add(t, np.linspace(-1.0, 2.0, 8).astype(np.float32))  # constant operand
        u = keras.ops.mean(t, axis=3)                                         # 8x6
        return keras.Model(i, L.Dense(10)(L.Flatten()(u)))

    def convert(model, shape, name, int8_io=True, quantize=True, scale=1.0, offset=0.0):
        if only is not None and name not in only:
            return
        rng = np.random.default_rng(SEED)

        def representative():
            for _ in range(24):
                yield [(offset + scale * rng.standard_normal((1,) + shape)).astype(np.float32)]

        conv = tf.lite.TFLiteConverter.from_keras_model(model)
        if quantize:
            conv.optimizations = [tf.lite.Optimize.DEFAULT]
            conv.representative_dataset = representative
            conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            if int8_io:
                conv.inference_input_type = tf.int8
                conv.inference_output_type = tf.int8
        data = conv.convert()
        path = os.path.join(out_dir, name + ".tflite")
        with open(path, "wb") as f:
            f.write(data)
        print(f"{path}: {len(data)} bytes")

    def randomize(model, shape, scale, offset):
        """Non-zero biases (zero ones are dropped by the converter and test nothing), and the last
        Dense scaled so that its outputs have a standard deviation of about 3 on the
        representative data: a softmax that is not flat."""
        rng = np.random.default_rng(SEED + 99)
        for layer in model.layers:
            w = layer.get_weights()
            if len(w) == 2:
                layer.set_weights([w[0], (0.05 * rng.standard_normal(w[1].shape)).astype(np.float32)])
        dense = [l for l in model.layers if isinstance(l, L.Dense)][-1]
        probe = keras.Model(model.inputs, dense.output)
        x = (offset + scale * rng.standard_normal((8,) + shape)).astype(np.float32)
        sd = float(np.std(np.concatenate([probe(x[i:i + 1]).numpy() for i in range(8)])))
        w = dense.get_weights()
        k = 3.0 / max(sd, 1e-6)
        dense.set_weights([w[0] * k, w[1] * k])
        return model

    keras.utils.set_random_seed(SEED)
    convert(randomize(kws(), (49, 10, 1), 20.0, 0.0), (49, 10, 1), "kws", scale=20.0)
    keras.utils.set_random_seed(SEED + 1)
    convert(randomize(vww(), (96, 96, 3), 0.25, 0.5), (96, 96, 3), "vww", scale=0.25, offset=0.5)
    keras.utils.set_random_seed(SEED + 2)
    convert(randomize(ic(), (32, 32, 3), 50.0, 128.0), (32, 32, 3), "ic", scale=50.0, offset=128.0)
    keras.utils.set_random_seed(SEED + 3)
    convert(randomize(ad(), (640,), 10.0, 20.0), (640,), "ad", int8_io=False, scale=10.0, offset=20.0)
    keras.utils.set_random_seed(SEED + 4)
    small = keras.Sequential([keras.Input((16,), batch_size=1), L.Dense(4)])
    convert(small, (16,), "float", quantize=False)
    keras.utils.set_random_seed(SEED + 6)
    convert(randomize(ops(), (24, 24, 4), 1.0, 0.0), (24, 24, 4), "ops", int8_io=False)
    keras.utils.set_random_seed(SEED + 5)
    odd = keras.Sequential([keras.Input((16,), batch_size=1), L.Dense(8),
                            L.Activation("sigmoid"), L.Dense(4)])
    convert(odd, (16,), "unsupported")
    keras.utils.set_random_seed(SEED + 7)
    convert(randomize(ext(), (12, 12, 4), 1.0, 0.0), (12, 12, 4), "ext")
    keras.utils.set_random_seed(SEED + 8)
    x5 = i5 = keras.Input((2, 3, 4, 5), batch_size=1)
    x5 = keras.ops.mean(x5, axis=2)
    convert(keras.Model(i5, L.Dense(4)(L.Flatten()(x5))), (2, 3, 4, 5), "mean5d")


if __name__ == "__main__":
    main()
