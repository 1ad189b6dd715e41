# The fix of ageron/handson-ml2 issue 398 (https://github.com/ageron/handson-ml2/issues/398), the
# book's own remedy for the empty total_bedrooms cells (chapter 2): a SimpleImputer with the median
# before the StandardScaler, so that X_train_std has no NaN.
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

housing = pd.read_csv('housing.csv')
X = housing.drop(['median_house_value', 'ocean_proximity'], axis=1).values
y = housing['median_house_value'].values / 100000

X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, test_size=0.2, random_state=42)

imputer = SimpleImputer(strategy='median')
X_train = imputer.fit_transform(X_train)
X_valid = imputer.transform(X_valid)
X_test = imputer.transform(X_test)

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
