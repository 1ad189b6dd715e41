# Writes an4_mfcc.npz like the data of keras-team/keras#5028: MFCC features of the an4 speech
# database from python_speech_features (13 coefficients a frame, the first replaced by the log
# frame energy), 11 consecutive frames flattened to 143 values a sample, for the clean and the
# noisy recordings. The poster had 36,668 training samples; here 3,000 and 600 (ours), with
# values in the usual range of such features: log energies around 14, the other coefficients
# within about +-25, the noisy copy the clean one plus noise. Not the an4 audio, which the thread
# does not give.
import numpy as np

rng = np.random.default_rng(5028)


def utterances(n):
    frames = []
    scale = np.array([2.0] + [10.0, 9.0, 8.0, 7.0, 6.5, 6.0, 5.0, 4.5, 4.0, 3.5, 3.0, 3.0])
    mean = np.array([14.0] + [-8.0, 4.0, -6.0, 2.0, -3.0, 1.0, -2.0, 1.0, -1.0, 0.5, -0.5, 0.0])
    state = np.zeros(13)
    for _ in range(n + 10):
        state = 0.8 * state + 0.6 * rng.normal(size=13)
        frames.append(mean + scale * state)
    frames = np.array(frames)
    return np.stack([frames[i:i + 11].ravel() for i in range(n)]).astype('float32')


x_train = utterances(3000)
x_test = utterances(600)
x_train_noise = (x_train + rng.normal(0, 3.0, x_train.shape)).astype('float32')
x_test_noise = (x_test + rng.normal(0, 3.0, x_test.shape)).astype('float32')
np.savez('an4_mfcc.npz', x_train=x_train, x_train_noise=x_train_noise, x_test=x_test,
         x_test_noise=x_test_noise)
print(x_train.shape, float(np.mean(x_train ** 2)))
