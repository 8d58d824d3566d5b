/** Reports progress of one long step: `update(done, total)`, then `done()`. */
export interface Progress {
  update(done: number, total: number, detail?: string): void;
  done(): void;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * A one-line bar with count, elapsed time and ETA on stderr. Drawn only when
 * stderr is a terminal (and `enabled`), so logs, pipes and `--json` stay clean.
 */
export function progressBar(label: string, enabled = true): Progress {
  const stream = process.stderr;
  const started = Date.now();
  const draw = enabled && stream.isTTY === true;
  let lastDrawn = 0;
  let drawnOnce = false;
  return {
    update(done, total, detail = "") {
      if (!draw || total <= 0) return;
      const now = Date.now();
      if (now - lastDrawn < 100 && done < total) return;
      lastDrawn = now;
      drawnOnce = true;
      const width = 24;
      const fraction = Math.min(1, done / total);
      const filled = Math.round(fraction * width);
      const elapsed = (now - started) / 1000;
      const eta = done > 0 ? (elapsed / done) * (total - done) : Number.NaN;
      const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
      const line = `${label} [${bar}] ${done}/${total} ${formatSeconds(elapsed)} ETA ${formatSeconds(eta)} ${detail}`;
      stream.write(
        `\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd(Math.min(stream.columns ?? 120, 120) - 1)}`,
      );
    },
    done() {
      if (draw && drawnOnce) stream.write("\n");
    },
  };
}
