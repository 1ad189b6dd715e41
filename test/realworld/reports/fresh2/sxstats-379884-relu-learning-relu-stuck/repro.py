# Re-creation of https://stats.stackexchange.com/questions/379884 ("Why can't a single ReLU learn a
# ReLU?"): one Dense(1) without bias followed by a ReLU, its weight set to -10, trained with SGD and
# MSE to reproduce relu(x) for x ~ N(0, 1); "If the initial guess is 'backwards', it gets stuck at a
# weight of zero and never goes through it to the region of lower loss" (half the time with a random
# weight). Keras 3 has no `fit_generator` (`fit` takes the generator) and wants `input_shape` where
# the asker wrote `input_dim`, `set_weights` wants arrays where the asker gave nested lists, and
# matplotlib takes `sharex` by name; the weight is set after the ReLU is added, as in the
# question's first listing.
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, ReLU
from tensorflow import keras
import numpy as np
import matplotlib.pyplot as plt

batch = 1000


def tests():
    while True:
        test = np.random.randn(batch)

        # Generate ReLU test case
        X = test
        Y = test.copy()
        Y[Y < 0] = 0

        yield X, Y


model = Sequential([Dense(1, input_shape=(1,), activation=None, use_bias=False)])
model.add(ReLU())
model.set_weights([np.array([[-10.0]])])

model.compile(loss='mean_squared_error', optimizer='sgd')


class LossHistory(keras.callbacks.Callback):
    def on_train_begin(self, logs={}):
        self.losses = []
        self.weights = []
        self.n = 0
        self.n += 1

    def on_epoch_end(self, batch, logs={}):
        self.losses.append(logs.get('loss'))
        w = model.get_weights()
        self.weights.append([x.flatten()[0] for x in w])
        self.n += 1


history = LossHistory()

model.fit(tests(), steps_per_epoch=100, epochs=20,
          callbacks=[history])

fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, num='Learning')

ax1.set_title('ReLU learning ReLU')
ax1.semilogy(history.losses)
ax1.set_ylabel('Loss')
ax1.grid(True, which="both")
ax1.margins(0, 0.05)

ax2.plot(history.weights)
ax2.set_ylabel('Weight')
ax2.set_xlabel('Epoch')
ax2.grid(True, which="both")
ax2.margins(0, 0.05)

plt.tight_layout()
plt.show()
