"""Golden outputs of PyTorch nn.LSTM / nn.GRU for the recurrent layers' parity tests.

Writes test/golden/recurrent-layers.json: for each case, the module config, its
state_dict (key -> flat float32 values + shape), a seeded input (T, N, I), the
output (T, N, H or 2H), PyTorch's parameter count, and the gradients of
sum(output * lossWeights) for the input and every parameter.

Run with Debian's python3 (torch 1.13): /usr/bin/python3 scripts/make_recurrent_golden.py
"""

import json
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "golden"

STEPS, BATCH, INPUT_SIZE, HIDDEN_SIZE, NUM_LAYERS = 12, 2, 5, 8, 2


def flat(tensor):
    # 7 significant digits (error <= 5e-7 relative, far below the 1e-5 tolerance) keep the file small.
    return [float(f"{v:.7g}") for v in tensor.detach().flatten().tolist()]


def layer_case(kind, bidirectional, seed):
    torch.manual_seed(seed)
    module_type = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    module = module_type(INPUT_SIZE, HIDDEN_SIZE, num_layers=NUM_LAYERS, bidirectional=bidirectional)
    inputs = torch.randn(STEPS, BATCH, INPUT_SIZE, requires_grad=True)
    module.eval()
    outputs, _ = module(inputs)
    # Gradients of sum(output * loss_weights), so every output element gets its own upstream value.
    loss_weights = torch.randn_like(outputs)
    (outputs * loss_weights).sum().backward()
    return {
        "name": f"{kind}-{'bi' if bidirectional else 'uni'}",
        "kind": kind,
        "config": {
            "inputSize": INPUT_SIZE,
            "hiddenSize": HIDDEN_SIZE,
            "numLayers": NUM_LAYERS,
            "bidirectional": bidirectional,
            "dropout": 0,
        },
        "stateDict": {key: {"shape": list(value.shape), "values": flat(value)} for key, value in module.state_dict().items()},
        "parameterCount": sum(p.numel() for p in module.parameters()),
        "input": {"shape": list(inputs.shape), "values": flat(inputs)},
        "output": {"shape": list(outputs.shape), "values": flat(outputs)},
        "lossWeights": {"shape": list(loss_weights.shape), "values": flat(loss_weights)},
        "inputGradient": {"shape": list(inputs.shape), "values": flat(inputs.grad)},
        "gradients": {key: {"shape": list(p.shape), "values": flat(p.grad)} for key, p in module.named_parameters()},
    }


def main():
    cases = [
        layer_case(kind, bidirectional, seed)
        for seed, (kind, bidirectional) in enumerate(
            [("lstm", False), ("lstm", True), ("gru", False), ("gru", True)]
        )
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "recurrent-layers.json"
    path.write_text(json.dumps({"torch": torch.__version__, "cases": cases}) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
