# The fix of evandowning/deepreflect issue 11 (ours, from the replies' diagnosis: a feature whose
# maximum is 0 must not be divided by it): a maximum of 0 is replaced by 1, so the feature that
# never occurs stays 0 instead of becoming 0/0.
# Re-creation of evandowning/deepreflect issue 11, "Nan value of lose and MSE"
# (https://github.com/evandowning/deepreflect/issues/11): training the repository's autoencoder
# (autoencoder/autoencoder.py, fed by dr.py's DR generator with --normalize normalize.npy),
# "lose = nan - mse = nan while training the model and not improving the values"; a reply: "This
# is due to the presence of a feature with a maximum value of 0, which leads to improper
# normalization that sets 0 as the denominator." The generator divides every batch by the
# per-feature maxima that normalize.py saved, and a feature that never occurs has maximum 0, so
# its column is 0/0. The data (the per-binary feature files, train.txt, test.txt and
# normalize.npy) are written by make_data.py. The command-line values are set in place of
# argparse (--max-bb 64 and --kernel 3, so that the U-Net fits a CPU; the other defaults kept),
# Adam's lr is learning_rate and the scheduler reads optimizer.learning_rate (Keras 3 names), and
# the checkpoint callback is left out (Keras 3 wants a .keras file name).
import sys
import math
import numpy as np
import tensorflow as tf


# Get DR features for training autoencoder (dr.py)
class DR(object):
    def __init__(self, trainFN, testFN, max_len, normalizeFN):
        self.train = list()
        self.test = list()
        self.normalizeFN = normalizeFN
        self.max_len = max_len
        with open(trainFN, 'r') as fr:
            for line in fr:
                line = line.strip('\n')
                self.train.append(line)
        if testFN is not None:
            with open(testFN, 'r') as fr:
                for line in fr:
                    line = line.strip('\n')
                    self.test.append(line)
        # If normalizing the DR feature vectors
        if self.normalizeFN is not None:
            self.maximum_val = np.load(self.normalizeFN)
            self.maximum_val[self.maximum_val == 0] = 1.0

    def get_train_num(self):
        return len(self.train)

    def get_test_num(self):
        return len(self.test)

    # Data generator for training autoencoder
    def generator(self, t, batch_size):
        if t == 'train':
            sample = self.train
        elif t == 'test':
            sample = self.test
        x = list()
        while True:
            for fn in sample:
                # Only look at first max_len of data (and pad with empty feature vector)
                b = np.array([[0] * 18] * self.max_len, dtype=float)
                bytez = np.load(fn)
                if len(bytez) == 0:
                    sys.stderr.write('Error. Sample {0} has no data.\n'.format(fn))
                    continue
                bytez = bytez[:self.max_len]
                # First element is the entry point, so we should ignore this
                bytez = bytez[:, 1:]
                b[:len(bytez)] = bytez
                x.append(b)
                if len(x) == batch_size:
                    if self.normalizeFN is not None:
                        yield (np.asarray(x) / self.maximum_val, np.asarray(x) / self.maximum_val)
                    else:
                        yield (np.asarray(x), np.asarray(x))
                    x = list()


def define_model(kernel_size, strides, max_len):
    inputs = tf.keras.Input(shape=(max_len, 18))

    factor = 2
    conv1 = tf.keras.layers.Conv1D(64*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(inputs)
    conv1 = tf.keras.layers.Conv1D(64*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv1)
    pool1 = tf.keras.layers.MaxPooling1D(pool_size=2, strides=2)(conv1)
    conv2 = tf.keras.layers.Conv1D(128*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(pool1)
    conv2 = tf.keras.layers.Conv1D(128*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv2)
    pool2 = tf.keras.layers.MaxPooling1D(pool_size=2, strides=2)(conv2)
    conv3 = tf.keras.layers.Conv1D(256*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(pool2)
    conv3 = tf.keras.layers.Conv1D(256*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv3)
    pool3 = tf.keras.layers.MaxPooling1D(pool_size=2, strides=2)(conv3)
    conv4 = tf.keras.layers.Conv1D(512*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(pool3)
    conv4 = tf.keras.layers.Conv1D(512*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv4)
    drop4 = tf.keras.layers.Dropout(0.5)(conv4)
    pool4 = tf.keras.layers.MaxPooling1D(pool_size=2, strides=2)(drop4)

    conv5 = tf.keras.layers.Conv1D(1024*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(pool4)
    conv5 = tf.keras.layers.Conv1D(1024*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv5)
    drop5 = tf.keras.layers.Dropout(0.5)(conv5)

    up6 = tf.keras.layers.Conv1D(512*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(tf.keras.layers.UpSampling1D(size=2)(drop5))
    merge6 = tf.keras.layers.concatenate([drop4, up6], axis=2)
    conv6 = tf.keras.layers.Conv1D(512*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(merge6)
    conv6 = tf.keras.layers.Conv1D(512*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv6)

    up7 = tf.keras.layers.Conv1D(256*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(tf.keras.layers.UpSampling1D(size=2)(conv6))
    merge7 = tf.keras.layers.concatenate([conv3, up7], axis=2)
    conv7 = tf.keras.layers.Conv1D(256*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(merge7)
    conv7 = tf.keras.layers.Conv1D(256*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv7)

    up8 = tf.keras.layers.Conv1D(128*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(tf.keras.layers.UpSampling1D(size=2)(conv7))
    merge8 = tf.keras.layers.concatenate([conv2, up8], axis=2)
    conv8 = tf.keras.layers.Conv1D(128*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(merge8)
    conv8 = tf.keras.layers.Conv1D(128*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv8)

    up9 = tf.keras.layers.Conv1D(64*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(tf.keras.layers.UpSampling1D(size=2)(conv8))
    merge9 = tf.keras.layers.concatenate([conv1, up9], axis=2)
    conv9 = tf.keras.layers.Conv1D(64*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(merge9)
    conv9 = tf.keras.layers.Conv1D(64*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv9)
    conv9 = tf.keras.layers.Conv1D(18*factor, kernel_size=kernel_size, strides=strides, activation='relu', padding='same', kernel_initializer='he_normal')(conv9)
    conv10 = tf.keras.layers.Conv1D(18, 1, activation='tanh')(conv9)

    model = tf.keras.Model(inputs=inputs, outputs=conv10)

    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-4), loss='mse', metrics=['mse'])

    # Print summary of model
    model.summary()

    return model


# Arguments (autoencoder.py --train train.txt --test test.txt --normalize normalize.npy --max-bb 64 --kernel 3)
kernel_size = 3
strides = 1
batch_size = 10
num_epochs = 10
trainFN = 'train.txt'
testFN = 'test.txt'
normalizeFN = 'normalize.npy'
max_len = 64

# Load dataset
data = DR(trainFN, testFN, max_len, normalizeFN)

# Define model
model = define_model(kernel_size, strides, max_len)

# Create callbacks
callbacks_list = list()

# Add learning rate scheduler
base = tf.keras.backend.get_value(model.optimizer.learning_rate)
def schedule(epoch):
    return base / 10.0**(epoch//2)
callbacks_list.append(tf.keras.callbacks.LearningRateScheduler(schedule))

# Train model
model.fit(
    data.generator('train', batch_size),
    steps_per_epoch=data.get_train_num()//batch_size,
    epochs=num_epochs,
    validation_data=data.generator('test', batch_size),
    callbacks=callbacks_list,
    validation_steps=int(math.ceil(data.get_test_num()/batch_size))
)
