"""NAN207 bad-init: Dense autoencoders started saturated or exploding (RandomNormal stddev 1, 'ones') against Keras's
default glorot_uniform. Every case over 8 seeds."""
from _common import keras, main, np, over_seeds, report, train

DIM = 256


def data(seed):
    rng = np.random.default_rng(seed)
    basis = rng.uniform(0, 1, (8, DIM))
    return np.clip(rng.uniform(0, 1, (512, 8)) @ basis / 4.0, 0, 1).astype("float32")


def model(init, activation, output, opt="adam"):
    from keras import layers
    inputs = keras.Input(shape=(DIM,))
    x = inputs
    for units in [128, 32, 128]:
        x = layers.Dense(units, activation=activation, kernel_initializer=init)(x)
    outputs = layers.Dense(DIM, activation=output, kernel_initializer=init)(x)
    m = keras.Model(inputs, outputs)
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01) if opt == "sgd" else keras.optimizers.Adam(), loss="mse")
    return m


def fit(seed, init, activation, output, opt="adam"):
    x = data(seed)
    out = train(model(init, activation, output, opt), x, x, epochs=5, batch_size=32)
    out["data_variance"] = float(np.var(x))
    return out


def run():
    seeds = range(8)
    normal1 = lambda: keras.initializers.RandomNormal(stddev=1.0)
    return report("NAN207", {
        "normal_std1_sigmoid": over_seeds(lambda s: fit(s, normal1(), "sigmoid", "sigmoid"), seeds),
        "glorot_sigmoid": over_seeds(lambda s: fit(s, "glorot_uniform", "sigmoid", "sigmoid"), seeds),
        "normal_std1_relu_sgd": over_seeds(lambda s: fit(s, normal1(), "relu", "linear", "sgd"), seeds),
        "ones_relu_sgd": over_seeds(lambda s: fit(s, "ones", "relu", "linear", "sgd"), seeds),
        "glorot_relu_sgd": over_seeds(lambda s: fit(s, "glorot_uniform", "relu", "linear", "sgd"), seeds),
    })


if __name__ == "__main__":
    main(run)
