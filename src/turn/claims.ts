/**
 * Who holds a claim on a reply or a notification: a sender's name is `host:pid:random`, made once per process. A
 * server that restarts on the same machine can tell its dead predecessor's claims from those of live servers, and give
 * them back at start instead of waiting for them to run out.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** This process's sender name on `host`. */
export function senderName(host: string, pid: number): string {
  return `${host}:${pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * The owners among `owners` that are earlier processes on this machine and no longer run: same host, not `self`, and
 * a process id that is this process's own (a container restarted with the same id) or no longer alive.
 */
export function deadOnThisHost(owners: readonly string[], self: string, host: string, alive: (pid: number) => boolean): string[] {
  const ownPid = Number(self.split(':').at(-2));
  return owners.filter((owner) => {
    const parts = owner.split(':');
    if (owner === self || parts.length < 3 || parts.slice(0, -2).join(':') !== host) return false;
    const pid = Number(parts.at(-2));
    return Number.isInteger(pid) && pid > 0 && (pid === ownPid || !alive(pid));
  });
}

/**
 * Whether a process with this id runs on this machine (one we may not signal still runs). A process killed but not yet
 * reaped by its parent (a zombie, as under an init that reaps late) no longer runs: seen on Linux in /proc.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

function zombie(pid: number): boolean {
  try {
    // "pid (name) S …": the state follows the last ")" (a name may hold one).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc here: signalling said it runs
  }
}
