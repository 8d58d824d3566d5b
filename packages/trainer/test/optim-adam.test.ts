import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Adam, type AdamOptions, type AdamState } from "../src/optim/adam.js";

interface GoldenTensor {
  shape: number[];
  values: number[];
}
type GoldenTensors = Record<string, GoldenTensor>;
interface AdamCase {
  name: string;
  options: Required<AdamOptions>;
  lrs: number[];
  initial: GoldenTensors;
  grads: GoldenTensors[];
  params: GoldenTensors[];
  state: Record<string, { step: number; expAvg: number[]; expAvgSq: number[] }>;
}
const golden = JSON.parse(
  readFileSync(new URL("./golden/optim-adam.json", import.meta.url), "utf8"),
) as { torch: string; cases: AdamCase[] };

const toTensors = (tensors: GoldenTensors): Record<string, tf.Tensor> =>
  Object.fromEntries(
    Object.entries(tensors).map(([name, t]) => [name, tf.tensor(t.values, t.shape, "float32")]),
  );

/** Fresh named variables holding the case's initial values. */
function makeParams(tensors: GoldenTensors): Array<[string, tf.Variable]> {
  return Object.entries(toTensors(tensors)).map(([name, t]) => {
    const variable = tf.variable(t, true);
    t.dispose();
    return [name, variable];
  });
}

/** Runs steps [from, to) of a case on `params` (gradients keyed by parameter name). */
function runSteps(adam: Adam, golden: AdamCase, from: number, to: number): void {
  for (let step = from; step < to; step++) {
    const grads = toTensors(golden.grads[step] as GoldenTensors);
    adam.apply(grads, golden.lrs[step] as number);
    tf.dispose(Object.values(grads));
  }
}

/**
 * |a - b| <= 1e-6 max|b| elementwise: relative to the tensor's largest value,
 * because PyTorch's CPU kernels fuse `m * beta1 + (1 - beta1) * g` (FMA), so an
 * entry that is a small difference of larger terms may be a few float32 ulps of
 * those terms away (seen: 7e-9 on exp_avg 0.0059 whose terms are ~0.1).
 */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++)
    scale = Math.max(scale, Math.abs(expected[i] as number));
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    expect(Math.abs(a - b), `${what}[${i}]: ${a} vs ${b}`).toBeLessThanOrEqual(1e-6 * scale);
  }
}

const values = (params: Array<[string, tf.Variable]>): Float32Array[] =>
  params.map(([, v]) => (v.dataSync() as Float32Array).slice());

let live: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const thing of live) thing.dispose();
  live = [];
});
function track<T extends { dispose(): void }>(thing: T): T {
  live.push(thing);
  return thing;
}
function trackedParams(tensors: GoldenTensors): Array<[string, tf.Variable]> {
  const params = makeParams(tensors);
  for (const [, v] of params) track(v);
  return params;
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`Adam on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    for (const c of golden.cases) {
      it(`${c.name}: equals torch ${golden.torch} after each of ${c.lrs.length} steps`, () => {
        const params = trackedParams(c.initial);
        const adam = track(new Adam(params, c.options));
        c.lrs.forEach((lr, step) => {
          const grads = toTensors(c.grads[step] as GoldenTensors);
          adam.apply(grads, lr);
          tf.dispose(Object.values(grads));
          for (const [name, variable] of params)
            expectClose(
              variable.dataSync(),
              (c.params[step] as GoldenTensors)[name]?.values ?? [],
              `step ${step + 1} ${name}`,
            );
        });
        const state = adam.state();
        expect(Object.keys(state.params)).toEqual(Object.keys(c.state));
        for (const [name, expected] of Object.entries(c.state)) {
          const got = state.params[name];
          expect(got?.step).toBe(expected.step);
          expectClose(got?.expAvg ?? [], expected.expAvg, `${name} exp_avg`);
          expectClose(got?.expAvgSq ?? [], expected.expAvgSq, `${name} exp_avg_sq`);
        }
      });
    }

    it("state() -> load() into a fresh optimiser resumes bit-exactly", () => {
      const c = golden.cases[1] as AdamCase;
      const split = 3;
      const straight = trackedParams(c.initial);
      const uninterrupted = track(new Adam(straight, c.options));
      runSteps(uninterrupted, c, 0, c.lrs.length);

      const first = trackedParams(c.initial);
      const before = track(new Adam(first, c.options));
      runSteps(before, c, 0, split);
      const state = before.state();
      // A resumed run: new variables from the saved values, a new optimiser from the saved state.
      const resumed = trackedParams(
        Object.fromEntries(
          first.map(([name, v]) => [name, { shape: v.shape, values: [...v.dataSync()] }]),
        ),
      );
      const after = track(new Adam(resumed, c.options));
      after.load(state);
      runSteps(after, c, split, c.lrs.length);
      expect(values(resumed)).toEqual(values(straight));
      expect(after.state()).toEqual(uninterrupted.state());
    });

    it("state() is a copy: changing it or stepping on does not alias", () => {
      const c = golden.cases[0] as AdamCase;
      const adam = track(new Adam(trackedParams(c.initial), c.options));
      runSteps(adam, c, 0, 2);
      const state = adam.state();
      const snapshot = structuredClone(state);
      runSteps(adam, c, 2, 3);
      expect(state).toEqual(snapshot);
      const other = track(new Adam(trackedParams(c.initial), c.options));
      other.load(state);
      const name = Object.keys(state.params)[0] as string;
      (state.params[name] as { expAvg: Float32Array }).expAvg.fill(7);
      expect(other.state()).toEqual(snapshot);
    });

    it("apply and load leak no tensors; dispose releases the moments", () => {
      const c = golden.cases[1] as AdamCase;
      const params = trackedParams(c.initial);
      const start = tf.memory().numTensors;
      const adam = new Adam(params, c.options);
      const withOptimiser = tf.memory().numTensors;
      expect(withOptimiser - start).toBe(2 * params.length);
      const grads = toTensors(c.grads[0] as GoldenTensors);
      const withGrads = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        adam.apply(grads, 1e-2);
        expect(tf.memory().numTensors).toBe(withGrads);
      }
      adam.load(adam.state());
      expect(tf.memory().numTensors).toBe(withGrads);
      tf.dispose(Object.values(grads));
      adam.dispose();
      expect(tf.memory().numTensors).toBe(start);
      expect(() => adam.apply({}, 1e-3)).toThrow(/disposed/);
    });
  });
}

describe("Adam gradients and errors", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
    await tf.ready();
  });

  it("takes tf.variableGrads output (keyed by variable name) or a Map", () => {
    const c = golden.cases[0] as AdamCase;
    const a = trackedParams(c.initial);
    const b = trackedParams(c.initial);
    const byParam = track(new Adam(a, c.options));
    const byVariable = track(new Adam(b, c.options));
    const grads = toTensors(c.grads[0] as GoldenTensors);
    byParam.apply(new Map(Object.entries(grads)), 1e-2);
    byVariable.apply(
      Object.fromEntries(b.map(([name, v]) => [v.name, grads[name] as tf.Tensor])),
      1e-2,
    );
    tf.dispose(Object.values(grads));
    expect(values(b)).toEqual(values(a));

    // End to end: a real loss's gradients from tf.variableGrads.
    const { value, grads: fromTf } = tf.variableGrads(
      () => tf.addN(b.map(([, v]) => tf.sum(tf.square(v)))) as tf.Scalar,
      b.map(([, v]) => v),
    );
    byVariable.apply(fromTf, 1e-2);
    tf.dispose([value, ...Object.values(fromTf)]);
    expect(Object.values(byVariable.state().params).map((p) => p.step)).toEqual([2, 2, 2, 2]);
  });

  it("skips parameters without a gradient, as PyTorch skips grad None", () => {
    const c = golden.cases[0] as AdamCase;
    const params = trackedParams(c.initial);
    const adam = track(new Adam(params, c.options));
    const initial = values(params);
    const [first] = params[0] as [string, tf.Variable];
    const grad = tf.tensor(
      (c.grads[0] as GoldenTensors)[first]?.values ?? [],
      params[0]?.[1].shape,
    );
    adam.apply({ [first]: grad }, 1e-2);
    grad.dispose();
    const after = values(params);
    expect(after[0]).not.toEqual(initial[0]);
    expect(after.slice(1)).toEqual(initial.slice(1));
    expect(Object.values(adam.state().params).map((p) => p.step)).toEqual([1, 0, 0, 0]);
  });

  it("rejects unknown, duplicate, misshapen or non-float gradients and bad lrs in one line", () => {
    const c = golden.cases[0] as AdamCase;
    const params = trackedParams(c.initial);
    const adam = track(new Adam(params, c.options));
    const [name, variable] = params[0] as [string, tf.Variable];
    const good = track(tf.zeros(variable.shape));
    const wrong = track(tf.zeros([7]));
    const ints = track(tf.zeros(variable.shape, "int32"));
    expect(() => adam.apply({ nope: good }, 1e-3)).toThrow(
      'Adam.apply: gradient "nope" matches no parameter',
    );
    expect(() => adam.apply({ [name]: good, [variable.name]: good }, 1e-3)).toThrow(
      `two gradients for parameter "${name}"`,
    );
    expect(() => adam.apply({ [name]: wrong }, 1e-3)).toThrow(
      `gradient for "${name}" has shape [7], the parameter [3,4]`,
    );
    expect(() => adam.apply({ [name]: ints }, 1e-3)).toThrow("int32, not float32");
    expect(() => adam.apply({ [name]: good }, Number.NaN)).toThrow("lr must be");
    expect(() => adam.apply({ [name]: good }, -1)).toThrow("lr must be");
    expect(adam.state().params[name]?.step).toBe(0);
  });

  it("rejects bad options and duplicate parameters", () => {
    const c = golden.cases[0] as AdamCase;
    const params = trackedParams(c.initial);
    expect(() => new Adam(params, { betas: [1, 0.999] })).toThrow("beta1 must be in [0, 1)");
    expect(() => new Adam(params, { eps: -1 })).toThrow("eps must be >= 0");
    expect(() => new Adam(params, { weightDecay: Number.NaN })).toThrow("weightDecay");
    expect(() => new Adam([params[0], params[0]] as Array<[string, tf.Variable]>)).toThrow(
      "appears twice",
    );
    expect(() => new Adam([params[0], ["other", params[0]?.[1]]] as never)).toThrow(
      "already listed under another name",
    );
  });

  it("load() rejects a state that does not fit, naming the parameter, and changes nothing", () => {
    const c = golden.cases[0] as AdamCase;
    const params = trackedParams(c.initial);
    const adam = track(new Adam(params, c.options));
    runSteps(adam, c, 0, 2);
    const good = adam.state();
    const [name, variable] = params[1] as [string, tf.Variable];
    const edit = (change: (state: AdamState) => void): AdamState => {
      const state = structuredClone(good);
      change(state);
      return state;
    };
    const cases: Array<[AdamState, string]> = [
      [edit((s) => delete s.params[name]), `Adam.load: state has no entry for parameter "${name}"`],
      [
        edit((s) => {
          s.params.extra = s.params[name] as never;
        }),
        'Adam.load: state has parameter "extra", which this optimiser does not',
      ],
      [
        edit((s) => {
          (s.params[name] as { expAvg: Float32Array }).expAvg = new Float32Array(3);
        }),
        `Adam.load: expAvg of parameter "${name}" has 3 values, the parameter [${variable.shape}] has ${variable.size}`,
      ],
      [
        edit((s) => {
          (s.params[name] as { step: number }).step = 1.5;
        }),
        `Adam.load: parameter "${name}" has step 1.5`,
      ],
      [
        edit((s) => {
          s.eps = 1e-6;
        }),
        "Adam.load: state has eps 0.000001, this optimiser has 1e-8",
      ],
      [
        edit((s) => {
          s.betas = [0.8, 0.999];
        }),
        "Adam.load: state has beta1 0.8, this optimiser has 0.9",
      ],
    ];
    runSteps(adam, c, 2, 3);
    const current = adam.state();
    for (const [state, message] of cases) {
      expect(() => adam.load(state)).toThrow(message);
      expect(message).not.toContain("\n");
    }
    expect(adam.state()).toEqual(current);
  });
});
