# The fix of keras-team/keras issue 10098 (ours; no reply was read): Adam at its usual rate in
# place of Adadelta, whose Keras 3 default rate is 0.001 (it was 1.0 in the reporter's Keras).
# Re-creation of keras-team/keras issue 10098, "Problem in training auto encoder for time series
# forecasting in keras" (https://github.com/keras-team/keras/issues/10098): Train_X is 1000
# (observations) by 24 (time steps) by 17 (dimensions); a GRU autoencoder, GRU(50) and GRU(10)
# encoders with dropout 0.1, RepeatVector(timesteps), GRU(50) and GRU(17) decoders, Adadelta,
# mean_squared_error, epochs=10: "During the training autoencoder, the error does not change from
# one Epoch to another. The error (cost) is around 0.024." No reply was read. The data is written
# by make_data.py (train_x.npy); batch_shape and unroll are left out (Keras 3 takes the shape on
# Input; unroll only changes speed), the typos of the issue are mended.
import numpy as np
from keras.layers import Input, GRU, Dropout, RepeatVector
from keras.models import Model
from keras.optimizers import Adam

BATCH_SIZE = 50
VALIDATION_SPLI = 0.1
Train_X = np.load("train_x.npy")
timesteps = Train_X.shape[1]

Input_ = Input(shape=(timesteps, Train_X.shape[2]))
Encoder_1 = GRU(50, dropout=0.1, stateful=False, return_sequences=True)(Input_)
Endoder_1_Dropout = Dropout(0.1)(Encoder_1)
Encoder_2 = GRU(10, dropout=0.1, stateful=False, return_sequences=False)(Endoder_1_Dropout)
Endoder_2_Dropout = Dropout(0.1)(Encoder_2)
Decoder_1 = RepeatVector(timesteps)(Endoder_2_Dropout)
Decoder_2 = GRU(50, dropout=0.1, stateful=False, return_sequences=True)(Decoder_1)
Decoder_2_Dropout = Dropout(0.1)(Decoder_2)
Decoder_4 = GRU(Train_X.shape[2], stateful=False, return_sequences=True)(Decoder_2_Dropout)
AE = Model(Input_, Decoder_4)
Encoder = Model(Input_, Endoder_2_Dropout)
AE.compile(optimizer=Adam(learning_rate=0.001), loss='mean_squared_error')
AE.fit(Train_X, Train_X, epochs=10, batch_size=BATCH_SIZE, shuffle=False, validation_split=VALIDATION_SPLI)
