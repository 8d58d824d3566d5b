"""PyTorch CPU time of one emg2qwerty training step, for bench/train-step.bench.ts.

The step is emg2qwerty's (lightning.py, TDSConvCTCModule._step + Adam): its own
modules chained as TDSConvCTCModule.model with config/model/tds_conv_ctc.yaml's
hyperparameters, CTC loss over the emissions with emission lengths shortened by
T_in - T_out, backward, Adam (lr 1e-3). Input is random (FRAMES, BATCH, 2, 16, 33)
log-spectrograms, targets random labels with the given lengths; one warm-up step,
then STEPS timed steps.

Usage:
  python3 scripts/bench_train_step_torch.py --emg2qwerty DIR --frames 622 --batch 32 \
      --target-lengths 31,28,... --classes 99 --blank 98 --steps 2 [--threads N]

Prints one JSON line (seconds per step, the peak RSS of this process in MB, torch's
version and thread count, and the BLAS's matMul GFLOP/s at 4096x768x768, which
tells an optimized BLAS from Debian's reference one).
"""

import argparse
import json
import resource
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--emg2qwerty", required=True, help="checkout holding emg2qwerty/modules.py")
parser.add_argument("--frames", type=int, default=622)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--target-lengths", default="", help="comma-separated, one per window")
parser.add_argument("--classes", type=int, default=99)
parser.add_argument("--blank", type=int, default=98)
parser.add_argument("--steps", type=int, default=2)
parser.add_argument("--threads", type=int, default=0, help="0 keeps torch's default")
args = parser.parse_args()

sys.path.insert(0, args.emg2qwerty)

import torch  # noqa: E402
from torch import nn  # noqa: E402

from emg2qwerty.modules import (  # noqa: E402
    MultiBandRotationInvariantMLP,
    SpectrogramNorm,
    TDSConvEncoder,
)

if args.threads > 0:
    torch.set_num_threads(args.threads)
torch.manual_seed(0)

model = nn.Sequential(
    SpectrogramNorm(channels=2 * 16),
    MultiBandRotationInvariantMLP(in_features=16 * 33, mlp_features=[384], num_bands=2),
    nn.Flatten(start_dim=2),
    TDSConvEncoder(num_features=2 * 384, block_channels=[24, 24, 24, 24], kernel_width=32),
    nn.Linear(2 * 384, args.classes),
    nn.LogSoftmax(dim=-1),
)
model.train()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
ctc_loss = nn.CTCLoss(blank=args.blank)

lengths = [int(n) for n in args.target_lengths.split(",") if n] or [30] * args.batch
if len(lengths) != args.batch:
    sys.exit(f"--target-lengths has {len(lengths)} entries for a batch of {args.batch}")
inputs = torch.randn(args.frames, args.batch, 2, 16, 33)
input_lengths = torch.full((args.batch,), args.frames, dtype=torch.int64)
target_lengths = torch.tensor(lengths, dtype=torch.int64)
# (S, N) as emg2qwerty's collate pads them; labels drawn from the non-blank classes.
labels = torch.randint(0, args.classes - 1, (max(lengths), args.batch))
targets = torch.where(labels >= args.blank, labels + 1, labels)


def train_step():
    """One optimiser step as lightning.py's training_step + Lightning's loop."""
    optimizer.zero_grad()
    emissions = model(inputs)
    emission_lengths = input_lengths - (inputs.shape[0] - emissions.shape[0])
    loss = ctc_loss(
        log_probs=emissions,
        targets=targets.transpose(0, 1),
        input_lengths=emission_lengths,
        target_lengths=target_lengths,
    )
    loss.backward()
    optimizer.step()
    return loss.item()


def seconds(step):
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def matmul_gflops():
    a, b = torch.randn(4096, 768), torch.randn(768, 768)
    a @ b
    return 2 * 4096 * 768 * 768 / seconds(lambda: a @ b) / 1e9


gflops = matmul_gflops()
warmup = seconds(train_step)
step_seconds = [seconds(train_step) for _ in range(args.steps)]
print(
    json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "parameters": sum(p.numel() for p in model.parameters()),
            "matmulGflops": gflops,
            "warmupSeconds": warmup,
            "stepSeconds": step_seconds,
            "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
)
