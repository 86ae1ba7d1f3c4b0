"""rxnn's numpy float32 baseline for a small conv net, for `npm run bench`: the im2col port of
conv:16:5, relu, maxpool:2, conv:32:5, relu, maxpool:2, flatten, dense:100, relu, dropout:0.5, dense:10
(the network of rxnn's cnn preset) on [1, 28, 28] MNIST images scaled to [0, 1]; He init, biases 0, softmax + cross-entropy,
Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 100, epochs in fresh permutations, the full
training and test sets scored after every epoch (as rxnn train does). Every convolution is one
matrix product of its im2col matrix, as in rxnn.
Usage: python3 bench/conv_numpy.py IDX_DIR [EPOCHS [TRAIN_SAMPLES]]
Prints one JSON line: seconds (whole process), gflop (multiply-adds x 2 of every product, in
training and scoring), train_acc, test_acc, peak_rss_mb.
"""
import json, resource, sys, time

START = time.perf_counter()
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from wide_numpy import idx  # the same IDX reader

f32 = np.float32


def im2col(x, k):
    """[n, c, h, w] -> [n * oh * ow, c * k * k] (rows: output positions; columns: c, kh, kw)."""
    n, c, h, w = x.shape
    windows = sliding_window_view(x, (k, k), axis=(2, 3))  # n, c, oh, ow, k, k
    oh, ow = h - k + 1, w - k + 1
    return np.ascontiguousarray(windows.transpose(0, 2, 3, 1, 4, 5)).reshape(n * oh * ow, c * k * k), oh, ow


def col2im(cols, shape, k):
    n, c, h, w = shape
    oh, ow = h - k + 1, w - k + 1
    cols = cols.reshape(n, oh, ow, c, k, k)
    dx = np.zeros(shape, f32)
    for i in range(k):
        for j in range(k):
            dx[:, :, i:i + oh, j:j + ow] += cols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return dx


class Conv:
    def __init__(self, rng, cin, cout, k):
        self.k = k
        self.w = (rng.standard_normal((cout, cin * k * k)) * np.sqrt(2.0 / (cin * k * k))).astype(f32)
        self.b = np.zeros(cout, f32)

    def forward(self, x):
        self.shape = x.shape
        self.cols, oh, ow = im2col(x, self.k)
        y = self.cols @ self.w.T + self.b  # [n*oh*ow, cout]
        n = x.shape[0]
        self.flops = 2 * self.cols.shape[0] * self.cols.shape[1] * self.w.shape[0]
        return y.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def backward(self, dy, need_dx=True):
        dy = dy.transpose(0, 2, 3, 1).reshape(-1, self.w.shape[0])
        self.dw = dy.T @ self.cols
        self.db = dy.sum(axis=0)
        return col2im(dy @ self.w, self.shape, self.k) if need_dx else None


def maxpool(x):
    n, c, h, w = x.shape
    r = x.reshape(n, c, h // 2, 2, w // 2, 2)
    y = r.max(axis=(3, 5))
    mask = r == y[:, :, :, None, :, None]
    return y, mask


def maxpool_back(dy, mask):
    d = mask * dy[:, :, :, None, :, None]
    n, c, h2, _, w2, _ = d.shape
    return d.reshape(n, c, h2 * 2, w2 * 2).astype(f32)


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    samples = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
    xtr = (idx(f'{folder}/train-images-idx3-ubyte')[:samples].reshape(-1, 1, 28, 28) / f32(255)).astype(f32)
    ytr = idx(f'{folder}/train-labels-idx1-ubyte')[:samples].astype(np.int64)
    xte = (idx(f'{folder}/t10k-images-idx3-ubyte').reshape(10000, 1, 28, 28) / f32(255)).astype(f32)
    yte = idx(f'{folder}/t10k-labels-idx1-ubyte').astype(np.int64)
    rng = np.random.default_rng(0)
    c1, c2 = Conv(rng, 1, 16, 5), Conv(rng, 16, 32, 5)
    w3 = (rng.standard_normal((512, 100)) * np.sqrt(2.0 / 512)).astype(f32)
    w4 = (rng.standard_normal((100, 10)) * np.sqrt(2.0 / 100)).astype(f32)
    b3, b4 = np.zeros(100, f32), np.zeros(10, f32)

    def forward(x, keep=None):
        a1 = np.maximum(c1.forward(x), 0)
        p1, m1 = maxpool(a1)
        a2 = np.maximum(c2.forward(p1), 0)
        p2, m2 = maxpool(a2)
        f = p2.reshape(len(x), -1)
        h = np.maximum(f @ w3 + b3, 0)
        if keep is not None:  # inverted dropout
            h = h * keep
        return h @ w4 + b4, (a1, m1, a2, m2, f, h)

    params = [c1.w, c1.b, c2.w, c2.b, w3, b3, w4, b4]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t, flops = 0, 0

    def score(xs, ys):
        nonlocal flops
        correct = 0
        for i in range(0, len(xs), 1000):
            z, _ = forward(xs[i:i + 1000])
            correct += int((z.argmax(axis=1) == ys[i:i + 1000]).sum())
            flops += c1.flops + c2.flops + 2 * len(z) * (512 * 100 + 100 * 10)
        return correct / len(xs)

    for _ in range(epochs):
        order = rng.permutation(len(xtr))
        for start in range(0, len(xtr), 100):
            pick = order[start:start + 100]
            x, y = xtr[pick], ytr[pick]
            keep = (rng.random((len(x), 100), dtype=f32) >= f32(0.5)) * f32(2)
            z, (a1, m1, a2, m2, f, h) = forward(x, keep)
            e = np.exp(z - z.max(axis=1, keepdims=True))
            d = e / e.sum(axis=1, keepdims=True)
            d[np.arange(len(y)), y] -= 1
            d /= len(y)
            gw4, gb4 = h.T @ d, d.sum(axis=0)
            dh = (d @ w4.T) * keep * (h > 0)
            gw3, gb3 = f.T @ dh, dh.sum(axis=0)
            df = (dh @ w3.T).reshape(len(x), 32, 4, 4)
            da2 = maxpool_back(df, m2) * (a2 > 0)
            dp1 = c2.backward(da2)
            da1 = maxpool_back(dp1, m1) * (a1 > 0)
            c1.backward(da1, need_dx=False)
            grads = [c1.dw, c1.db, c2.dw, c2.db, gw3, gb3, gw4, gb4]
            # forward, and per conv the weight and (conv2) input gradient products; dense likewise
            flops += c1.flops * 2 + c2.flops * 3 + 2 * len(x) * (512 * 100 + 100 * 10) * 3
            t += 1
            lr = 1e-3 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            for p, g, mi, vi in zip(params, grads, m, v):
                mi *= f32(0.9)
                mi += f32(0.1) * g
                vi *= f32(0.999)
                vi += f32(0.001) * g * g
                p -= f32(lr) * mi / (np.sqrt(vi) + f32(1e-8))
        train_acc, test_acc = score(xtr, ytr), score(xte, yte)
    print(json.dumps({
        'seconds': round(time.perf_counter() - START, 3),
        'gflop': round(flops / 1e9, 2),
        'train_acc': train_acc,
        'test_acc': test_acc,
        'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == '__main__':
    main()
