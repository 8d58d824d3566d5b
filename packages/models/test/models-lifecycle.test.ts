import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { modelKinds } from "../src/models/registry.js";
import { createTinyModel } from "./tiny-models.js";

describe("model lifecycle", () => {
  it.each([...modelKinds])(
    "%s: creating and disposing a model leaves no tensor behind",
    async (kind) => {
      await tf.setBackend("cpu");
      const before = tf.memory().numTensors;
      const model = createTinyModel(kind, 4);
      expect(tf.memory().numTensors).toBeGreaterThan(before);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
