/**
 * Runtime validation of everything that crosses into the engine: the wire
 * envelopes of both transports and the params of every LabApi method.
 */
import { z } from 'zod';
import type { LabError, LabEventName, LabEvents, LabMethodName, LabMethods } from './labApi';

const empty = z.object({}).strict();

/** Params schema of every method; the mapped type keeps it in step with LabMethods. */
export const labParamSchemas: { readonly [K in LabMethodName]: z.ZodType<LabMethods[K]['params']> } = {
  getInfo: empty as z.ZodType<Record<string, never>>,
  run: z
    .object({
      source: z.string().max(2_000_000, 'a program is at most 2 MB of text'),
      file: z.string().min(1).max(260),
    })
    .strict(),
  listSessions: empty as z.ZodType<Record<string, never>>,
  listExamples: empty as z.ZodType<Record<string, never>>,
  readExample: z
    .object({
      name: z.string().regex(/^[\w.-]{1,80}$/, 'an example name is a plain file name such as "hello.s"'),
    })
    .strict(),
};

/** A call from a client: one shape for both transports. */
export const callEnvelope = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(64),
    params: z.unknown(),
  })
  .strict();
export type CallEnvelope = z.infer<typeof callEnvelope>;

export type ReplyEnvelope =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: LabError };

export type EventEnvelope = {
  readonly [K in LabEventName]: { readonly type: 'event'; readonly event: K; readonly payload: LabEvents[K] };
}[LabEventName];

/** Everything the server sends over the WebSocket. */
export type ServerMessage = ReplyEnvelope | EventEnvelope;

/** Everything a WebSocket client sends. */
export const clientMessage = z.discriminatedUnion('type', [
  callEnvelope.extend({ type: z.literal('call') }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

/** The first problem zod found, as a LabError with its JSON path. */
export function badRequest(error: z.ZodError, prefix: string): LabError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].join('.');
  return { code: 'bad-request', message: `${path}: ${issue?.message ?? 'invalid'}`, path };
}
