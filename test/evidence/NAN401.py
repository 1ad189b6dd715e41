"""NAN401 exp-overflow-vae: a VAE whose sampling layer and KL term take exp(z_log_var) of an unbounded Dense output,
on data in [0, 1] and on raw 0-255 values, with and without a clip of the log-variance to [-10, 10]."""
from _common import keras, main, np, over_seeds, report, train

DIM = 64


def images(seed, high):
    rng = np.random.default_rng(seed)
    basis = rng.uniform(0, 1, (4, DIM))
    x = np.clip(rng.uniform(0, 1, (512, 4)) @ basis / 2.0, 0, 1)
    return (x * high).astype("float32")


def vae(clip, output_activation, lr, sgd=False):
    from keras import layers, ops

    class Sampling(layers.Layer):
        def call(self, inputs):
            z_mean, z_log_var = inputs
            if clip:
                z_log_var = ops.clip(z_log_var, -10.0, 10.0)
            kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1))
            self.add_loss(kl)
            eps = keras.random.normal(ops.shape(z_mean))
            return z_mean + ops.exp(0.5 * z_log_var) * eps

    inputs = keras.Input(shape=(DIM,))
    h = layers.Dense(32, activation="relu")(inputs)
    z_mean = layers.Dense(2, name="z_mean")(h)
    z_log_var = layers.Dense(2, name="z_log_var")(h)
    z = Sampling()([z_mean, z_log_var])
    h = layers.Dense(32, activation="relu")(z)
    outputs = layers.Dense(DIM, activation=output_activation)(h)
    model = keras.Model(inputs, outputs)
    opt = keras.optimizers.SGD(learning_rate=lr) if sgd else keras.optimizers.Adam(learning_rate=lr)
    model.compile(optimizer=opt, loss="mse")
    return model


def fit(seed, high, clip, activation="linear", lr=1e-3, sgd=False):
    x = images(seed, high)
    return train(vae(clip, activation, lr, sgd), x, x, epochs=5, batch_size=32)


def run():
    # 8 seeds where the verdict rests on them (does the unclipped VAE fail on scaled data? on raw values?).
    seeds = range(8)
    one = range(1)
    return report("NAN401", {
        "scaled_adam_unclipped": over_seeds(lambda s: fit(s, 1.0, False, "sigmoid"), seeds),
        "raw_255_adam_unclipped": over_seeds(lambda s: fit(s, 255.0, False), seeds),
        "raw_255_adam_clipped": over_seeds(lambda s: fit(s, 255.0, True), seeds),
        "raw_255_sgd_unclipped": over_seeds(lambda s: fit(s, 255.0, False, lr=1e-3, sgd=True), one),
        "raw_255_sgd_clipped": over_seeds(lambda s: fit(s, 255.0, True, lr=1e-3, sgd=True), one),
        "scaled_adam_lr_0.05_unclipped": over_seeds(lambda s: fit(s, 1.0, False, "sigmoid", lr=0.05), seeds),
        "scaled_adam_lr_0.05_clipped": over_seeds(lambda s: fit(s, 1.0, True, "sigmoid", lr=0.05), one),
    })


if __name__ == "__main__":
    main(run)
