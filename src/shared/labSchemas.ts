/**
 * Runtime validation of everything that crosses into the engine: the wire
 * envelopes of both transports and the params of every LabApi method.
 */
import { z } from 'zod';
import type { LabError, LabEventName, LabEvents, LabMethodName, LabMethods } from './labApi';

const empty = z.object({}).strict();
const emptyParams = empty as z.ZodType<Record<string, never>>;

const fileName = z.string().min(1).max(260);
const machineName = z.enum(['A', 'B', 'C']);
const machineTarget = z.enum(['primary', 'backup', 'spare', 'A', 'B', 'C']);
const nondetSource = z.enum(['cycle', 'time', 'seed', 'hostid', 'mtime']);
const logKind = z.enum(['packet', 'timer', 'nondet', 'output', 'heartbeat']);
const arbiterKind = z.enum(['test-and-set', 'view-service', 'none']);
/** Largest ELF accepted over LabApi (base64 of 16 MiB). */
const elfBase64Max = Math.ceil((16 * 1024 * 1024) / 3) * 4;

export const programInputSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('asm'), file: fileName, source: z.string().max(2_000_000, 'a program is at most 2 MB of text') }).strict(),
  z
    .object({
      format: z.literal('elf'),
      file: fileName,
      bytesBase64: z.string().max(elfBase64Max, 'an ELF file is at most 16 MiB').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
    })
    .strict(),
]);

export const liveSettingsSchema = z
  .object({
    outputRule: z.boolean(),
    arbiter: arbiterKind,
    scheme: z.enum(['log', 'checkpoint']),
    heartbeatMs: z.number().int().min(1).max(10_000),
    failureTimeoutMs: z.number().int().min(2).max(60_000),
    autoRestoreBackup: z.boolean(),
    loggedSources: z.array(nondetSource).max(5),
    harts: z.union([z.literal(1), z.literal(2)]),
  })
  .strict();

export const faultActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('crash'), target: machineTarget }).strict(),
  z.object({ kind: z.literal('restart'), target: machineName }).strict(),
  z.object({ kind: z.literal('cutLog'), direction: z.enum(['both', 'primary-to-backup', 'backup-to-primary']) }).strict(),
  z.object({ kind: z.literal('healLog') }).strict(),
  z.object({ kind: z.literal('cutArbiter'), target: machineTarget }).strict(),
  z.object({ kind: z.literal('healArbiter'), target: machineTarget }).strict(),
  z.object({ kind: z.literal('crashArbiter') }).strict(),
  z.object({ kind: z.literal('delayLog'), ms: z.number().min(0).max(10_000) }).strict(),
  z.object({ kind: z.literal('dropLog'), probability: z.number().min(0).max(1) }).strict(),
  z.object({ kind: z.literal('slowBackup'), factor: z.number().gt(0).max(1) }).strict(),
  z.object({ kind: z.literal('forgetToLog'), source: nondetSource }).strict(),
  z.object({ kind: z.literal('rememberToLog'), source: nondetSource }).strict(),
  z.object({ kind: z.literal('outputRule'), on: z.boolean() }).strict(),
  z.object({ kind: z.literal('arbiter'), arbiter: arbiterKind }).strict(),
]);

const sessionId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** A file the engine may read or write: an absolute path (POSIX or Windows), no NUL, not a folder. */
const absoluteSqlitePath = z
  .string()
  .min(2)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/])[^\0]*[^/\\]$/, 'an absolute path to a file, e.g. /home/me/session.sqlite');
/** Uploads travel in one WebSocket message (at most 4 MiB): 3 MiB of file. */
const uploadBase64Max = 4 * 1024 * 1024 - 4096;

/** Params schema of every method; the mapped type keeps it in step with LabMethods. */
export const labParamSchemas: { readonly [K in LabMethodName]: z.ZodType<LabMethods[K]['params']> } = {
  getInfo: emptyParams,
  run: z
    .object({
      source: z.string().max(2_000_000, 'a program is at most 2 MB of text'),
      file: z.string().min(1).max(260),
    })
    .strict(),
  listSessions: emptyParams,
  listExamples: emptyParams,
  readExample: z
    .object({
      name: z.string().regex(/^[\w.-]{1,80}$/, 'an example name is a plain file name such as "hello.s"'),
    })
    .strict(),
  listScenarios: emptyParams,
  loadScenario: z
    .object({ name: z.string().regex(/^[\w.-]{1,80}$/, 'a scenario name is a plain file name such as "split-brain.json"') })
    .strict(),
  loadProgram: programInputSchema,
  start: z.object({ paused: z.boolean().optional() }).strict(),
  pause: emptyParams,
  resume: emptyParams,
  step: z.object({ count: z.number().int().min(1).max(100_000_000) }).strict(),
  stop: emptyParams,
  setSpeed: z.object({ ips: z.union([z.literal('max'), z.number().int().min(1).max(1_000_000_000)]) }).strict(),
  setSettings: liveSettingsSchema.partial(),
  injectFault: z.object({ action: faultActionSchema }).strict(),
  restoreRedundancy: emptyParams,
  clients: z
    .object({
      action: z.enum(['start', 'pause', 'reset']),
      workload: z.enum(['counter', 'kv']).optional(),
      count: z.number().int().min(1).max(64).optional(),
      intervalMs: z.number().min(0.05).max(60_000).optional(),
    })
    .strict(),
  setBreakpoints: z.object({ addrs: z.array(z.number().int().min(0).max(0xffff_ffff)).max(256) }).strict(),
  getState: emptyParams,
  getLogWindow: z
    .object({
      fromSeq: z.number().int().min(0).optional(),
      count: z.number().int().min(1).max(10_000),
      kinds: z.array(logKind).max(5).optional(),
    })
    .strict(),
  memoryDiff: z
    .object({
      left: machineTarget.optional(),
      right: machineTarget.optional(),
      pages: z.array(z.number().int().min(0).max(1 << 20)).max(64).optional(),
      pagesMax: z.number().int().min(0).max(64).optional(),
    })
    .strict(),
  renameSession: z.object({ sessionId: sessionId, name: z.string().trim().min(1, 'a session name cannot be empty').max(200) }).strict(),
  deleteSession: z.object({ sessionId: sessionId }).strict(),
  exportSession: z.object({ sessionId: sessionId, path: absoluteSqlitePath.optional() }).strict(),
  openSessionFile: z
    .object({
      path: absoluteSqlitePath.optional(),
      name: z.string().regex(/^[^/\\\0]{1,200}$/, 'a file name without folders').optional(),
      bytesBase64: z.string().max(uploadBase64Max, 'an uploaded session file is at most 4 MiB; open larger files by path').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64').optional(),
    })
    .strict()
    .refine((p) => (p.path !== undefined) !== (p.name !== undefined && p.bytesBase64 !== undefined), 'give either path, or name and bytesBase64') as unknown as z.ZodType<
    LabMethods['openSessionFile']['params']
  >,
  openReplay: z.object({ sessionId: sessionId, file: absoluteSqlitePath.optional() }).strict(),
  seekReplay: z
    .object({
      icount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      node: machineName.optional(),
      timeUs: z.number().min(0).max(1e15).optional(),
    })
    .strict()
    .refine((p) => (p.icount !== undefined) !== (p.timeUs !== undefined), 'give either icount (and optionally node) or timeUs')
    .refine((p) => p.timeUs === undefined || p.node === undefined, { message: 'node goes with icount, not timeUs', path: ['node'] }) as unknown as z.ZodType<
    LabMethods['seekReplay']['params']
  >,
  stepReplay: z.object({ count: z.number().int().min(1).max(1_000_000_000), direction: z.enum(['forward', 'back']) }).strict(),
  playReplay: z.object({ ips: z.number().int().min(1).max(1_000_000_000) }).strict(),
  pauseReplay: emptyParams,
  closeReplay: emptyParams,
  verifyReplay: emptyParams,
  replayMemoryDiff: z
    .object({
      left: machineTarget.optional(),
      right: machineTarget.optional(),
      pages: z.array(z.number().int().min(0).max(1 << 20)).max(64).optional(),
      pagesMax: z.number().int().min(0).max(64).optional(),
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
