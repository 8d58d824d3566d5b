import { register } from "node:module";

/**
 * tfjs-core's gradient registrations live in its ESM sources, whose
 * extension-less relative imports plain Node cannot resolve; this hook
 * retries them with `.js` and `/index.js` (bundlers do the same).
 */
export async function registerGradients(): Promise<void> {
  const hook = `export async function resolve(specifier, context, next) {
    try { return await next(specifier, context); } catch (error) {
      if (!specifier.startsWith(".") || !context.parentURL?.includes("/@tensorflow/")) throw error;
      for (const suffix of [".js", "/index.js"]) {
        try { return await next(specifier + suffix, context); } catch {}
      }
      throw error;
    }
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  await import("@tensorflow/tfjs-core/dist/register_all_gradients");
}
