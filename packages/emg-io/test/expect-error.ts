import { expect } from "vitest";
import { EmgIoError } from "../src/errors.js";

/** The message of the EmgIoError that `run` throws (fails the test if it throws anything else). */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EmgIoError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected an EmgIoError");
}
