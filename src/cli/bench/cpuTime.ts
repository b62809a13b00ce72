/** CPU-time measurement helpers: the bench machine is shared, so wall time lies. */
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by this process. */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU seconds used by reaped child processes (Linux /proc/self/stat cutime +
 * cstime, in clock ticks of 1/100 s), or null where unavailable.
 */
export function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); cutime/cstime are fields 16/17.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}
