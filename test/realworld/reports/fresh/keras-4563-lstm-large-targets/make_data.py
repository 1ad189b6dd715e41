# Writes X_train.npy, Y_train.npy, X_test.npy, Y_test.npy the way the reporter describes them:
# X of shape (samples, MAX_TIMESTEPS, MAX_FEATURES) with features of ordinary size, and Y one
# value per sequence, "very high" (hundreds of thousands). The arrays were not posted; the sizes
# here are small.
import numpy as np

rng = np.random.default_rng(4563)


def sequences(n, timesteps=20, features=4):
    x = rng.normal(0.0, 1.0, (n, timesteps, features)).cumsum(axis=1) * 0.1
    y = 250000.0 + 80000.0 * x[:, -1, 0] + 30000.0 * x[:, :, 1].mean(axis=1) + rng.normal(0, 5000, n)
    return x.astype('float32'), y.astype('float32')


X_train, Y_train = sequences(600)
X_test, Y_test = sequences(150)
np.save('X_train.npy', X_train)
np.save('Y_train.npy', Y_train)
np.save('X_test.npy', X_test)
np.save('Y_test.npy', Y_test)
