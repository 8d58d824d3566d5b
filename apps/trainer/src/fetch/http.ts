import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { CliError } from "../errors.js";

/** Redirects followed before giving up (wget and curl use 20; S3 needs none or one). */
const MAX_REDIRECTS = 10;

/** A failure that may pass if the request is made again (dropped connection, stall, 502/503/504). */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransientError";
  }
}

/** The answer to a GET once redirects are followed: the response and the URL that gave it. */
export interface OpenedResponse {
  response: IncomingMessage;
  url: string;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed (no network?)",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ERR_STREAM_PREMATURE_CLOSE: "connection closed early",
};

/** Errors worth a retry: the server was reached, or the network hiccuped. */
const TRANSIENT_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ERR_STREAM_PREMATURE_CLOSE"]);

/** A short human reason for a socket/stream error ("connection refused"). */
export function networkReason(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code !== undefined && NETWORK_REASONS[code] !== undefined) return NETWORK_REASONS[code];
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/** Wraps a socket/stream error as TransientError (retry) or CliError (give up). */
export function classifyNetworkError(error: unknown, url: string): Error {
  if (error instanceof CliError || error instanceof TransientError) return error;
  const code = (error as { code?: string } | null)?.code;
  const reason = networkReason(error);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return new TransientError(reason);
  if (error instanceof Error && error.message === "aborted") return new TransientError(reason);
  return new CliError(`cannot download ${url}: ${reason}`);
}

function get(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers }, resolve);
    request.on("error", reject);
    // Idle timeout: no bytes for timeoutMs, before or during the body.
    request.setTimeout(timeoutMs, () => {
      const error = Object.assign(new Error(`no data for ${Math.round(timeoutMs / 1000)} s`), {
        code: "ETIMEDOUT",
      });
      request.destroy(error);
    });
  });
}

/**
 * GET `url` with `headers`, following redirects (relative ones too). Resolves
 * with the first non-redirect response, whatever its status; the caller reads
 * or discards its body. Network failures come back as TransientError or
 * CliError (see classifyNetworkError).
 */
export async function openUrl(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<OpenedResponse> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw new CliError(`not a valid URL: ${current}`, 2);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new CliError(`cannot download ${current}: only http and https URLs are supported`, 2);
    }
    let response: IncomingMessage;
    try {
      response = await get(parsed, headers, timeoutMs);
    } catch (error) {
      throw classifyNetworkError(error, current);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && status !== 304 && location !== undefined) {
      response.resume();
      current = new URL(location, parsed).href;
      continue;
    }
    return { response, url: current };
  }
  throw new CliError(`cannot download ${url}: more than ${MAX_REDIRECTS} redirects`);
}

/** The error for a response status that is not what a download wants. */
export function httpStatusError(status: number, statusMessage: string | undefined, url: string) {
  const text = `HTTP ${status}${statusMessage ? ` ${statusMessage}` : ""}`;
  if (status === 502 || status === 503 || status === 504) return new TransientError(text);
  return new CliError(`cannot download ${url}: ${text}`);
}
