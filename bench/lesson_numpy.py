"""rxnn's numpy port of the lesson's experiment, the speed baseline of `npm run bench`.

784-50-10, sigmoid, softmax + cross-entropy, weights N(0, 0.01^2), biases 0, SGD lr 0.1,
batches of 100 drawn with replacement, STEPS steps (default 17 epochs of 600), train and
test accuracy on the full sets after every 600 steps, as the lesson does.
Usage: python3 bench/lesson_numpy.py IDX_DIR [STEPS]
Prints one JSON line: seconds (whole process, data loading included), test_acc, train_acc, peak_rss_mb.
"""
import json, resource, sys, time

START = time.perf_counter()
import numpy as np


def idx(path):
    raw = open(path, 'rb').read()
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(raw[3])]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def forward(x, w1, b1, w2, b2):
    h = 1.0 / (1.0 + np.exp(-(x @ w1 + b1)))
    z = h @ w2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return h, e / e.sum(axis=1, keepdims=True)


def accuracy(x, y, params):
    return float((forward(x, *params)[1].argmax(axis=1) == y).mean())


def main():
    folder, steps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 17 * 600
    xtr = idx(f'{folder}/train-images-idx3-ubyte').reshape(-1, 784) / 255.0
    ytr = idx(f'{folder}/train-labels-idx1-ubyte').astype(np.int64)
    xte = idx(f'{folder}/t10k-images-idx3-ubyte').reshape(-1, 784) / 255.0
    yte = idx(f'{folder}/t10k-labels-idx1-ubyte').astype(np.int64)
    rng = np.random.default_rng(0)
    w1, b1 = 0.01 * rng.standard_normal((784, 50)), np.zeros(50)
    w2, b2 = 0.01 * rng.standard_normal((50, 10)), np.zeros(10)
    for step in range(1, steps + 1):
        pick = rng.integers(0, len(xtr), 100)
        x, y = xtr[pick], ytr[pick]
        h, p = forward(x, w1, b1, w2, b2)
        dz = p.copy()
        dz[np.arange(100), y] -= 1
        dz /= 100
        dh = (dz @ w2.T) * h * (1 - h)
        w2 -= 0.1 * (h.T @ dz); b2 -= 0.1 * dz.sum(axis=0)
        w1 -= 0.1 * (x.T @ dh); b1 -= 0.1 * dh.sum(axis=0)
        if step % 600 == 0 or step == steps:
            params = (w1, b1, w2, b2)
            train_acc, test_acc = accuracy(xtr, ytr, params), accuracy(xte, yte, params)
    print(json.dumps({'seconds': time.perf_counter() - START, 'test_acc': test_acc, 'train_acc': train_acc,
                      'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


main()
