# Re-creation of https://blog.csdn.net/Five_L/article/details/149088309: a very simple three-layer
# binary classifier, BinaryCrossentropy(from_logits=True), loss nan from the first step. Printing
# each layer showed the embedding/preprocessing layer was at fault: some continuous features are
# 0 in every row, so their mean and variance are 0 and standardizing them gives NaN. Removing
# those features fixed it.
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras import Model, layers

df = pd.read_csv("samples.csv")
cat_cols = ["user_id", "item_id"]
num_cols = ["price", "clicks_7d", "coupon_amount", "refund_cnt", "dwell_time"]
y = df["label"].values.astype("float32")


class customModel(Model):
    def __init__(self, mean, var):
        super().__init__()
        self.user_emb = layers.Embedding(500, 8)
        self.item_emb = layers.Embedding(200, 8)
        self.mean = tf.constant(mean, dtype=tf.float32)
        self.var = tf.constant(var, dtype=tf.float32)
        self.u_fc1 = layers.Dense(64, activation="relu")
        self.u_fc2 = layers.Dense(32, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        cats, nums = x
        e = tf.concat([self.user_emb(cats[:, 0]), self.item_emb(cats[:, 1])], axis=-1)
        nums = (nums - self.mean) / tf.sqrt(self.var)
        x = tf.concat([e, nums], axis=-1)
        x = self.u_fc1(x)
        x = self.u_fc2(x)
        return self.out(x)


cats = df[cat_cols].values.astype("int32")
nums = df[num_cols].values.astype("float32")
model = customModel(nums.mean(axis=0), nums.var(axis=0))
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
model.fit((cats, nums), y, batch_size=64, epochs=5)
