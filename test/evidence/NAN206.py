"""NAN206 relu-in-recurrent: an LSTM autoencoder on a 120-step series of values around 50, with relu
cells against the default tanh cells, Adam at 0.01, three seeds each; and relu cells over sequences of a
single time step (tabular rows fed as (1, features)), 8 seeds, where nothing recurs."""
from _common import keras, main, np, over_seeds, report, train
from keras import layers


def series(seed):
    rng = np.random.default_rng(seed)
    t = np.arange(120)
    s = 50 + 40 * np.sin(2 * np.pi * t[None, :] / rng.uniform(10, 40, size=(256, 1)) + rng.uniform(0, 6, size=(256, 1)))
    return s[..., None].astype("float32")


def fit(x, activation):
    model = keras.Sequential([
        layers.Input(shape=(120, 1)),
        layers.LSTM(32, activation=activation),
        layers.RepeatVector(120),
        layers.LSTM(32, activation=activation, return_sequences=True),
        layers.TimeDistributed(layers.Dense(1)),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return train(model, x, x, epochs=3, batch_size=32)


def single_step(seed, high):
    x = np.random.default_rng(seed).uniform(0, high, (512, 1, 9)).astype("float32")
    model = keras.Sequential([
        layers.Input(shape=(1, 9)),
        layers.LSTM(16, activation="relu"),
        layers.RepeatVector(1),
        layers.LSTM(16, activation="relu", return_sequences=True),
        layers.TimeDistributed(layers.Dense(9)),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return train(model, x, x, epochs=10, batch_size=32)


def run():
    cases = {}
    cases["single_step_relu_scaled_over_seeds"] = over_seeds(lambda s: single_step(s, 1.0), range(8))
    cases["single_step_relu_0_100_over_seeds"] = over_seeds(lambda s: single_step(s, 100.0), range(8))
    x = series(14)
    for activation in ["relu", "tanh"]:
        cases[f"raw_{activation}_over_seeds"] = over_seeds(lambda s, a=activation: fit(x, a), range(8))
    return report("NAN206", cases)


if __name__ == "__main__":
    main(run)
