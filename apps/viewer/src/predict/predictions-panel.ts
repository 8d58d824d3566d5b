/**
 * The predictions panel: pick or drop a model, run it over the visible range or the whole
 * session in the browser (wasm), and show its emissions as a heatmap, its greedy and beam
 * decodings under the ground truth with the edit operations coloured, and the range's CER.
 */
import { CTCBeamDecoder } from "@emgkit/ctc";
import type { KeyName } from "@emgkit/emg-io";
import * as tf from "@tensorflow/tfjs-core";
import { type AppContext, GUTTER_PX, type ViewRange } from "../app-context.js";
import type { AlignmentSpan } from "./alignment.js";
import { acceptPanelDrops, el, injectStyles, yieldToPage } from "./dom.js";
import {
  currentLm,
  currentModel,
  describeModel,
  findServedModels,
  type LmChoice,
  type LoadedModel,
  loadLm,
  loadModel,
  loadServedModel,
  type ModelChoice,
  setCurrentModel,
} from "./model-store.js";
import {
  decodeInChunks,
  greedyText,
  type RangeEmissions,
  rangeTruth,
  runRange,
  type ScoredDecoding,
  scoreDecoding,
} from "./range-run.js";
import { DEFAULT_BEAM_SETTINGS } from "./run-config.js";
import {
  describeColumn,
  drawTracks,
  paintHeatmap,
  SPAN_COLOURS,
  shownChar,
  type TrackRow,
} from "./tracks.js";

/** What the last run measured (read by the browser measurements through `window.__emgkitPredict`). */
export interface RunReport {
  model: string;
  samples: number;
  frames: number;
  emissions: number;
  featureMs: number;
  modelMs: number;
  totalMs: number;
  beamMs: number | null;
  tensorsBefore: number;
  tensorsAfter: number;
  greedyCER: number | null;
  beamCER: number | null;
}

interface Results {
  result: RangeEmissions;
  truth: ReturnType<typeof rangeTruth>;
  decodings: Array<{ name: string; scored: ScoredDecoding }>;
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtTime = (samples: number) => {
  const seconds = samples / 2000;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, "0")}`;
};

export class PredictionsPanel {
  readonly element: HTMLDivElement;
  private readonly modelSelect = el("select", { testid: "predict-model" });
  private readonly modelInfo = el("span", {
    className: "predict-info",
    testid: "predict-model-info",
  });
  private readonly rangeSelect = el("select", { testid: "predict-range" });
  private readonly beamBox = el("input");
  private readonly beamSize = el("input");
  private readonly lmSelect = el("select", { testid: "predict-lm" });
  private readonly lmWeight = el("input");
  private readonly runButton = el("button", { text: "Run", testid: "predict-run" });
  private readonly cancelButton = el("button", { text: "Cancel" });
  private readonly progress = el("progress", { className: "predict-progress" });
  private readonly status = el("span", { className: "predict-muted", testid: "predict-status" });
  private readonly summary = el("div", { className: "predict-info predict-summary" });
  private readonly heatmapWrap = el("div", { className: "predict-heatmap" });
  private readonly heatmap = el("canvas", { testid: "predict-heatmap" });
  private readonly tracksWrap = el("div", { className: "predict-tracks" });
  private readonly tracks = el("canvas", { testid: "predict-tracks" });
  private readonly legend = el("div", { className: "predict-legend" });
  private readonly rates = el("table", { className: "predict-rates", testid: "predict-rates" });
  private readonly aligned = el("div", { className: "predict-aligned" });
  private readonly alignedBox = el("details");
  private readonly empty = el("div", { className: "predict-empty" });
  private choices: ModelChoice[] = [];
  private lmChoices: LmChoice[] = [];
  private results: Results | null = null;
  private abort: AbortController | null = null;
  private drawPending = false;
  report: RunReport | null = null;

  constructor(private readonly context: AppContext) {
    injectStyles();
    this.element = el("div", { className: "predict-box", testid: "predictions" });
    const fileInput = el("input");
    fileInput.type = "file";
    fileInput.multiple = true;
    fileInput.accept = ".safetensors,.yaml,.yml,.arpa,.gz";
    fileInput.hidden = true;
    fileInput.addEventListener("change", () => {
      void this.takeFiles([...(fileInput.files ?? [])]);
      fileInput.value = "";
    });
    const fileButton = el(
      "label",
      {
        className: "predict-file",
        title: "a .safetensors model, with its run's config.yaml; or an .arpa language model",
      },
      "Load file…",
      fileInput,
    );
    this.rangeSelect.append(
      new Option("visible range", "visible"),
      new Option("whole session", "all"),
    );
    this.beamBox.type = "checkbox";
    this.beamBox.checked = true;
    this.beamSize.type = "number";
    this.beamSize.min = "1";
    this.beamSize.value = String(DEFAULT_BEAM_SETTINGS.beamSize);
    this.lmWeight.type = "number";
    this.lmWeight.step = "0.1";
    this.lmWeight.value = String(DEFAULT_BEAM_SETTINGS.lmWeight);
    this.lmSelect.append(new Option("no LM", ""));
    this.cancelButton.hidden = true;
    this.progress.hidden = true;
    this.progress.max = 1;
    this.runButton.addEventListener("click", () => void this.run());
    this.cancelButton.addEventListener("click", () => this.abort?.abort());
    this.modelSelect.addEventListener("change", () => void this.pickServed());
    this.lmSelect.addEventListener("change", () => void this.pickLm());

    const modelBar = el(
      "div",
      { className: "predict-bar" },
      el("span", { className: "predict-title", text: "Model" }),
      this.modelSelect,
      fileButton,
      this.modelInfo,
    );
    const runBar = el(
      "div",
      { className: "predict-bar" },
      el("label", {}, "over ", this.rangeSelect),
      el(
        "label",
        { title: "prefix beam search (emg2qwerty's CTCBeamDecoder)" },
        this.beamBox,
        " beam",
      ),
      el("label", {}, "size ", this.beamSize),
      el("label", {}, "LM ", this.lmSelect),
      el("label", {}, "weight ", this.lmWeight),
      this.runButton,
      this.cancelButton,
      this.progress,
      this.status,
    );
    this.heatmapWrap.append(
      this.heatmap,
      el("span", { className: "predict-gutter-label", text: "emissions" }),
      el("span", { className: "predict-gutter-label", text: "blank ▸" }),
    );
    const [title, blank] = [
      ...this.heatmapWrap.querySelectorAll<HTMLElement>(".predict-gutter-label"),
    ];
    if (title) title.style.top = "4px";
    if (blank) blank.style.bottom = "0";
    this.heatmap.addEventListener("mousemove", (event) => this.hover(event));
    this.tracksWrap.append(this.tracks);
    this.legend.append(
      ...(
        [
          ["substitution", "substituted (SER)"],
          ["deletion", "extra: deletion (DER)"],
          ["insertion", "missed: insertion (IER)"],
        ] as const
      ).map(([kind, text]) => {
        const swatch = el("span", { className: "predict-swatch" });
        swatch.style.background = SPAN_COLOURS[kind] ?? "transparent";
        return el("span", {}, swatch, text);
      }),
      el("span", {
        className: "predict-muted",
        text: "characters at their emission frame; missed ones at their key press",
      }),
    );
    this.alignedBox.append(el("summary", { text: "Aligned text" }), this.aligned);
    this.element.append(
      modelBar,
      runBar,
      this.summary,
      this.empty,
      this.heatmapWrap,
      this.tracksWrap,
      this.legend,
      this.rates,
      this.alignedBox,
    );
    this.showResults(false);
    this.empty.textContent =
      context.files === null
        ? "Drop a model (.safetensors, with its run's config.yaml) here, or use “Load file…”."
        : "Pick a run or model above, or drop a .safetensors (with its config.yaml) here.";
    acceptPanelDrops(this.element, (files) => void this.takeFiles(files));

    currentModel.subscribe((loaded) => this.onModel(loaded));
    currentLm.subscribe(() => this.syncLmSelect());
    context.session.subscribe(() => {
      this.abort?.abort();
      this.results = null;
      this.showResults(false);
      this.summary.textContent = "";
    });
    context.range.subscribe(() => this.requestDraw());
    new ResizeObserver(() => this.requestDraw()).observe(this.element);
    void this.listServed();
  }

  /** Fills the model picker from the served folder. */
  private async listServed(): Promise<void> {
    this.modelSelect.replaceChildren(new Option("— choose a run or model —", ""));
    if (this.context.files === null) {
      this.modelSelect.hidden = true;
      return;
    }
    const { models, lms } = await findServedModels(this.context.files);
    this.choices = models;
    this.lmChoices = lms;
    for (const [i, choice] of models.entries()) {
      this.modelSelect.append(new Option(choice.label, String(i)));
    }
    if (models.length === 0) this.modelSelect.append(new Option("(no runs served)", ""));
    this.syncLmSelect();
  }

  private syncLmSelect(): void {
    const current = currentLm.get();
    this.lmSelect.replaceChildren(new Option("no LM", ""));
    for (const [i, choice] of this.lmChoices.entries()) {
      this.lmSelect.append(new Option(choice.label, `served:${i}`));
    }
    if (current !== null && !this.lmChoices.some((choice) => choice.label === current.name)) {
      this.lmSelect.append(new Option(current.name, "dropped"));
    }
    const index = this.lmChoices.findIndex((choice) => choice.label === current?.name);
    this.lmSelect.value = current === null ? "" : index >= 0 ? `served:${index}` : "dropped";
  }

  private async pickServed(): Promise<void> {
    const choice = this.choices[Number(this.modelSelect.value)];
    const files = this.context.files;
    if (choice === undefined || this.modelSelect.value === "" || files === null) return;
    await this.loading(choice.label, () => loadServedModel(files, choice));
  }

  private async pickLm(): Promise<void> {
    const value = this.lmSelect.value;
    if (value === "") {
      currentLm.set(null);
      return;
    }
    if (!value.startsWith("served:") || this.context.files === null) return;
    const choice = this.lmChoices[Number(value.slice("served:".length))];
    if (choice === undefined) return;
    this.setStatus(`Reading ${choice.label}…`);
    try {
      const lm = await loadLm(choice.label, await this.context.files.read(choice.path));
      currentLm.set({ name: choice.label, lm });
      this.setStatus(`LM ${choice.label}: order ${lm.order}`);
    } catch (error) {
      currentLm.set(null);
      this.setStatus((error as Error).message, true);
    }
  }

  /** Dropped or picked files: a model (with a config.yaml), and/or a language model. */
  private async takeFiles(files: File[]): Promise<void> {
    const weights = files.find((file) => /\.safetensors$/i.test(file.name));
    const config = files.find((file) => /\.ya?ml$/i.test(file.name));
    const arpa = files.find((file) => /\.arpa(\.gz)?$/i.test(file.name));
    if (arpa !== undefined) {
      this.setStatus(`Reading ${arpa.name}…`);
      try {
        const lm = await loadLm(arpa.name, await arpa.arrayBuffer());
        currentLm.set({ name: arpa.name, lm });
        this.setStatus(`LM ${arpa.name}: order ${lm.order}`);
      } catch (error) {
        this.setStatus((error as Error).message, true);
      }
    }
    if (weights !== undefined) {
      const configText = config === undefined ? null : await config.text();
      await this.loading(weights.name, async () =>
        loadModel(weights.name, await weights.arrayBuffer(), configText),
      );
    } else if (config !== undefined) {
      this.setStatus("A config.yaml alone: drop it together with its .safetensors.", true);
    } else if (arpa === undefined) {
      this.setStatus("Drop a .safetensors model (and its config.yaml) or an .arpa LM.", true);
    }
  }

  private async loading(name: string, load: () => Promise<LoadedModel>): Promise<void> {
    this.abort?.abort();
    this.setStatus(`Loading ${name}…`);
    this.runButton.disabled = true;
    try {
      const loaded = await load();
      setCurrentModel(loaded);
      this.setStatus(`Loaded ${name}.`);
    } catch (error) {
      this.setStatus(`Cannot load ${name}: ${(error as Error).message}`, true);
    } finally {
      this.runButton.disabled = false;
    }
  }

  private onModel(loaded: LoadedModel | null): void {
    this.abort?.abort();
    this.results = null;
    this.showResults(false);
    this.summary.textContent = "";
    this.modelInfo.textContent = loaded === null ? "" : describeModel(loaded);
    if (loaded === null) return;
    const beam = loaded.run?.beam;
    this.beamSize.value = String(beam?.beamSize ?? DEFAULT_BEAM_SETTINGS.beamSize);
    this.lmWeight.value = String(beam?.lmWeight ?? DEFAULT_BEAM_SETTINGS.lmWeight);
    const index = this.choices.findIndex((choice) => choice.label === loaded.name);
    this.modelSelect.value = index >= 0 ? String(index) : "";
    this.empty.textContent = "Press Run to decode the visible range (or the whole session).";
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.className = error ? "predict-error" : "predict-muted";
  }

  private showResults(visible: boolean): void {
    this.empty.hidden = visible;
    for (const part of [
      this.heatmapWrap,
      this.tracksWrap,
      this.legend,
      this.rates,
      this.alignedBox,
    ]) {
      part.hidden = !visible;
    }
  }

  /** Runs the model over the chosen range (or `over`), then decodes (greedy, then beam). */
  async run(over?: ViewRange): Promise<RunReport | null> {
    const loaded = currentModel.get();
    const open = this.context.session.get();
    if (loaded === null) {
      this.setStatus("Load a model first.", true);
      return null;
    }
    if (open === null) {
      this.setStatus("Open a session first.", true);
      return null;
    }
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const { session } = open;
    const range: ViewRange =
      over ??
      (this.rangeSelect.value === "all"
        ? { start: 0, end: session.length }
        : this.context.range.get());
    const samples = range.end - range.start;
    this.runButton.disabled = true;
    this.cancelButton.hidden = false;
    this.progress.hidden = false;
    this.progress.value = 0;
    const tensorsBefore = tf.memory().numTensors;
    try {
      this.setStatus(`Running ${loaded.model.kind} over ${fmtTime(samples)}…`);
      const result = await runRange(loaded.model, session, range, loaded.spec, {
        signal: abort.signal,
        pause: yieldToPage,
        onProgress: (done, total) => {
          this.progress.value = done / total;
        },
      });
      const truth = rangeTruth(session, result);
      const greedy = scoreDecoding(greedyText(result), truth, result);
      this.results = { result, truth, decodings: [{ name: "greedy", scored: greedy }] };
      this.showResults(true);
      this.renderNumbers();
      this.requestDraw();
      let beamMs: number | null = null;
      let beamCER: number | null = null;
      if (this.beamBox.checked) {
        this.setStatus("Beam search…");
        this.progress.value = 0;
        const t0 = performance.now();
        const settings = loaded.run?.beam ?? DEFAULT_BEAM_SETTINGS;
        const lm = currentLm.get()?.lm ?? null;
        const decoder = new CTCBeamDecoder({
          beamSize: Math.max(1, Math.round(Number(this.beamSize.value) || settings.beamSize)),
          maxLabelsPerTimestep: settings.maxLabelsPerTimestep,
          lm,
          lmWeight: Number(this.lmWeight.value),
          insertionBonus: settings.insertionBonus,
          deleteKey: settings.deleteKey as KeyName | null,
        });
        let decodedFrames = 0;
        const decoded = await decodeInChunks(decoder, result, {
          signal: abort.signal,
          pause: async () => {
            decodedFrames += 500;
            this.progress.value = Math.min(1, decodedFrames / Math.max(1, result.count));
            await yieldToPage();
          },
        });
        beamMs = performance.now() - t0;
        const scored = scoreDecoding(decoded, truth, result);
        beamCER = scored.rates?.CER ?? null;
        this.results.decodings.push({ name: lm === null ? "beam" : "beam+LM", scored });
        this.renderNumbers();
        this.requestDraw();
      }
      const tensorsAfter = tf.memory().numTensors;
      this.report = {
        model: loaded.name,
        samples,
        frames: result.frames,
        emissions: result.count,
        featureMs: result.featureMs,
        modelMs: result.modelMs,
        totalMs: result.totalMs,
        beamMs,
        tensorsBefore,
        tensorsAfter,
        greedyCER: greedy.rates?.CER ?? null,
        beamCER,
      };
      this.renderSummary(result, beamMs, tensorsBefore, tensorsAfter);
      this.setStatus("");
      return this.report;
    } catch (error) {
      if (abort.signal.aborted) this.setStatus("Cancelled.");
      else this.setStatus(`The run failed: ${(error as Error).message}`, true);
      return null;
    } finally {
      if (this.abort === abort) this.abort = null;
      this.runButton.disabled = false;
      this.cancelButton.hidden = true;
      this.progress.hidden = true;
    }
  }

  private renderSummary(
    result: RangeEmissions,
    beamMs: number | null,
    tensorsBefore: number,
    tensorsAfter: number,
  ): void {
    const seconds = (result.end - result.start) / 2000;
    const parts = [
      `${fmtTime(result.start)}–${fmtTime(result.end)} (${seconds.toFixed(1)} s)`,
      `${result.frames} frames → ${result.count} emissions`,
      `features ${fmtMs(result.featureMs)}`,
      `model ${fmtMs(result.modelMs)} (${((result.modelMs / 1000 / seconds) * 100).toFixed(1)}% of real time)`,
      `total ${fmtMs(result.totalMs)}`,
    ];
    if (beamMs !== null) parts.push(`beam ${fmtMs(beamMs)}`);
    if (!result.exact) parts.push("run in windows of 33 s with 4 s of context (approximate)");
    if (tensorsAfter !== tensorsBefore)
      parts.push(`⚠ ${tensorsAfter - tensorsBefore} tensors left`);
    this.summary.textContent = parts.join(" · ");
  }

  /** The rates table and the aligned text. */
  private renderNumbers(): void {
    const results = this.results;
    if (results === null) return;
    const head = el(
      "tr",
      {},
      ...["decoder", "CER", "IER", "DER", "SER", "edits", "text"].map((t) => el("th", { text: t })),
    );
    const rows = results.decodings.map(({ name, scored }) => {
      const counts = { sub: 0, ins: 0, del: 0 };
      for (const span of scored.spans) {
        if (span.kind === "substitution") counts.sub++;
        else if (span.kind === "insertion") counts.ins++;
        else if (span.kind === "deletion") counts.del++;
      }
      const pct = (value: number | undefined) =>
        value === undefined ? "–" : `${value.toFixed(1)}%`;
      return el(
        "tr",
        {},
        el("td", { text: name }),
        el("td", { text: pct(scored.rates?.CER) }),
        el("td", { text: pct(scored.rates?.IER) }),
        el("td", { text: pct(scored.rates?.DER) }),
        el("td", { text: pct(scored.rates?.SER) }),
        el("td", { text: `${counts.ins + counts.del + counts.sub}` }),
        el("td", {
          text: `${[...scored.prediction.text].length} / ${[...results.truth.text].length} chars`,
        }),
      );
    });
    this.rates.replaceChildren(head, ...rows);
    if (results.truth.text.length === 0) {
      this.rates.append(
        el("tr", {}, el("td", { text: "no ground truth in this range: rates undefined" })),
      );
    }
    this.aligned.replaceChildren(
      ...results.decodings.flatMap(({ name, scored }) => [
        el("h4", { text: name }),
        alignedText(scored.spans),
      ]),
      el("h4", { text: "ground truth" }),
      el("div", { text: results.truth.text }),
    );
  }

  requestDraw(): void {
    if (this.drawPending) return;
    this.drawPending = true;
    requestAnimationFrame(() => {
      this.drawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    const results = this.results;
    if (results === null) return;
    const width = this.element.clientWidth;
    if (width <= GUTTER_PX) return;
    const range = this.context.range.get();
    if (range.end <= range.start) return;
    paintHeatmap(this.heatmap, results.result, range, width);
    const rows: TrackRow[] = [
      { label: "truth", text: results.truth },
      ...results.decodings.map(({ name, scored }) => ({
        label: `${name} ${scored.rates ? `${scored.rates.CER.toFixed(1)}%` : ""}`.trim(),
        spans: scored.spans,
      })),
    ];
    drawTracks(this.tracks, rows, range, width, results.result);
  }

  private hover(event: MouseEvent): void {
    const results = this.results;
    if (results === null) return;
    const box = this.heatmap.getBoundingClientRect();
    const x = event.clientX - box.left;
    if (x < GUTTER_PX) {
      this.heatmap.title = "";
      return;
    }
    const range = this.context.range.get();
    const sample =
      range.start + ((x - GUTTER_PX) / (box.width - GUTTER_PX)) * (range.end - range.start);
    this.heatmap.title = `${fmtTime(sample)} · ${describeColumn(sample, results.result)}`;
  }
}

/** A decoding as inline text, its edit operations marked. */
function alignedText(spans: readonly AlignmentSpan[]): HTMLDivElement {
  const out = el("div");
  const MAX = 20_000;
  let plain = "";
  const flush = () => {
    if (plain !== "") out.append(plain);
    plain = "";
  };
  for (const span of spans.slice(0, MAX)) {
    if (span.kind === "match") {
      plain += span.predicted ?? "";
      continue;
    }
    flush();
    if (span.kind === "substitution") {
      out.append(
        el("span", {
          className: "sub",
          text: span.predicted,
          title: `truth: ${shownChar(span.target ?? "")}`,
        }),
      );
    } else if (span.kind === "deletion") {
      out.append(el("span", { className: "del", text: span.predicted, title: "extra (deletion)" }));
    } else {
      out.append(el("span", { className: "ins", text: span.target, title: "missed (insertion)" }));
    }
  }
  flush();
  if (spans.length > MAX) out.append(` … (${spans.length - MAX} more)`);
  return out;
}
