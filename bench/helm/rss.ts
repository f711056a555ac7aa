// Resident memory of this process from /proc (Linux): now, and the peak so far (VmHWM).
export function rssNow(): number {
  return Deno.memoryUsage().rss;
}

export function rssPeak(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return rssNow();
}

export const MiB = (n: number) => (n / (1024 * 1024)).toFixed(1);
