# Re-creation of https://github.com/PacktPublishing/Hands-On-Deep-Learning-for-Finance/issues/11
# ("validation loss always comes as nan"): an LSTM trained in a batch loop whose validation loop
# only walks full batches; "the reason for this is that batch size is always greater than the
# number of validation datasets", so the validation losses are the mean of nothing.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(11)
returns = rng.normal(0, 0.01, (1100, 20, 1)).astype("float32")
labels = (returns[:, -5:, 0].sum(axis=1) > 0).astype("float32")

train_x, val_x = returns[:1000], returns[1000:1100]
train_y, val_y = labels[:1000], labels[1000:1100]

batch_size = 128
epochs = 100


def get_batches(x, y, batch_size=100):
    n_batches = len(x) // batch_size
    x, y = x[:n_batches * batch_size], y[:n_batches * batch_size]
    for ii in range(0, len(x), batch_size):
        yield x[ii:ii + batch_size], y[ii:ii + batch_size]


model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(20, 1)),
    tf.keras.layers.LSTM(64),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

iteration = 1
for e in range(epochs):
    for x, y in get_batches(train_x, train_y, batch_size):
        loss, acc = model.train_on_batch(x, y)
        if iteration % 8 == 0:
            val_acc = []
            val_loss = []
            for x_v, y_v in get_batches(val_x, val_y, batch_size):
                v_loss, v_acc = model.test_on_batch(x_v, y_v)
                val_loss.append(v_loss)
                val_acc.append(v_acc)
            print("Epoch: {}/{}".format(e, epochs),
                  "Iteration: {:d}".format(iteration),
                  "Validation loss: {:6.3f}".format(np.mean(val_loss)),
                  "Validation acc: {:.6f}".format(np.mean(val_acc)))
        iteration += 1
    if e == 2:
        break
