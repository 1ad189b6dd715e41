"""NAN104 nan-in-data: a CSV with empty cells read by pandas and fed to a Dense autoencoder, with and without dropna/fillna; pct_change without dropna. Every case over 8 seeds."""
import io

from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([8, 2, 8, 4], ["relu", "relu", "relu", "linear"])


def csv_with_gaps(seed):
    import pandas as pd
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(0, 1, (2000, 4)), columns=["pressure", "temp", "flow", "level"])
    frame.loc[rng.choice(2000, 14, replace=False), "pressure"] = np.nan
    text = frame.to_csv(index=False)
    return pd.read_csv(io.StringIO(text))


def fit(seed, prepare):
    frame = prepare(csv_with_gaps(seed))
    x = frame.values.astype("float32")
    return train(dense_autoencoder(4, *ARCH, keras.optimizers.Adam()), x, x, epochs=3, batch_size=32)


def pct(seed, drop):
    rng = np.random.default_rng(seed)
    import pandas as pd
    prices = pd.DataFrame(100 + np.cumsum(rng.normal(0, 1, (1000, 4)), axis=0), columns=list("abcd"))
    returns = prices.pct_change()
    if drop:
        returns = returns.dropna()
    x = returns.values.astype("float32")
    return train(dense_autoencoder(4, *ARCH, keras.optimizers.Adam()), x, x, epochs=3, batch_size=32)


def run():
    seeds = range(8)
    return report("NAN104", {
        "example_empty_cells": over_seeds(lambda s: fit(s, lambda f: f), seeds),
        "fixed_dropna": over_seeds(lambda s: fit(s, lambda f: f.dropna()), seeds),
        "fixed_fillna_0": over_seeds(lambda s: fit(s, lambda f: f.fillna(0)), seeds),
        "pct_change_no_dropna": over_seeds(lambda s: pct(s, False), seeds),
        "pct_change_dropna": over_seeds(lambda s: pct(s, True), seeds),
    })


if __name__ == "__main__":
    main(run)
