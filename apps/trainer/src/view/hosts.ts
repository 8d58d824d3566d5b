/**
 * Which hosts are this machine only. `emgkit view` listens on a loopback address by default;
 * there it also refuses requests whose `Host` header names another host, so a web page that
 * rebinds its own domain name to 127.0.0.1 (DNS rebinding) cannot read the served folder.
 */
import { isIPv4, isIPv6 } from "node:net";

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** True for `localhost` (and `*.localhost`), 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(host: string): boolean {
  const name = unbracket(host.trim().toLowerCase()).replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIPv4(name)) return name.startsWith("127.");
  if (isIPv6(name)) return name === "::1" || /^(0{0,4}:){7}0{0,3}1$/.test(name);
  return false;
}

/** The host name of a `Host` header (`127.0.0.1:8765` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
export function hostHeaderName(header: string): string {
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    return end < 0 ? header : header.slice(0, end + 1);
  }
  const colon = header.indexOf(":");
  return colon < 0 ? header : header.slice(0, colon);
}

/** The host to put in a URL for a listening address (`::1` → `[::1]`; `0.0.0.0` → `127.0.0.1`). */
export function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIPv6(host) ? `[${host}]` : host;
}
