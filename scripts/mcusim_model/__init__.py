"""mcusim's TensorFlow Lite model importer (issue 17).

`python -m mcusim_model import MODEL.tflite --out DIR ...` reads an int8 .tflite file (through
PyPI's `tflite` flatbuffer reader), checks it, plans the activation arena and writes the
firmware's network description and weights (model_params.{c,h}, the layer-table format of
workloads/net) plus model.json (layers, MACs, sizes). `python -m mcusim_model reference ...`
runs TensorFlow Lite Micro's own interpreter (PyPI `tflite-micro`) on the same input.
"""
