"""rxnn's numpy float32 baseline for a wide MLP, for `npm run bench`: 784-1024-1024-10 ReLU,
He init, softmax + cross-entropy, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 128,
one epoch in a fresh permutation, test accuracy at the end.
Usage: python3 bench/wide_numpy.py IDX_DIR [EPOCHS]
Prints one JSON line: seconds (whole process), test_acc, peak_rss_mb.
"""
import json, resource, sys, time

START = time.perf_counter()
import numpy as np

f32 = np.float32


def idx(path):
    raw = open(path, 'rb').read()
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(raw[3])]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def main():
    folder, epochs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
    xtr = (idx(f'{folder}/train-images-idx3-ubyte').reshape(60000, 784) / f32(255)).astype(f32)
    ytr = idx(f'{folder}/train-labels-idx1-ubyte').astype(np.int64)
    xte = (idx(f'{folder}/t10k-images-idx3-ubyte').reshape(10000, 784) / f32(255)).astype(f32)
    yte = idx(f'{folder}/t10k-labels-idx1-ubyte').astype(np.int64)
    rng = np.random.default_rng(0)
    sizes = [784, 1024, 1024, 10]
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params += [(rng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(f32), np.zeros(b, f32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(xtr))
        for start in range(0, len(xtr), 128):
            pick = order[start:start + 128]
            x, y = xtr[pick], ytr[pick]
            acts = [x]
            for i in range(0, 6, 2):
                z = acts[-1] @ params[i] + params[i + 1]
                acts.append(np.maximum(z, 0) if i < 4 else z)
            z = acts[-1]
            e = np.exp(z - z.max(axis=1, keepdims=True))
            d = e / e.sum(axis=1, keepdims=True)
            d[np.arange(len(y)), y] -= 1
            d /= len(y)
            grads = [None] * 6
            for i in (4, 2, 0):
                grads[i] = acts[i // 2].T @ d
                grads[i + 1] = d.sum(axis=0)
                if i > 0:
                    d = (d @ params[i].T) * (acts[i // 2] > 0)
            t += 1
            for p, g, mi, vi in zip(params, grads, m, v):
                mi *= f32(0.9); mi += f32(0.1) * g
                vi *= f32(0.999); vi += f32(0.001) * g * g
                p -= f32(1e-3 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)) * mi / (np.sqrt(vi) + f32(1e-8))
    h = xte
    for i in range(0, 6, 2):
        h = h @ params[i] + params[i + 1]
        if i < 4:
            h = np.maximum(h, 0)
    test_acc = float((h.argmax(axis=1) == yte).mean())
    print(json.dumps({'seconds': time.perf_counter() - START, 'test_acc': test_acc,
                      'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == '__main__':
    main()
