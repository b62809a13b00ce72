/** The connection to the engine and the last round trip: one Pinia store. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { EngineEvent, EngineInfo, LabApi, RoundTrip } from '../../../shared/labApi';
import { connectLab } from '../api/connect';

/** Bound on the event list kept on screen. */
const maxEvents = 200;

export const useLabStore = defineStore('lab', () => {
  const api = shallowRef<LabApi | null>(null);
  const info = ref<EngineInfo | null>(null);
  const connectionError = ref<string | null>(null);
  const running = ref(false);
  const lastTrip = ref<RoundTrip | null>(null);
  const runError = ref<string | null>(null);
  const events = ref<EngineEvent[]>([]);

  async function connect(): Promise<void> {
    try {
      const lab = await connectLab();
      api.value = lab;
      lab.onEngineEvent((event) => {
        events.value.push(event);
        if (events.value.length > maxEvents) events.value.splice(0, events.value.length - maxEvents);
      });
      info.value = await lab.getInfo({});
    } catch (err) {
      connectionError.value = err instanceof Error ? err.message : String(err);
    }
  }

  async function run(source: string, file: string): Promise<void> {
    if (!api.value || running.value) return;
    running.value = true;
    runError.value = null;
    try {
      const result = await api.value.run({ source, file });
      lastTrip.value = result.roundTrip;
    } catch (err) {
      runError.value = err instanceof Error ? err.message : String(err);
    } finally {
      running.value = false;
    }
  }

  return { api, info, connectionError, running, lastTrip, runError, events, connect, run };
});
