"""NAN103 outliers: standard-normal features with 5 values at 500 (max|x| / median|x| about 700), with
SGD 0.01 and Adam, against the same data clipped to [-5, 5]; the data drawn anew and the model started anew under each of 8
seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def data(seed, outliers=True):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (1000, 8)).astype("float32")
    if outliers:
        x[rng.integers(0, 1000, 5), rng.integers(0, 8, 5)] = 500.0
    return x


def fit_and_score(x, optimizer):
    model = dense_autoencoder(8, *ARCH, optimizer)
    outcome = train(model, x, x, epochs=20, batch_size=32)
    mask = np.abs(x).max(1) < 100
    pred = model.predict(x[mask], verbose=0)
    outcome["mse_on_ordinary_rows"] = float(((x[mask] - pred) ** 2).mean())
    return outcome


def ratio(x):
    return float(np.abs(x).max(0).max() / np.median(np.abs(x), axis=0).max())


def run():
    seeds = range(8)
    cases = {}
    for name, opt in [("sgd", lambda: keras.optimizers.SGD(learning_rate=0.01)), ("adam", lambda: keras.optimizers.Adam())]:
        for case, prepare in [(f"example_{name}", lambda x: x), (f"fixed_clipped_{name}", lambda x: np.clip(x, -5, 5))]:
            runs = over_seeds(lambda s: fit_and_score(prepare(data(s)), opt()), seeds)
            runs["mse_on_ordinary_rows_per_seed"] = [round(r["mse_on_ordinary_rows"], 4) for r in runs["runs"]]
            cases[case] = runs
    return report("NAN103", cases, ratio_per_seed=[round(ratio(data(s)), 1) for s in seeds])


if __name__ == "__main__":
    main(run)
