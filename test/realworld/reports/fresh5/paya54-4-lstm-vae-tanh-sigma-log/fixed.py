# Re-creation of paya54/Anomaly_Detect_LSTM_VAE issue 4, "loss nan"
# (https://github.com/paya54/Anomaly_Detect_LSTM_VAE/issues/4): "when reproducing my own dataset,
# I often encounter situations where the training loss fluctuates drastically, and after one or
# two epochs, the loss becomes NaN." The program is the repository's lstm_vae.py (an LSTM-VAE
# for anomaly detection: a stateful softplus LSTM encoder, a decoder whose x_sigma is a Dense
# layer with tanh, a custom train_step whose Gaussian reconstruction loss is
# -0.5 * sum(log(sigma_x**2)) + sum((x - mu_x)**2 / sigma_x**2), Adam(1e-3, epsilon=1e-6,
# amsgrad=True), batches of 10, 100 epochs). A tanh output can sit at or cross 0, and the loss
# takes the log of its square and divides by it. The thread names no cause and shows no data;
# the data here are the repository's (the NASA bearing set, written by make_data.py, as the
# README describes it), not the poster's own.
# The fix here is ours (the thread has no reply): the decoder's sigma through softplus and the
# variance kept above 1e-6, the Gaussian negative log-likelihood with +0.5 * log(var) and
# 0.5 * (x - mu)**2 / var, and the KL term with its usual sign,
# 0.5 * sum(exp(logvar) - logvar - 1 + mu**2) (the repository's -0.5 * sum(exp(logvar) -
# logvar + (1 - mu)**2) rewards a growing exp(logvar)); the reported log-likelihood's scale is
# kept above 1e-3.
# Adapted where Keras 3 or this environment refuses the original: the Azure ML workspace and
# dataset are read as the CSV make_data.py writes; tensorflow_probability's Normal(loc,
# scale).log_prob, used only for the log-likelihood the step reports, is written out; keras.ops
# and keras.random for the backend module; the model saving, the plots and the inference after
# the fit are left out.
import numpy as np
np.random.seed(0)
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
import os
os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
import tensorflow as tf
tf.random.set_seed(0)
from tensorflow import data
import keras
from keras import layers, regularizers, activations
from keras import ops as K

dataset_name = "bearing_dataset"
#train_ratio = 0.75
row_mark = 740
batch_size = 10
time_step = 1
x_dim = 4
lstm_h_dim = 8
z_dim = 4
epoch_num = 100
threshold = 0.03

mode = 'train'

def split_normalize_data(all_df):
    #row_mark = int(all_df.shape[0] * train_ratio)
    train_df = all_df[:row_mark]
    test_df = all_df[row_mark:]

    scaler = MinMaxScaler()
    scaler.fit(np.array(all_df)[:, 1:])
    train_scaled = scaler.transform(np.array(train_df)[:, 1:])
    test_scaled = scaler.transform(np.array(test_df)[:, 1:])
    return train_scaled, test_scaled

def reshape(da):
    return da.reshape(da.shape[0], time_step, da.shape[1]).astype("float32")

class Sampling(layers.Layer):
    def __init__(self, name='sampling_z'):
        super(Sampling, self).__init__(name=name)

    def call(self, inputs):
        mu, logvar = inputs
        print('mu: ', mu)
        sigma = K.exp(logvar * 0.5)
        epsilon = keras.random.normal(shape=(mu.shape[0], z_dim), mean=0.0, stddev=1.0)
        return mu + epsilon * sigma

class Encoder(layers.Layer):
    def __init__(self, time_step, x_dim, lstm_h_dim, z_dim, name='encoder', **kwargs):
        super(Encoder, self).__init__(name=name, **kwargs)

        self.encoder_lstm = layers.LSTM(lstm_h_dim, activation='softplus', name='encoder_lstm', stateful=True)
        self.z_mean = layers.Dense(z_dim, name='z_mean')
        self.z_logvar = layers.Dense(z_dim, name='z_log_var')
        self.z_sample = Sampling()

    def call(self, inputs):
        self.encoder_inputs = inputs
        hidden = self.encoder_lstm(self.encoder_inputs)
        mu_z = self.z_mean(hidden)
        logvar_z = self.z_logvar(hidden)
        z = self.z_sample((mu_z, logvar_z))
        return mu_z, logvar_z, z

class Decoder(layers.Layer):
    def __init__(self, time_step, x_dim, lstm_h_dim, z_dim, name='decoder', **kwargs):
        super(Decoder, self).__init__(name=name, **kwargs)

        self.z_inputs = layers.RepeatVector(time_step, name='repeat_vector')
        self.decoder_lstm_hidden = layers.LSTM(lstm_h_dim, activation='softplus', return_sequences=True, name='decoder_lstm')
        self.x_mean = layers.Dense(x_dim, name='x_mean')
        self.x_sigma = layers.Dense(x_dim, name='x_sigma', activation='softplus')

    def call(self, inputs):
        z = self.z_inputs(inputs)
        hidden = self.decoder_lstm_hidden(z)
        mu_x = self.x_mean(hidden)
        sigma_x = self.x_sigma(hidden)
        return mu_x, sigma_x

loss_metric = keras.metrics.Mean(name='loss')
likelihood_metric = keras.metrics.Mean(name='log likelihood')

class LSTM_VAE(keras.Model):
    def __init__(self, time_step, x_dim, lstm_h_dim, z_dim, name='lstm_vae', **kwargs):
        super(LSTM_VAE, self).__init__(name=name, **kwargs)

        self.encoder = Encoder(time_step, x_dim, lstm_h_dim, z_dim, **kwargs)
        self.decoder = Decoder(time_step, x_dim, lstm_h_dim, z_dim, **kwargs)

    def call(self, inputs):
        mu_z, logvar_z, z = self.encoder(inputs)
        mu_x, sigma_x = self.decoder(z)

        var_z = K.exp(logvar_z)
        kl_loss = K.mean(0.5 * K.sum(var_z - logvar_z - 1 + tf.square(mu_z), axis=1), axis=0)
        self.add_loss(kl_loss)

        # tfp.distributions.Normal(loc=mu_x, scale=tf.abs(sigma_x)).log_prob(inputs), written out
        scale = tf.abs(sigma_x) + 1e-3
        log_px = -(-0.5 * K.square((inputs - mu_x) / scale) - K.log(scale) - 0.5 * np.log(2 * np.pi))

        return mu_x, sigma_x, log_px

    def reconstruct_loss(self, x, mu_x, sigma_x):
        var_x = K.square(sigma_x) + 1e-6
        reconst_loss = 0.5 * K.sum(K.log(var_x), axis=2) + 0.5 * K.sum(K.square(x - mu_x) / var_x, axis=2)
        reconst_loss = K.reshape(reconst_loss, (x.shape[0], 1))
        return K.mean(reconst_loss, axis=0)

    def mean_log_likelihood(self, log_px):
        log_px = K.reshape(log_px, (log_px.shape[0], log_px.shape[2]))
        mean_log_px = K.mean(log_px, axis=1)
        return K.mean(mean_log_px, axis=0)

    def train_step(self, data):
        if isinstance(data, tuple):
            x = data[0]
        else:
            x = data

        with tf.GradientTape() as tape:
            mu_x, sigma_x, log_px = self(x, training=True)
            loss = self.reconstruct_loss(x, mu_x, sigma_x)
            loss += sum(self.losses)
            mean_log_px = self.mean_log_likelihood(log_px)

        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))

        loss_metric.update_state(loss)
        likelihood_metric.update_state(mean_log_px)
        return {'loss': loss_metric.result(), 'log_likelihood': likelihood_metric.result()}

def main():
    all_df = pd.read_csv(dataset_name + ".csv")
    train_scaled, test_scaled = split_normalize_data(all_df)
    x_dim = train_scaled.shape[1]
    print("train and test data shape after scaling: ", train_scaled.shape, test_scaled.shape)

    train_X = reshape(train_scaled)
    test_X = reshape(test_scaled)

    opt = keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-6, amsgrad=True)

    if mode == "train":
        model = LSTM_VAE(time_step, x_dim, lstm_h_dim, z_dim, dtype='float32')
        model.compile(optimizer=opt)
        train_dataset = data.Dataset.from_tensor_slices(train_X)
        train_dataset = train_dataset.shuffle(buffer_size=1024).batch(batch_size, drop_remainder=True)

        history = model.fit(train_dataset, epochs=epoch_num, shuffle=False).history
        model.summary()

if __name__ == "__main__":
    main()
