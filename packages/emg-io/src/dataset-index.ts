/** One session file of a dataset folder. */
export interface SessionSummary {
  path: string;
  sessionName: string;
  user: string;
  condition: string;
  durationMins: number;
  numSamples: number;
  numKeystrokes: number;
  numPrompts: number;
}

/** Per-user totals, as emg2qwerty's `print_dataset_stats` groups them. */
export interface UserSummary {
  user: string;
  sessions: number;
  durationHours: number;
  keystrokes: number;
}

/** A scanned dataset folder: its sessions, per-user and overall totals, unreadable files. */
export interface DatasetIndex {
  sessions: SessionSummary[];
  /** Most sessions first (ties by user id). */
  users: UserSummary[];
  totals: {
    users: number;
    sessions: number;
    durationHours: number;
    keystrokes: number;
    prompts: number;
  };
  /** One line per file that could not be read as a session. */
  errors: string[];
}

/** Groups session summaries into the statistics emg2qwerty prints for a dataset. */
export function summarizeSessions(sessions: SessionSummary[], errors: string[] = []): DatasetIndex {
  const byUser = new Map<string, UserSummary>();
  for (const s of sessions) {
    const user = byUser.get(s.user) ?? {
      user: s.user,
      sessions: 0,
      durationHours: 0,
      keystrokes: 0,
    };
    user.sessions += 1;
    user.durationHours += s.durationMins / 60;
    user.keystrokes += s.numKeystrokes;
    byUser.set(s.user, user);
  }
  const users = [...byUser.values()].sort(
    (a, b) => b.sessions - a.sessions || a.user.localeCompare(b.user),
  );
  const sum = (pick: (s: SessionSummary) => number) =>
    sessions.reduce((total, s) => total + pick(s), 0);
  return {
    sessions,
    users,
    totals: {
      users: users.length,
      sessions: sessions.length,
      durationHours: sum((s) => s.durationMins) / 60,
      keystrokes: sum((s) => s.numKeystrokes),
      prompts: sum((s) => s.numPrompts),
    },
    errors,
  };
}

/** The index as a plain-text report: a per-user table, then the dataset summary. */
export function formatDatasetIndex(index: DatasetIndex): string {
  const header = ["user", "count", "duration_hours", "num_keystrokes"];
  const rows = index.users.map((u) => [
    u.user,
    String(u.sessions),
    u.durationHours.toFixed(2),
    String(u.keystrokes),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join("  ");
  const { totals } = index;
  return [
    line(header),
    ...rows.map(line),
    "",
    "Dataset Summary:",
    `Num users = ${totals.users}`,
    `Num sessions = ${totals.sessions}`,
    `Total duration = ${totals.durationHours.toFixed(2)} hours`,
    `Total keystrokes = ${totals.keystrokes}`,
    `Total prompts = ${totals.prompts}`,
    ...(index.errors.length > 0
      ? ["", `Unreadable files (${index.errors.length}):`, ...index.errors]
      : []),
  ].join("\n");
}
