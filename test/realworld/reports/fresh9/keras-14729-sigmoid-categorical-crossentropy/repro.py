# Re-creation of keras-team/keras issue 14729, "too low accuracy"
# (https://github.com/keras-team/keras/issues/14729): the breast cancer Wisconsin (diagnostic) CSV
# read with index_col=0, the column 'Unnamed: 32' dropped, X = df.iloc[:, 2:] and
# y = df.iloc[:, 1] label-encoded, standardized, and a dense network of 16-16-1 units (uniform
# initializer, dropout 0.1, a single sigmoid output) compiled with
# keras.losses.categorical_crossentropy and Adam: "What to do to increase the accuracy?" The data
# are not in the issue: data.csv (written by make_data.py) in the layout of the public CSV. The
# issue's code, with its imports filled in (keras in place of tensorflow.keras).
import pandas as pd
import keras
from keras import layers
from keras.models import Sequential
from keras.layers import Flatten, Dropout

df = pd.read_csv('data.csv', index_col=0)
df = df.drop('Unnamed: 32', axis=1)

X = df.iloc[:,  2:].values
y = df.iloc[:,  1].values

from sklearn.preprocessing import LabelEncoder
labelencoder_X_1 = LabelEncoder()
y = labelencoder_X_1.fit_transform(y)

from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size = 0.3, random_state = 0)

from sklearn.preprocessing import StandardScaler
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)

from keras.layers import Dense

model3 = Sequential()

model3.add(Flatten())
model3.add(layers.Dense(16, activation = "relu", kernel_initializer="uniform", input_dim =30))
model3.add(Dropout(0.1))
model3.add(layers.Dense(16, activation="relu", kernel_initializer="uniform"))
model3.add(Dropout(0.1))
model3.add(layers.Dense(1, activation="sigmoid", kernel_initializer="uniform"))

model3.compile(optimizer=keras.optimizers.Adam(),
              loss= keras.losses.categorical_crossentropy,
              metrics= ['accuracy'])

model3.fit(X_train, 
           y_train, 
           batch_size=100, 
           epochs=100)
