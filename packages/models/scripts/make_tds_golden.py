"""Golden vectors for @emgkit/models' TDS-conv model, from emg2qwerty's own modules.

Builds `TDSConvCTCModule.model` exactly as emg2qwerty/lightning.py chains it
(SpectrogramNorm, MultiBandRotationInvariantMLP, Flatten, TDSConvEncoder,
Linear, LogSoftmax) from emg2qwerty/modules.py, with a small config so the
golden file stays small, seeded weights (BatchNorm and LayerNorm affine
parameters and running statistics moved away from their defaults), and writes
test/golden/tds-small.json: the state_dict, an input, the eval-mode output and
a train-mode output with the running statistics it leaves.

    mkdir -p /tmp/e2q && git --git-dir=/work/.mirror/facebookresearch+emg2qwerty/repo \\
        archive HEAD emg2qwerty | tar -x -C /tmp/e2q
    PYTHONPATH=/tmp/e2q /usr/bin/python3 scripts/make_tds_golden.py

Weights and inputs are rounded to a few decimals first (short JSON), and both
sides read those exact values as float32; the reference runs in float64.
"""

import json
from pathlib import Path

import torch
from torch import nn

from emg2qwerty.modules import (
    MultiBandRotationInvariantMLP,
    SpectrogramNorm,
    TDSConvEncoder,
)

OUT = Path(__file__).resolve().parent.parent / "test" / "golden" / "tds-small.json"
NUM_BANDS, ELECTRODE_CHANNELS, FREQ, NUM_CLASSES = 2, 16, 33, 99
CONFIG = {
    "inFeatures": ELECTRODE_CHANNELS * FREQ,
    "mlpFeatures": [16],
    "blockChannels": [4, 4],
    "kernelWidth": 5,
    "numClasses": NUM_CLASSES,
}
FRAMES, BATCH = 16, 2


def build_model() -> nn.Sequential:
    """lightning.py TDSConvCTCModule.model, with CONFIG."""
    num_features = NUM_BANDS * CONFIG["mlpFeatures"][-1]
    return nn.Sequential(
        SpectrogramNorm(channels=NUM_BANDS * ELECTRODE_CHANNELS),
        MultiBandRotationInvariantMLP(
            in_features=CONFIG["inFeatures"],
            mlp_features=CONFIG["mlpFeatures"],
            num_bands=NUM_BANDS,
        ),
        nn.Flatten(start_dim=2),
        TDSConvEncoder(
            num_features=num_features,
            block_channels=CONFIG["blockChannels"],
            kernel_width=CONFIG["kernelWidth"],
        ),
        nn.Linear(num_features, NUM_CLASSES),
        nn.LogSoftmax(dim=-1),
    )


def quantize(t: torch.Tensor, step: float) -> torch.Tensor:
    return (t / step).round() * step


def plain(t: torch.Tensor, digits: int) -> dict:
    values = t.detach().double().flatten().tolist()
    if t.dtype in (torch.int64, torch.int32):
        data = [int(v) for v in values]
    else:
        data = [round(v, digits) for v in values]
    return {"shape": list(t.shape), "data": data}


def main() -> None:
    torch.manual_seed(0)
    wrapper = nn.Module()
    wrapper.model = build_model()  # state_dict keys "model.…" as in TDSConvCTCModule
    with torch.no_grad():
        for name, tensor in wrapper.state_dict().items():
            if name.endswith("num_batches_tracked"):
                tensor.fill_(3)
            elif name.endswith("running_var"):
                tensor.copy_(torch.rand_like(tensor) * 1.5 + 0.5)
            elif name.endswith("running_mean"):
                tensor.copy_(torch.randn_like(tensor) * 0.5)
            elif "norm" in name and name.endswith("weight"):
                tensor.copy_(1 + 0.2 * torch.randn_like(tensor))
            elif "norm" in name and name.endswith("bias"):
                tensor.copy_(0.1 * torch.randn_like(tensor))
            tensor.copy_(quantize(tensor, 1e-4))
    inputs = quantize(
        torch.randn(FRAMES, BATCH, NUM_BANDS, ELECTRODE_CHANNELS, FREQ) * 2 + 1, 1e-2
    )
    state = {k: plain(v, 4) for k, v in wrapper.state_dict().items()}

    model = wrapper.model.double()
    model.eval()
    with torch.no_grad():
        eval_out = model(inputs.double())
    model.train()
    with torch.no_grad():
        train_out = model(inputs.double())
    norm = model[0].batch_norm

    golden = {
        "torch": torch.__version__,
        "config": CONFIG,
        "state_dict": state,
        "input": plain(inputs, 2),
        "eval": plain(eval_out, 6),
        "train": {
            "output": plain(train_out, 6),
            "running_mean": plain(norm.running_mean, 7),
            "running_var": plain(norm.running_var, 7),
            "num_batches_tracked": int(norm.num_batches_tracked),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(golden, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB), output {tuple(eval_out.shape)}")


if __name__ == "__main__":
    main()
