# The fix of the nowcoder blog note "LSTM regression: model.predict() outputs an almost constant
# value" (https://blog.nowcoder.net/n/18425ea1e6184a20aa3443145507561a), the author's own and the
# code as the note shows it: the inputs and the targets standardized with the training inputs' mean
# and standard deviation before training ("after adding standardization of the data, it fits").
from keras.datasets import mnist
from keras.layers import Dense, LSTM
from keras.utils import to_categorical
from keras.models import Sequential
import keras
from keras.layers import Dense, Activation, Dropout
import matplotlib.pyplot as plt
import numpy as np
from sklearn import preprocessing


#parameters for LSTM
nb_lstm_outputs = 32  #神经元个数
nb_time_steps = 1  #时间序列长度
nb_input_vector = 16  #输入序列

def generate_data(start, num_sample):
    x_train = np.zeros((1, 16))
    for i in range(start, num_sample + start):
        temp_data = np.array([i * 10] * 16)
        x_train = np.vstack((x_train, temp_data))
    x_train = x_train[1:]

    y_train = np.array([i for i in range(start, num_sample + start)])
    return x_train, y_train

x_train, y_train = generate_data(start = 1, num_sample = 2804)
x_test, y_test = generate_data(start = 3000, num_sample = 100)

mean_ = np.mean(x_train, axis=0)
std_ = np.std(x_train, axis=0)

x_train = (x_train - mean_) / std_
y_train = (y_train - mean_[0]) / std_[0]
x_test = (x_test - mean_) / std_
y_test = (y_test - mean_[0]) / std_[0]
print("x_train, y_train after normalization \n", x_train, y_train)


print(x_train.shape)
print(y_train.shape)
print(x_test.shape)
print(y_test.shape)
#
def build_model():
    model = Sequential()
    layers = [1, 50, 100, 1]

    model.add(LSTM(layers[1], input_shape=(None, layers[0]), return_sequences=True))
    model.add(Dropout(0.2))
    model.add(LSTM(layers[2], return_sequences=False))
    model.add(Dropout(0.2))
    model.add(Dense(layers[3]))
    model.add(Activation("linear"))  # 由于在进行线性回归操作,所以激活函数填 linear

    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.0005), metrics=['mae'])
    return model

x_train = np.reshape(x_train, (x_train.shape[0], x_train.shape[1], 1))
x_test = np.reshape(x_test, (x_test.shape[0], x_test.shape[1], 1))

model = build_model()
history = model.fit(x_train, y_train, batch_size=32, epochs=50, validation_split=0.1)
predicted = model.predict(x_test)
plt.plot(predicted)
plt.plot(y_test)
plt.show()
