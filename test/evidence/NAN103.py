"""NAN103 outliers: standard-normal features with 5 values at 500 (max|x| / median|x| about 740)."""
from _common import dense_autoencoder, keras, main, np, report, seeded, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def data(seed, outliers=True):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (1000, 8)).astype("float32")
    if outliers:
        x[rng.integers(0, 1000, 5), rng.integers(0, 8, 5)] = 500.0
    return x


def fit_and_score(x, clean, optimizer):
    model = dense_autoencoder(8, *ARCH, optimizer)
    outcome = train(model, x, x, epochs=20, batch_size=32)
    mask = np.abs(x).max(1) < 100
    pred = model.predict(x[mask], verbose=0)
    outcome["mse_on_ordinary_rows"] = float(((x[mask] - pred) ** 2).mean())
    return outcome


def run():
    x = data(0)
    clipped = np.clip(x, -5, 5)
    cases = {}
    for name, opt in [("sgd", lambda: keras.optimizers.SGD(learning_rate=0.01)), ("adam", lambda: keras.optimizers.Adam())]:
        seeded(0)
        cases[f"example_{name}"] = fit_and_score(x, None, opt())
        seeded(0)
        cases[f"fixed_clipped_{name}"] = fit_and_score(clipped, None, opt())
    return report("NAN103", cases, ratio=float(np.abs(x).max(0).max() / np.median(np.abs(x), axis=0).max()))


if __name__ == "__main__":
    main(run)
