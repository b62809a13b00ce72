/**
 * Replay of a saved session: which session is open, the moment every panel
 * shows, the verification badge, and long-work progress (verify, export).
 * Thin over LabApi; failures become messages in the lab store's status bar.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { OpenedSessionFile, ProgressEvent, ReplayInfo, ReplayMoment, ReplayVerification, SessionSummary } from '../../../shared/labApi';
import { useLabStore } from './lab';
import { base64ToBytes } from '../util/base64';

export const useReplayStore = defineStore('replay', () => {
  const lab = useLabStore();
  const info = shallowRef<ReplayInfo | null>(null);
  const moment = shallowRef<ReplayMoment | null>(null);
  const verification = shallowRef<ReplayVerification | null>(null);
  const progress = shallowRef<ProgressEvent | null>(null);
  const playing = ref(false);
  const speedIps = ref(2_000);
  /** An opened .sqlite file (read-only) and its sessions, shown below the workspace's. */
  const openedFile = shallowRef<OpenedSessionFile | null>(null);
  const active = computed(() => info.value !== null);
  let subscribed = false;

  function subscribe(): void {
    const api = lab.api;
    if (!api || subscribed) return;
    subscribed = true;
    api.onReplayMoment((m) => {
      if (!info.value || m.sessionId !== info.value.sessionId) return;
      moment.value = m;
      playing.value = m.playing;
    });
    api.onProgress((p) => (progress.value = p.done ? null : p));
    api.onMenuCommand((c) => {
      if (c.command === 'open-session-file') void openFile({ path: c.path });
    });
  }

  async function open(sessionId: number, file?: string): Promise<boolean> {
    subscribe();
    const r = await lab.call('openReplay', file ? { sessionId, file } : { sessionId });
    if (!r) return false;
    info.value = r.info;
    moment.value = r.moment;
    verification.value = null;
    playing.value = false;
    return true;
  }

  async function close(): Promise<void> {
    await lab.call('closeReplay', {});
    info.value = null;
    moment.value = null;
    verification.value = null;
    playing.value = false;
  }

  async function seekTime(timeUs: number): Promise<void> {
    const m = await lab.call('seekReplay', { timeUs: Math.max(0, Math.round(timeUs)) });
    if (m) {
      moment.value = m;
      playing.value = false;
    }
  }

  async function seekIcount(icount: number, node?: 'A' | 'B' | 'C'): Promise<void> {
    const m = await lab.call('seekReplay', node ? { icount, node } : { icount });
    if (m) {
      moment.value = m;
      playing.value = false;
    }
  }

  async function step(count: number, direction: 'forward' | 'back'): Promise<void> {
    const m = await lab.call('stepReplay', { count, direction });
    if (m) {
      moment.value = m;
      playing.value = false;
    }
  }

  async function play(): Promise<void> {
    if (await lab.call('playReplay', { ips: speedIps.value })) playing.value = true;
  }

  async function pause(): Promise<void> {
    const m = await lab.call('pauseReplay', {});
    if (m) moment.value = m;
    playing.value = false;
  }

  async function verify(): Promise<void> {
    subscribe();
    progress.value = { task: 'verify', sessionId: info.value?.sessionId ?? null, fraction: 0, text: 'verifying', done: false };
    const r = await lab.call('verifyReplay', {});
    progress.value = null;
    if (r) verification.value = r;
  }

  async function openFile(p: { path: string } | { name: string; bytesBase64: string }): Promise<OpenedSessionFile | null> {
    subscribe();
    const r = await lab.call('openSessionFile', p);
    if (r) openedFile.value = r;
    return r;
  }

  async function rename(s: SessionSummary, name: string): Promise<void> {
    if (await lab.call('renameSession', { sessionId: s.id, name })) await lab.refreshSessions();
  }

  async function remove(s: SessionSummary): Promise<void> {
    if (info.value && !info.value.file && info.value.sessionId === s.id) await close();
    if (await lab.call('deleteSession', { sessionId: s.id })) await lab.refreshSessions();
  }

  /** Export as a standalone .sqlite file, saved as a download. */
  async function exportSession(s: SessionSummary): Promise<string | null> {
    subscribe();
    progress.value = { task: 'export', sessionId: s.id, fraction: 0, text: `exporting session ${s.id}`, done: false };
    const r = await lab.call('exportSession', { sessionId: s.id });
    progress.value = null;
    if (!r || !r.bytesBase64) return r?.path ?? null;
    const blob = new Blob([base64ToBytes(r.bytesBase64) as BlobPart], { type: 'application/vnd.sqlite3' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = r.fileName;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return r.fileName;
  }

  return {
    info, moment, verification, progress, playing, speedIps, openedFile, active,
    subscribe, open, close, seekTime, seekIcount, step, play, pause, verify, openFile, rename, remove, exportSession,
  };
});
