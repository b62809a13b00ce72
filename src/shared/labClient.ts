/**
 * Builds the typed LabApi on top of any transport (Electron IPC through the
 * preload bridge, or a WebSocket). The renderer only ever sees LabApi.
 */
import {
  LabCallError,
  labEventNames,
  labMethodNames,
  type LabApi,
  type LabError,
  type LabEventName,
  type LabMethodName,
  type Unsubscribe,
} from './labApi';

export type CallOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: LabError };

/** The two primitives a transport provides. */
export interface LabTransport {
  call(method: LabMethodName, params: unknown): Promise<CallOutcome>;
  subscribe(event: LabEventName, listener: (payload: unknown) => void): Unsubscribe;
}

function handlerName(event: string): string {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}`;
}

export function createLabClient(transport: LabTransport): LabApi {
  const api: Record<string, unknown> = {};
  for (const method of labMethodNames) {
    api[method] = async (params: unknown) => {
      const outcome = await transport.call(method, params ?? {});
      if (!outcome.ok) throw new LabCallError(outcome.error);
      return outcome.value;
    };
  }
  for (const event of labEventNames) {
    api[handlerName(event)] = (listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  }
  return Object.freeze(api) as LabApi;
}
