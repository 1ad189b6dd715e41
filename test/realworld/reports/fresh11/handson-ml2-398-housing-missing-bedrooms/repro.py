# Re-creation of ageron/handson-ml2 issue 398, "[Chapter 10] got 'loss:nan' while training the model
# using funstional API" (https://github.com/ageron/handson-ml2/issues/398): the book's wide and deep
# network (two relu Dense(30) layers, the input concatenated to the second, a Dense(1) output) built
# with the functional API on X_train_std and compiled with loss='mean_squared_error' and no
# optimizer: "loss: nan" from the first of 50 epochs (413 steps an epoch); the author's reply runs
# the chapter's notebook and gets finite losses. The re-creation is the code; how X_train_std
# was made is not in the issue: the 413 steps of 32 are the 13209 rows left by two 80/20
# train_test_split calls on the 20640 California districts, so the data are filled in as chapter 2's
# housing.csv (make_data.py writes a stand-in with the file's 207 empty total_bedrooms cells), the
# text column and the target dropped from X, the target in units of $100,000 as in chapter 10, and
# StandardScaler for the _std (it keeps the empty cells as NaN). The cause, NaN inputs from the
# missing bedrooms, is our reading of the thread.
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

housing = pd.read_csv('housing.csv')
X = housing.drop(['median_house_value', 'ocean_proximity'], axis=1).values
y = housing['median_house_value'].values / 100000

X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, test_size=0.2, random_state=42)

scaler = StandardScaler()
X_train_std = scaler.fit_transform(X_train)
X_valid_std = scaler.transform(X_valid)
X_test_std = scaler.transform(X_test)

input = keras.layers.Input(shape = X_train_std.shape[1:])
hidden1 = keras.layers.Dense(30, activation = 'relu')(input)
hidden2 = keras.layers.Dense(30, activation = 'relu')(hidden1)
concat = keras.layers.Concatenate()([input, hidden2])
output = keras.layers.Dense(1)(concat)
model = keras.models.Model(inputs = [input], outputs = [output])

model.compile( loss = 'mean_squared_error')
history = model.fit(X_train_std, y_train, epochs = 50)
