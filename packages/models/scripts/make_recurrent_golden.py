"""Golden outputs of PyTorch nn.LSTM / nn.GRU for the recurrent layers' parity tests.

Writes test/golden/recurrent-models.json: the parameter and buffer names,
shapes and counts of PyTorch modules laid out as src/models/{lstm,gru,cnn,cnn-bilstm}.ts
(default and tiny configs), and test/golden/recurrent-layers.json: for each case, the module config, its
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


class SpectrogramNorm(torch.nn.Module):
    """emg2qwerty's SpectrogramNorm (parameters only: names and shapes)."""

    def __init__(self, channels):
        super().__init__()
        self.batch_norm = torch.nn.BatchNorm2d(channels)


class RotationInvariantMLP(torch.nn.Module):
    def __init__(self, in_features, mlp_features):
        super().__init__()
        layers, features = [], in_features
        for out_features in mlp_features:
            layers += [torch.nn.Linear(features, out_features), torch.nn.ReLU()]
            features = out_features
        self.mlp = torch.nn.Sequential(*layers)


class MultiBandRotationInvariantMLP(torch.nn.Module):
    def __init__(self, in_features, mlp_features, num_bands=2):
        super().__init__()
        self.mlps = torch.nn.ModuleList(
            [RotationInvariantMLP(in_features, mlp_features) for _ in range(num_bands)]
        )


def front_end(config):
    """emg2qwerty's front end as TDSConvCTCModule.model holds it: (T, N, 2 * mlp_features[-1])."""
    return torch.nn.Sequential(
        SpectrogramNorm(2 * 16),
        MultiBandRotationInvariantMLP(config["inFeatures"], config["mlpFeatures"]),
        torch.nn.Flatten(start_dim=2),
    )


class ConvBlock(torch.nn.Module):
    """Temporal conv as nn.Conv2d(in, out, (1, K)) over (N, C, 1, T), then ReLU, residual, LayerNorm."""

    def __init__(self, in_channels, channels, kernel_width):
        super().__init__()
        self.conv2d = torch.nn.Conv2d(in_channels, channels, kernel_size=(1, kernel_width))
        self.layer_norm = torch.nn.LayerNorm(channels)


def conv_blocks(in_features, channels, num_blocks, kernel_width):
    return torch.nn.ModuleList(
        [ConvBlock(in_features if i == 0 else channels, channels, kernel_width) for i in range(num_blocks)]
    )


class RecurrentModel(torch.nn.Module):
    """Front end, nn.LSTM or nn.GRU, classifier: the layout of src/models/lstm.ts and gru.ts."""

    def __init__(self, kind, config):
        super().__init__()
        self.model = front_end(config)
        rnn = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
        setattr(self, kind, rnn(
            2 * config["mlpFeatures"][-1], config["hiddenSize"], config["numLayers"],
            bidirectional=config["bidirectional"], dropout=config["dropout"],
        ))
        directions = 2 if config["bidirectional"] else 1
        self.classifier = torch.nn.Linear(directions * config["hiddenSize"], config["numClasses"])


class CnnModel(torch.nn.Module):
    """Front end, conv blocks, classifier: the layout of src/models/cnn.ts."""

    def __init__(self, config):
        super().__init__()
        self.model = front_end(config)
        self.conv_blocks = conv_blocks(
            2 * config["mlpFeatures"][-1], config["channels"], config["numBlocks"], config["kernelWidth"]
        )
        self.classifier = torch.nn.Linear(config["channels"], config["numClasses"])


class CnnBiLstmModel(torch.nn.Module):
    """Front end, conv blocks, bidirectional nn.LSTM, classifier: the layout of src/models/cnn-bilstm.ts."""

    def __init__(self, config):
        super().__init__()
        self.model = front_end(config)
        self.conv_blocks = conv_blocks(
            2 * config["mlpFeatures"][-1], config["convChannels"], config["convBlocks"], config["convKernelWidth"]
        )
        self.lstm = torch.nn.LSTM(
            config["convChannels"], config["hiddenSize"], config["numLayers"],
            bidirectional=True, dropout=config["dropout"],
        )
        self.classifier = torch.nn.Linear(2 * config["hiddenSize"], config["numClasses"])


FRONT_END = {"inFeatures": 528, "mlpFeatures": [384], "numClasses": 99}
TINY_FRONT_END = {"inFeatures": 4 * 16, "mlpFeatures": [6], "numClasses": 99}

# The models' defaults (as in src/models/*.ts) and tiny configs for the tests.
MODEL_CASES = [
    ("lstm", "default", {**FRONT_END, "hiddenSize": 256, "numLayers": 2, "bidirectional": False, "dropout": 0}),
    ("lstm", "bidirectional", {**FRONT_END, "hiddenSize": 256, "numLayers": 2, "bidirectional": True, "dropout": 0}),
    ("lstm", "tiny", {**TINY_FRONT_END, "hiddenSize": 5, "numLayers": 2, "bidirectional": True, "dropout": 0}),
    ("gru", "default", {**FRONT_END, "hiddenSize": 512, "numLayers": 4, "bidirectional": True, "dropout": 0}),
    ("gru", "tiny", {**TINY_FRONT_END, "hiddenSize": 5, "numLayers": 2, "bidirectional": False, "dropout": 0}),
    ("cnn", "default", {**FRONT_END, "channels": 256, "numBlocks": 4, "kernelWidth": 11}),
    ("cnn", "tiny", {**TINY_FRONT_END, "channels": 7, "numBlocks": 3, "kernelWidth": 3}),
    ("cnn-bilstm", "default", {
        **FRONT_END, "convChannels": 256, "convBlocks": 3, "convKernelWidth": 5,
        "hiddenSize": 256, "numLayers": 4, "dropout": 0,
    }),
    ("cnn-bilstm", "tiny", {
        **TINY_FRONT_END, "convChannels": 7, "convBlocks": 2, "convKernelWidth": 3,
        "hiddenSize": 5, "numLayers": 2, "dropout": 0,
    }),
]


def model_case(kind, name, config):
    if kind in ("lstm", "gru"):
        module = RecurrentModel(kind, config)
    elif kind == "cnn":
        module = CnnModel(config)
    else:
        module = CnnBiLstmModel(config)
    return {
        "kind": kind,
        "name": name,
        "config": config,
        "parameters": [[key, list(p.shape)] for key, p in module.named_parameters()],
        "buffers": [[key, list(b.shape)] for key, b in module.named_buffers()],
        "parameterCount": sum(p.numel() for p in module.parameters()),
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
    models = [model_case(*case) for case in MODEL_CASES]
    path = OUT / "recurrent-models.json"
    path.write_text(json.dumps({"torch": torch.__version__, "models": models}, indent=1) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    for model in models:
        print(f"  {model['kind']} {model['name']}: {model['parameterCount']} parameters")


if __name__ == "__main__":
    main()
