# The fix for keras-team/keras issue 6399 (https://github.com/keras-team/keras/issues/6399), ours:
# the missing readings are filled by interpolation (dataframe.interpolate()) before scaling, so no
# window holds NaN; the rest is the model, compile and fit.
import numpy
from pandas import read_csv
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Input, LSTM, Dense, Dropout, BatchNormalization
from keras import layers, optimizers


# convert an array of values into a dataset matrix
def create_dataset(dataset, look_back=1):
    dataX, dataY = [], []
    for i in range(len(dataset)-look_back-1):
        a = dataset[i:(i+look_back), 0]
        dataX.append(a)
        dataY.append(dataset[i + look_back, 0])
    return numpy.array(dataX), numpy.array(dataY)


numpy.random.seed(7)
dataframe = read_csv('series.csv', usecols=[1], engine='python')
dataframe = dataframe.interpolate()
dataset = dataframe.values
dataset = dataset.astype('float32')
scaler = MinMaxScaler(feature_range=(0, 1))
dataset = scaler.fit_transform(dataset)

train_size = 2000
train = dataset[0:train_size, :]

LOOK_BACK = 5
batch_size = 10
trainX, trainY = create_dataset(train, LOOK_BACK)
n = (len(trainX) // batch_size) * batch_size
trainX, trainY = trainX[:n], trainY[:n]
trainX = numpy.reshape(trainX, (trainX.shape[0], trainX.shape[1], 1))

model = Sequential()
model.add(Input(batch_shape=(batch_size, LOOK_BACK, 1)))
model.add(LSTM(4, stateful=True))
model.add(BatchNormalization())
model.add(layers.Dropout(0.2))
model.add(Dense(1))
sgd = optimizers.SGD(learning_rate=0.005, clipnorm=0.1)
model.compile(loss='mean_squared_error', optimizer=sgd)

model.fit(trainX, trainY, epochs=10, batch_size=batch_size, verbose=1, shuffle=True)
