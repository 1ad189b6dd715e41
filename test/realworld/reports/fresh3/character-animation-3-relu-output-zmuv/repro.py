# Re-creation of https://github.com/AliJalalifar/Character_Animation/issues/3 ("Qustion in
# autoencoder.py"): "If we use relu in deconv part of the autoencoder, we get the result larger
# than zero. How can we get the same positions as the input which is zero mean." The repository's
# AutoEncoder.py: motion clips (240 frames x 70 channels) made zero mean and unit variance, a
# Conv1D(256, 25, relu), MaxPooling1D, UpSampling1D, Dropout and a last Conv1D(70, 25,
# activation='relu'), Adam(lr=0.0001), mse, batch_size=1: the relu output cannot give the negative
# half of the standardized data. The clips are not in the repository; make_data.py writes clips of
# that shape (ours, 300 of them). Keras 3 names (Adam, learning_rate, no decay); the Windows paths
# become relative ones, and the lines that save the model after the fit are left out.
import numpy as np
from keras.layers import Input, Conv1D, MaxPooling1D, UpSampling1D,Dropout
from keras.models import Model
from keras import optimizers


#load data from cmu dataset
DataSet = "data/data_cmu2.npz"
preprocess = np.load('ZMUV_locomotion.npz')
Data = np.load(DataSet)['clips']

np.random.shuffle(Data)

# make data Zero Mean - Unit Variance
Xmean = preprocess['mean']
Xstd = preprocess['std']
Data = (Data-Xmean)/Xstd

# split train and validation data, since it's an autoencoder input and output are the same
train_length = int(np.floor(len(Data)*0.8))
train_X = test_X = Data[:train_length]
train_Y = test_Y = Data[train_length:]

#train auto-encoder
input_X = Input(shape=(240,70))
Conv_layer1 = Conv1D(256, (25,), activation='relu', padding='same',use_bias=True)(input_X)
encoded = MaxPooling1D(2,padding='same')(Conv_layer1)
Dropout_Conv = Dropout(rate=0.25)(Conv_layer1)
decoded = UpSampling1D(size=2)(encoded)
Dropout_Conv = Dropout(rate=0.25)(decoded)
Conv_layer2 = Conv1D(70,(25,), activation='relu', padding='same',use_bias=True)(Dropout_Conv)

autoencoder = Model(input_X, Conv_layer2)
autoencoder.summary()
myadam = optimizers.Adam(learning_rate=0.0001, beta_1=0.9, beta_2=0.999, epsilon=1e-08)
autoencoder.compile(optimizer=myadam, loss='mse')

autoencoder.fit(train_X, test_X,
                epochs=80,
                batch_size=1,
                validation_data=(train_Y, train_Y))
