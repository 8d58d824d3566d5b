/**
 * The log-spectrogram of one chosen channel over the visible range, as a heatmap (time across,
 * frequency up): emg2qwerty's `LogSpectrogram` (nFft 64, hop 16, via @emgkit/emg-transforms).
 * When the range holds more hop-16 frames than the plot has pixels, frames are taken further
 * apart (every `hop` samples, each still a 64-sample window), so the cost follows the width of
 * the view rather than the length of the range.
 *
 * Computing happens after the range stops changing (the view schedules it); meanwhile the last
 * image is stretched to where its samples now are, so panning stays smooth.
 */
import { type EmgWindow, SAMPLE_RATE_HZ } from "@emgkit/emg-io";
import { logSpectrogramWith, StftPlan } from "@emgkit/emg-transforms";
import { GUTTER_PX, sampleToX, type ViewRange } from "../app-context.js";
import { channelName } from "./channel-canvas.js";
import { viridis } from "./colormap.js";
import { type Frame, fitCanvas, plotWidth } from "./frame.js";
import { CHANNELS, type LoadedSession } from "./session-loader.js";

export const N_FFT = 64;
export const HOP = 16;
const FREQS = N_FFT / 2 + 1;
const HEIGHT_PX = 2 * FREQS + 2;
/**
 * Frames further apart than this read their windows on their own; closer ones read whole
 * blocks through the sample cache (a block of 32768 samples costs about as much as 60 single
 * windows, measured).
 */
const BLOCKWISE_HOP = 512;

/** Where the frames of a spectrogram of `range` lie: `frames` windows of N_FFT samples, `hop` apart. */
export function spectrogramFrames(
  range: ViewRange,
  length: number,
  columns: number,
): { first: number; hop: number; frames: number } {
  const span = range.end - range.start;
  const hop = Math.max(HOP, Math.ceil(span / Math.max(1, columns)));
  // Frames whose centres cover the range, one hop beyond each end where the session allows.
  const first = Math.max(0, Math.floor(range.start - N_FFT / 2 - hop));
  const last = Math.min(length, Math.ceil(range.end + N_FFT / 2 + hop)) - N_FFT;
  const frames = last < first ? 0 : Math.floor((last - first) / hop) + 1;
  return { first, hop, frames };
}

interface Image {
  canvas: HTMLCanvasElement;
  channel: number;
  range: ViewRange;
  /** Samples covered by the image's first and last column edges. */
  from: number;
  to: number;
  frames: number;
}

export class SpectrogramTrack {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly name: HTMLDivElement;
  private readonly plan = new StftPlan({ nFft: N_FFT, hopLength: N_FFT });
  private image: Image | null = null;
  private windows = new Float32Array(0);
  private readonly window: EmgWindow = {
    time: new Float64Array(N_FFT),
    emg: new Float32Array(N_FFT * CHANNELS),
  };
  channel = 0;
  /** How long the last `compute` took, ms. */
  computeMs = 0;

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "track spectrogram-track";
    this.element.dataset.testid = "spectrogram";
    this.element.style.height = `${HEIGHT_PX}px`;
    this.canvas = document.createElement("canvas");
    this.name = document.createElement("div");
    this.name.className = "track-name";
    this.element.append(this.canvas, this.name);
    this.setChannel(0);
  }

  setChannel(channel: number): void {
    this.channel = channel;
    this.name.textContent = `spectrogram ${channelName(channel)}`;
    this.element.dataset.channel = String(channel);
  }

  /** Forgets the image (a new session). */
  reset(): void {
    this.image = null;
  }

  /** Whether the image shows the frame's range and channel. */
  isCurrent(frame: Frame): boolean {
    const image = this.image;
    return (
      image !== null &&
      image.channel === this.channel &&
      image.range.start === frame.range.start &&
      image.range.end === frame.range.end
    );
  }

  /** Computes the image of the frame's range (takes a few to some tens of ms). */
  compute(frame: Frame): void {
    const t0 = performance.now();
    const { loaded, range, width } = frame;
    const { first, hop, frames } = spectrogramFrames(range, loaded.length, plotWidth(width));
    const canvas = this.image?.canvas ?? document.createElement("canvas");
    this.image = {
      canvas,
      channel: this.channel,
      range: { start: range.start, end: range.end },
      from: first + N_FFT / 2 - hop / 2,
      to: first + N_FFT / 2 + (frames - 1) * hop + hop / 2,
      frames,
    };
    if (frames === 0) return;
    if (this.windows.length < frames * N_FFT) this.windows = new Float32Array(frames * N_FFT);
    const windows = this.windows.subarray(0, frames * N_FFT);
    this.gather(loaded, first, hop, frames, windows);
    const spectrogram = logSpectrogramWith(this.plan, {
      data: windows,
      frames: frames * N_FFT,
      channels: 1,
    });
    paint(canvas, spectrogram.data, frames);
    this.computeMs = performance.now() - t0;
  }

  /** Draws the image where its samples are in the frame's range. */
  draw(frame: Frame): void {
    const { range, width, dpr } = frame;
    const context = fitCanvas(this.canvas, width, HEIGHT_PX, dpr);
    context.clearRect(0, 0, width, HEIGHT_PX);
    context.fillStyle = "#888";
    context.font = "10px system-ui, sans-serif";
    context.textBaseline = "top";
    context.fillText(`${SAMPLE_RATE_HZ / 2000} kHz`, GUTTER_PX - 34, 1);
    context.textBaseline = "bottom";
    context.fillText("0", GUTTER_PX - 12, HEIGHT_PX - 1);
    const image = this.image;
    if (image === null || image.frames === 0 || image.channel !== this.channel) return;
    context.save();
    context.beginPath();
    context.rect(GUTTER_PX, 0, plotWidth(width), HEIGHT_PX);
    context.clip();
    context.imageSmoothingEnabled = false;
    const x0 = sampleToX(image.from, range, width);
    const x1 = sampleToX(image.to, range, width);
    context.drawImage(image.canvas, 0, 0, image.frames, FREQS, x0, 1, x1 - x0, HEIGHT_PX - 2);
    context.restore();
  }

  /** Channel samples of each frame's window, one window after another. */
  private gather(
    loaded: LoadedSession,
    first: number,
    hop: number,
    frames: number,
    out: Float32Array,
  ): void {
    const c = this.channel;
    const cache = loaded.cache;
    for (let f = 0; f < frames; f++) {
      const start = first + f * hop;
      if (hop <= BLOCKWISE_HOP) {
        for (let i = 0; i < N_FFT; i++) {
          const s = start + i;
          const block = Math.floor(s / cache.blockSamples);
          const data = cache.block(block);
          out[f * N_FFT + i] = data[(s - block * cache.blockSamples) * CHANNELS + c] as number;
        }
      } else {
        loaded.session.readInto(start, this.window);
        for (let i = 0; i < N_FFT; i++)
          out[f * N_FFT + i] = this.window.emg[i * CHANNELS + c] as number;
      }
    }
  }
}

/** Colours the spectrogram (frames × freqs) into `canvas` (frames × freqs pixels, low freq at the bottom). */
function paint(canvas: HTMLCanvasElement, values: Float32Array, frames: number): void {
  const { lo, hi } = robustRange(values);
  canvas.width = frames;
  canvas.height = FREQS;
  const context = canvas.getContext("2d");
  if (context === null) return;
  const image = context.createImageData(frames, FREQS);
  const pixels = new Uint32Array(image.data.buffer);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < FREQS; k++) {
      const v = values[f * FREQS + k] as number;
      const level = Number.isFinite(v)
        ? Math.max(0, Math.min(255, Math.round((v - lo) * scale)))
        : 0;
      pixels[(FREQS - 1 - k) * frames + f] = viridis[level] as number;
    }
  }
  context.putImageData(image, 0, 0);
}

/** The 1st and 99.5th percentiles of (a sample of) the values: the colour scale's ends. */
function robustRange(values: Float32Array): { lo: number; hi: number } {
  const stride = Math.max(1, Math.floor(values.length / 8192));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i] as number;
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) return { lo: 0, hi: 1 };
  sample.sort((a, b) => a - b);
  const at = (q: number) =>
    sample[Math.min(sample.length - 1, Math.floor(q * sample.length))] as number;
  return { lo: at(0.01), hi: at(0.995) };
}
