"""reportlint: a proofreader for Chinese report text."""

import os

# numpy is used for array look-ups, never for linear algebra: its BLAS threads only cost
# start-up time (and a fork with them running). A setting of the caller's own is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
