"""NAN102 feature-scale-disparity: 4 features in [0, 0.01] beside 4 in [0, 5] (500x), Adam, relu, linear output."""
from _common import dense_autoencoder, keras, main, np, report, seeded, train

ARCH = ([16, 6, 16, 8], ["relu", "relu", "relu", "linear"])


def data(seed):
    rng = np.random.default_rng(seed)
    return np.hstack([rng.uniform(0, 0.01, (1024, 4)), rng.uniform(0, 5, (1024, 4))]).astype("float32")


def explained(model, x):
    """Per-feature R^2 of the reconstruction: 1 means perfect, 0 means no better than the feature's mean."""
    pred = model.predict(x, verbose=0)
    return 1 - ((x - pred) ** 2).mean(0) / x.var(0)


def fit_and_score(x):
    model = dense_autoencoder(8, *ARCH, keras.optimizers.Adam())
    outcome = train(model, x, x, epochs=60, batch_size=32)
    r2 = explained(model, x)
    outcome["r2_small_features"] = [round(float(v), 3) for v in r2[:4]]
    outcome["r2_large_features"] = [round(float(v), 3) for v in r2[4:]]
    return outcome


def run():
    x = data(0)
    seeded(0)
    example = fit_and_score(x)
    seeded(0)
    fixed = fit_and_score(((x - x.mean(0)) / x.std(0)).astype("float32"))
    return report("NAN102", {"example": example, "fixed_standardised": fixed})


if __name__ == "__main__":
    main(run)
