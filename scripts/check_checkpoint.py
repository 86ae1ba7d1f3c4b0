"""Loads an rxnn checkpoint with nothing but numpy, following the safetensors
spec (8-byte little-endian header length, JSON header, little-endian data),
rebuilds the network from its metadata and prints its accuracy on an IDX
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


def main():
    checkpoint, images_path, labels_path = sys.argv[1:4]
    tensors, metadata = read_safetensors(checkpoint)
    model = json.loads(metadata['model'])
    norm = json.loads(metadata['normalize'])
    images = read_idx(images_path)
    labels = read_idx(labels_path).astype(np.int64)
    x = images.reshape(images.shape[0], -1).astype(np.float32) * np.float32(norm['scale']) + np.float32(norm['offset'])
    for i, layer in enumerate(model['layers']):
        x = x @ tensors[f'dense.{i}.weight'] + tensors[f'dense.{i}.bias']
        if 'batchNorm' in layer:  # evaluation mode: the running statistics
            bn = f'dense.{i}.bn'
            eps = np.float32(layer['batchNorm']['eps'])
            x = (x - tensors[f'{bn}.running_mean']) / np.sqrt(tensors[f'{bn}.running_var'] + eps)
            x = x * tensors[f'{bn}.gamma'] + tensors[f'{bn}.beta']
        activation = layer['activation']
        if activation == 'sigmoid':
            x = 1 / (1 + np.exp(-x))
        elif activation == 'tanh':
            x = np.tanh(x)
        elif activation == 'relu':
            x = np.maximum(x, 0)
        elif activation == 'leaky-relu':
            x = np.where(x > 0, x, np.float32(layer['slope']) * x)
        # dropout is off at evaluation; softmax does not change the argmax
    accuracy = float(np.mean(np.argmax(x, axis=1) == labels))
    print(json.dumps({'epoch': int(metadata['epoch']), 'iteration': int(metadata['iteration']), 'test_acc': accuracy}))


if __name__ == '__main__':
    main()
