"""NAN102 feature-scale-disparity: 4 features in [0, 0.01] beside 4 in [0, 5] (500x), Adam, relu, linear output; the
data drawn anew and the model started anew under each of 8 seeds, as is the standardised version."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

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


def standardised(x):
    return ((x - x.mean(0)) / x.std(0)).astype("float32")


def summarise(case):
    """The best R^2 among the small features and the worst among the large ones, per seed."""
    case["best_r2_small_per_seed"] = [max(r["r2_small_features"]) for r in case["runs"]]
    case["worst_r2_large_per_seed"] = [min(r["r2_large_features"]) for r in case["runs"]]
    case["worst_r2_per_seed"] = [min(r["r2_small_features"] + r["r2_large_features"]) for r in case["runs"]]
    return case


def run():
    seeds = range(8)
    return report("NAN102", {
        "example": summarise(over_seeds(lambda s: fit_and_score(data(s)), seeds)),
        "fixed_standardised": summarise(over_seeds(lambda s: fit_and_score(standardised(data(s))), seeds)),
    })


if __name__ == "__main__":
    main(run)
