#!/usr/bin/env python3
"""Runs scikit-surprise on MovieLens-100K with 5-fold CV (default parameters) and prints one line per
algorithm: name, mean RMSE, mean MAE, seconds (fit + test, all folds). Used by kouzi-rec-bench when
`import surprise` works. Usage: surprise_ml100k.py /path/to/movielens-100k"""
import sys
import time

from surprise import (BaselineOnly, Dataset, KNNBaseline, KNNBasic, KNNWithMeans, NMF, SVD, SVDpp, Reader)
from surprise.model_selection import KFold, cross_validate

directory = sys.argv[1]
data = Dataset.load_from_file(directory + "/u.data", reader=Reader(line_format="user item rating timestamp", sep="\t"))
kf = KFold(n_splits=5, random_state=0)
for name, algo in [("BaselineOnly", BaselineOnly()), ("KNNBasic", KNNBasic()), ("KNNWithMeans", KNNWithMeans()),
                   ("KNNBaseline", KNNBaseline()), ("SVD", SVD(random_state=0)), ("SVD++", SVDpp(random_state=0)),
                   ("NMF", NMF(random_state=0))]:
    t0 = time.time()
    out = cross_validate(algo, data, measures=["RMSE", "MAE"], cv=kf, verbose=False)
    print(f"{name}\t{out['test_rmse'].mean():.4f}\t{out['test_mae'].mean():.4f}\t{time.time() - t0:.1f}", flush=True)
