/** Session names in emg2qwerty's form: `<yyyy-mm-dd>-<unix start>-keystrokes-sim@<user>`. */
export function sessionName(startTime: number, userId: string): string {
  const date = new Date(startTime * 1000).toISOString().slice(0, 10);
  return `${date}-${Math.floor(startTime)}-keystrokes-sim@${userId}`;
}
