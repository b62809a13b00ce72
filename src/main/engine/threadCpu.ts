/**
 * CPU time of the calling thread (Linux /proc/thread-self): what a machine's
 * worker reports in its status and what the benchmarks time a thread by — the
 * machine is shared, so wall time lies.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc (USER_HZ). */
const USER_HZ = 100;

/** The scheduler's run time of this thread in ns (/proc/thread-self/schedstat), or null where unavailable. */
export function threadSchedNs(): number | null {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(ns) && ns > 0 ? ns : null;
  } catch {
    return null;
  }
}

/** CPU time of this thread in ms: the scheduler's run time, else utime + stime ticks (10 ms), or null. */
export function threadCpuMs(): number | null {
  const ns = threadSchedNs();
  if (ns !== null) return ns / 1e6;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}
