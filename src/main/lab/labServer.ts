/**
 * The engine side of LabApi, independent of transport: validates every call
 * and turns every failure into an error reply. Transports (Electron IPC,
 * WebSocket) only move envelopes in and out of `dispatch` and `onEvent`.
 */
import { labMethodNames, type LabEventName, type LabEvents, type LabMethodName, type LabMethods } from '../../shared/labApi';
import { badRequest, labParamSchemas } from '../../shared/labSchemas';
import type { CallOutcome } from '../../shared/labClient';

export type LabHandlers = {
  readonly [K in LabMethodName]: (params: LabMethods[K]['params']) => Promise<LabMethods[K]['result']>;
};

export type EventSink = <K extends LabEventName>(event: K, payload: LabEvents[K]) => void;

const knownMethods: ReadonlySet<string> = new Set(labMethodNames);

export class LabServer {
  private readonly sinks = new Set<EventSink>();
  private handlers: LabHandlers | null = null;

  /** Handlers are attached after construction so the backend can emit through this server. */
  attach(handlers: LabHandlers): void {
    this.handlers = handlers;
  }

  async dispatch(method: unknown, params: unknown): Promise<CallOutcome> {
    if (typeof method !== 'string' || !knownMethods.has(method)) {
      const name = typeof method === 'string' ? method.slice(0, 64) : typeof method;
      return { ok: false, error: { code: 'unknown-method', message: `unknown LabApi method "${name}"` } };
    }
    const name = method as LabMethodName;
    const parsed = labParamSchemas[name].safeParse(params ?? {});
    if (!parsed.success) return { ok: false, error: badRequest(parsed.error, 'params') };
    if (!this.handlers) return { ok: false, error: { code: 'engine-error', message: 'engine is not ready' } };
    try {
      const handler = this.handlers[name] as (p: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { code: 'engine-error', message } };
    }
  }

  /** Subscribe a transport to every event; returns the unsubscribe. */
  onEvent(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<K extends LabEventName>(event: K, payload: LabEvents[K]): void {
    for (const sink of this.sinks) {
      try {
        sink(event, payload);
      } catch {
        // A broken transport (closed socket, destroyed window) must not stop the others.
      }
    }
  }
}
