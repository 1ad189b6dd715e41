"""NAN404 custom-loss-unstable: a hand-written binary cross-entropy with unguarded log(p) and log(1 - p) on a sigmoid
output with binary targets, against the same loss with p clipped to [1e-7, 1 - 1e-7], and to [1e-8, 1 - 1e-8], whose upper bound is 1.0 in float32; the log of 1e-10 + 1 - p (float32 loses the epsilon) and of 1 - p + 1e-10; a hand-written
RMSE with sqrt. Every case over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

DIM = 64


def binary(seed):
    rng = np.random.default_rng(seed)
    basis = rng.uniform(0, 1, (4, DIM))
    return (rng.uniform(0, 1, (512, 4)) @ basis > 1.0).astype("float32")


def bce(clip, epsilon=1e-7):
    from keras import ops

    def loss(y_true, y_pred):
        p = ops.clip(y_pred, epsilon, 1 - epsilon) if clip else y_pred
        return -ops.mean(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p))
    return loss


def bce_added_epsilon(first):
    """log(eps + p) and log(eps + 1 - p) (the epsilon added to 1 first: float32 loses it), or log(1 - p + eps)."""
    from keras import ops

    def loss(y_true, y_pred):
        rest = 1e-10 + 1 - y_pred if first else 1 - y_pred + 1e-10
        return -ops.mean(y_true * ops.log(1e-10 + y_pred) + (1 - y_true) * ops.log(rest))
    return loss


def rmse(eps):
    from keras import ops

    def loss(y_true, y_pred):
        return ops.sqrt(ops.mean(ops.square(y_true - y_pred)) + eps)
    return loss


def fit(seed, loss, lr=0.01, epochs=15):
    x = binary(seed)
    model = dense_autoencoder(DIM, [128, 32, 128, DIM], ["relu", "relu", "relu", "sigmoid"], keras.optimizers.Adam(learning_rate=lr), loss=loss)
    return train(model, x, x, epochs=epochs, batch_size=32)


def run():
    seeds = range(8)
    return report("NAN404", {
        "example_unguarded_log": over_seeds(lambda s: fit(s, bce(False)), seeds),
        "fixed_clipped_log": over_seeds(lambda s: fit(s, bce(True)), seeds),
        # 1 - 1e-8 is 1.0 in float32: the clip's upper bound protects nothing.
        "clipped_1e-8_absorbed": over_seeds(lambda s: fit(s, bce(True, 1e-8)), seeds),
        "rmse_sqrt_no_eps": over_seeds(lambda s: fit(s, rmse(0.0), epochs=5), seeds),
        # log(1e-10 + 1 - p): 1 + 1e-10 is 1.0 in float32 (a VAE loss of Mastering TensorFlow 1.x); log(1 - p + 1e-10) keeps it.
        "added_1e-10_absorbed": over_seeds(lambda s: fit(s, bce_added_epsilon(True)), seeds),
        "added_1e-10_after": over_seeds(lambda s: fit(s, bce_added_epsilon(False)), seeds),
    })


if __name__ == "__main__":
    main(run)
