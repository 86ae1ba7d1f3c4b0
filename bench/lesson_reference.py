"""The classic numpy two-layer network lesson, as the lesson writes it, on MNIST IDX files.

(Kept in rxnn unchanged but for this paragraph: the baseline of the speed targets in
`npm run bench`, which runs it as the lesson does, 10,000 steps in float64.)

Faithful to the lesson: 784-50-10, sigmoid hidden layer, softmax + cross-entropy,
init std 0.01, plain SGD lr 0.1, batch 100 drawn with replacement, 10000 iterations,
train/test accuracy on the full sets once per epoch (600 iterations).
Usage: python3 lesson_numpy.py IDX_DIR [ITERS] [--dtype float32|float64]
Prints one JSON line at the end: seconds, final train/test accuracy.
"""
import json, sys, time
import numpy as np

def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

def sigmoid(x): return 1 / (1 + np.exp(-x))
def sigmoid_grad(x): return (1.0 - sigmoid(x)) * sigmoid(x)
def softmax(x):
    x = x.T; x = x - np.max(x, axis=0)
    return (np.exp(x) / np.sum(np.exp(x), axis=0)).T
def one_hot(y, n):
    t = np.zeros((y.size, n)); t[np.arange(y.size), y] = 1; return t
def cross_entropy_error(y, t):
    if t.size == y.size: t = t.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t])) / y.shape[0]
def affine_forward(X, W, b): return np.dot(X, W) + b, (X, W, b)
def affine_backward(dy, cache):
    X, W, b = cache
    return np.dot(dy, W.T), np.dot(X.T, dy), np.sum(dy, axis=0)

def train_step(X, Y, W1, b1, W2, b2, lr):
    a1, c1 = affine_forward(X, W1, b1); z1 = sigmoid(a1)
    a2, c2 = affine_forward(z1, W2, b2); y_hat = softmax(a2)
    t = one_hot(Y, 10); loss = cross_entropy_error(y_hat, t)
    dy = (y_hat - t) / X.shape[0]
    dz1, dW2, db2 = affine_backward(dy, c2)
    da1 = sigmoid_grad(a1) * dz1
    dX, dW1, db1 = affine_backward(da1, c1)
    return W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2, loss

def predict(W1, b1, W2, b2, X):
    return softmax(np.dot(sigmoid(np.dot(X, W1) + b1), W2) + b2)
def accuracy(W1, b1, W2, b2, x, y):
    return float(np.sum(np.argmax(predict(W1, b1, W2, b2, x), axis=1) == y) / x.shape[0])

def main():
    d = sys.argv[1]; iters = int(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith('--') else 10000
    dtype = np.float32 if '--dtype' in sys.argv and sys.argv[sys.argv.index('--dtype') + 1] == 'float32' else np.float64
    xtr = (read_idx(f'{d}/train-images-idx3-ubyte').reshape(-1, 784) / 255.0).astype(dtype)
    ytr = read_idx(f'{d}/train-labels-idx1-ubyte').astype(np.int64)
    xte = (read_idx(f'{d}/t10k-images-idx3-ubyte').reshape(-1, 784) / 255.0).astype(dtype)
    yte = read_idx(f'{d}/t10k-labels-idx1-ubyte').astype(np.int64)
    rng = np.random.default_rng(0); np.random.seed(0)
    W1 = (0.01 * np.random.randn(784, 50)).astype(dtype); b1 = np.zeros(50, dtype)
    W2 = (0.01 * np.random.randn(50, 10)).astype(dtype); b2 = np.zeros(10, dtype)
    n = xtr.shape[0]; per_epoch = max(n / 100, 1)
    t0 = time.perf_counter(); train_acc = test_acc = None; step_s = 0.0
    for i in range(iters):
        mask = np.random.choice(n, 100)
        s = time.perf_counter()
        W1, b1, W2, b2, loss = train_step(xtr[mask], ytr[mask], W1, b1, W2, b2, 0.1)
        step_s += time.perf_counter() - s
        if i % per_epoch == 0:
            train_acc = accuracy(W1, b1, W2, b2, xtr, ytr); test_acc = accuracy(W1, b1, W2, b2, xte, yte)
            print(f'iter {i} loss {loss:.4f} train {train_acc:.4f} test {test_acc:.4f}', file=sys.stderr)
    total = time.perf_counter() - t0
    train_acc = accuracy(W1, b1, W2, b2, xtr, ytr); test_acc = accuracy(W1, b1, W2, b2, xte, yte)
    print(json.dumps({'iters': iters, 'dtype': np.dtype(dtype).name, 'seconds': round(total, 3), 'step_seconds': round(step_s, 3),
                      'train_acc': train_acc, 'test_acc': test_acc}))

if __name__ == '__main__':
    main()
