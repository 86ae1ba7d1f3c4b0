"""Loads an rxnn checkpoint with nothing but numpy, following the safetensors
spec (8-byte little-endian header length, JSON header, little-endian data),
rebuilds the network from its metadata (the model's list of layers) and prints its accuracy on an IDX
test set as one JSON line: an independent check of what rxnn reports.

Usage: python3 check_checkpoint.py CHECKPOINT TEST_IMAGES TEST_LABELS
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (header_len,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + header_len])
    base = 8 + header_len
    metadata = header.pop('__metadata__', {})
    tensors = {}
    for name, info in header.items():
        assert info['dtype'] == 'F32', f'{name}: dtype {info["dtype"]}'
        begin, end = info['data_offsets']
        tensors[name] = np.frombuffer(data[base + begin:base + end], dtype='<f4').reshape(info['shape'])
    return tensors, metadata


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    assert data[0] == 0 and data[1] == 0 and data[2] == 0x08, f'{path}: expected an unsigned-byte IDX file'
    ndim = data[3]
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


DEFAULT_LEAKY_SLOPE = 0.01


def layers_of(model):
    """The shape of one sample and the model's list of shaped layers; the MLP form of checkpoints written
    before rxnn had layer lists ({"input": 784, "layers": [{"type": "dense",
    "units": 50, "activation": "sigmoid", ...}]}) migrated to it."""
    if not isinstance(model['input'], int):
        return model['input'], model['layers']
    layers = []
    for old in model['layers']:
        layers.append({'type': 'dense', 'units': old['units']})
        if 'batchNorm' in old:
            layers.append({'type': 'batch-norm', **old['batchNorm']})
        if old['activation'] != 'softmax':
            layers.append({'type': 'activation', 'function': old['activation'], 'slope': old.get('slope', DEFAULT_LEAKY_SLOPE)})
    return [model['input']], layers


class Names:
    """Layers holding tensors are named as rxnn names them: dense.0, dense.1, conv2d.0, ...;
    batch norm after the layer it normalises (dense.0.bn)."""

    def __init__(self):
        self.counts = {}
        self.previous = None

    def next(self, stem):
        n = self.counts.get(stem, 0)
        self.counts[stem] = n + 1
        self.previous = f'{stem}.{n}'
        return self.previous

    def batch_norm(self):
        if self.previous is None or self.previous.endswith('.bn'):
            return self.next('batch_norm')
        self.previous = f'{self.previous}.bn'
        return self.previous


def dense(x, layer, tensors, names):
    name = names.next('dense')
    return x @ tensors[f'{name}.weight'] + tensors[f'{name}.bias']


def batch_norm(x, layer, tensors, names):  # evaluation mode: the running statistics
    bn = names.batch_norm()
    eps = np.float32(layer['eps'])
    # per unit of a vector, or per channel of feature maps [n, channels, height, width]
    shape = (-1,) + (1,) * (x.ndim - 2)
    mean, var, gamma, beta = (tensors[f'{bn}.{part}'].reshape(shape) for part in ('running_mean', 'running_var', 'gamma', 'beta'))
    x = (x - mean) / np.sqrt(var + eps)
    return x * gamma + beta


def windows(x, size, stride, padding=0):
    """The size x size windows of feature maps [n, c, h, w] every stride pixels, after padding with zeros:
    [n, c, out_h, out_w, size, size], keeping the windows that fit whole (as PyTorch does)."""
    if padding > 0:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    return np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]


def conv2d(x, layer, tensors, names):
    """Cross-correlation with weights [out, in, kh, kw], PyTorch's Conv2d."""
    name = names.next('conv2d')
    w = tensors[f'{name}.weight']
    patches = windows(x, layer['kernel'], layer.get('stride', 1), layer.get('padding', 0))
    return np.einsum('ncyxij,fcij->nfyx', patches, w, optimize=True) + tensors[f'{name}.bias'][None, :, None, None]


def max_pool(x, layer, tensors, names):
    return windows(x, layer['size'], layer.get('stride', layer['size'])).max(axis=(4, 5))


def avg_pool(x, layer, tensors, names):
    return windows(x, layer['size'], layer.get('stride', layer['size'])).mean(axis=(4, 5), dtype=np.float32)


def activation(x, layer, tensors, names):
    function = layer['function']
    if function == 'sigmoid':
        return 1 / (1 + np.exp(-x))
    if function == 'tanh':
        return np.tanh(x)
    if function == 'relu':
        return np.maximum(x, 0)
    if function == 'leaky-relu':
        return np.where(x > 0, x, np.float32(layer.get('slope', DEFAULT_LEAKY_SLOPE)) * x)
    raise SystemExit(f'unknown activation {function}')


def dropout(x, layer, tensors, names):  # off at evaluation
    return x


def flatten(x, layer, tensors, names):
    return x.reshape(x.shape[0], -1)


LAYERS = {
    'dense': dense, 'batch-norm': batch_norm, 'activation': activation, 'dropout': dropout, 'flatten': flatten,
    'conv2d': conv2d, 'max-pool': max_pool, 'avg-pool': avg_pool,
}


def main():
    checkpoint, images_path, labels_path = sys.argv[1:4]
    tensors, metadata = read_safetensors(checkpoint)
    model = json.loads(metadata['model'])
    norm = json.loads(metadata['normalize'])
    images = read_idx(images_path)
    labels = read_idx(labels_path).astype(np.int64)
    shape, layers = layers_of(model)
    x = images.reshape(images.shape[0], *shape).astype(np.float32) * np.float32(norm['scale']) + np.float32(norm['offset'])
    names = Names()
    for layer in layers:
        if layer['type'] not in LAYERS:
            raise SystemExit(f'unknown layer type {layer["type"]}')
        x = LAYERS[layer['type']](x, layer, tensors, names)
    # the last layer gives the class scores: softmax does not change the argmax
    accuracy = float(np.mean(np.argmax(x, axis=1) == labels))
    print(json.dumps({'epoch': int(metadata['epoch']), 'iteration': int(metadata['iteration']), 'test_acc': accuracy}))


if __name__ == '__main__':
    main()
