# Writes train_FD001.txt the way the C-MAPSS turbofan data looks: space-separated rows of unit,
# cycle, 3 operational settings and 21 sensors, on their raw scales (temperatures ~640-1600,
# pressures ~14-550, speeds ~2388-9060), no header.
import numpy as np

rng = np.random.default_rng(19)
rows = []
for unit in range(1, 5):
    life = rng.integers(130, 260)
    for cycle in range(1, life + 1):
        wear = cycle / life
        settings = [rng.normal(0, 0.002), rng.normal(0, 0.0003), 100.0]
        base = np.array([518.67, 642.0, 1589.0, 1400.0, 14.62, 21.61, 554.0, 2388.0, 9050.0, 1.3,
                         47.4, 522.0, 2388.0, 8140.0, 8.44, 0.03, 392.0, 2388.0, 100.0, 38.9, 23.3])
        drift = base * (1 + 0.004 * wear * rng.normal(1, 0.2, 21)) + rng.normal(0, 0.001, 21) * base
        rows.append([unit, cycle] + settings + list(drift))
np.savetxt("train_FD001.txt", np.array(rows), fmt="%.2f", delimiter=" ")
