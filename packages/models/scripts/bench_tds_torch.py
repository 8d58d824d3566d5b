"""PyTorch CPU time of emg2qwerty's TDS-conv CTC model (its own modules), for bench/models.bench.ts.

Usage: python3 scripts/bench_tds_torch.py EMG2QWERTY_DIR FRAMES BATCH
Prints one JSON line: parameters, threads, the BLAS's matMul GFLOP/s (4096x768x768,
which tells an optimized BLAS from Debian's reference one), and forward and
forward+backward seconds (one run each, like the tfjs side).
"""

import json
import sys
import time

sys.path.insert(0, sys.argv[1])

import torch  # noqa: E402
from torch import nn  # noqa: E402

from emg2qwerty.modules import (  # noqa: E402
    MultiBandRotationInvariantMLP,
    SpectrogramNorm,
    TDSConvEncoder,
)

frames, batch = int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0)
# TDSConvCTCModule.model with config/model/tds_conv_ctc.yaml's hyperparameters.
model = nn.Sequential(
    SpectrogramNorm(channels=32),
    MultiBandRotationInvariantMLP(in_features=528, mlp_features=[384], num_bands=2),
    nn.Flatten(start_dim=2),
    TDSConvEncoder(num_features=768, block_channels=[24, 24, 24, 24], kernel_width=32),
    nn.Linear(768, 99),
    nn.LogSoftmax(dim=-1),
)
inputs = torch.randn(frames, batch, 2, 16, 33)


def forward():
    model.eval()
    with torch.no_grad():
        model(inputs)


def forward_backward():
    model.train()
    model.zero_grad()
    model(inputs).mean().backward()


def seconds(step):
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def matmul_gflops():
    a, b = torch.randn(4096, 768), torch.randn(768, 768)
    return 2 * 4096 * 768 * 768 / seconds(lambda: a @ b) / 1e9


print(
    json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "parameters": sum(p.numel() for p in model.parameters()),
            "matmulGflops": matmul_gflops(),
            "forwardSeconds": seconds(forward),
            "forwardBackwardSeconds": seconds(forward_backward),
        }
    )
)
