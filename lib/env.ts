// The one place that reads process.env. Parsed with zod once; a bad value stops the process
// with a message naming the variable (see loadEnvOrExit, called at start-up).
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseCidr } from "./keys/cidr";
import { parseScanningKeys } from "./leaks/github-signature";

const regionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "region ids are lower-case letters, digits and dashes"),
  endpoint: z.url().optional(),
  /** Other region names a client may sign with (credential scope). See regionAliases below. */
  aliases: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/, "region aliases are lower-case letters, digits and dashes")).optional(),
  backend: z.discriminatedUnion("type", [
    z.object({ type: z.literal("fs"), path: z.string().min(1).optional() }),
    z.object({
      type: z.literal("s3"),
      endpoint: z.url(),
      region: z.string().min(1).default("us-east-1"),
      accessKeyId: z.string().min(1),
      secretAccessKey: z.string().min(1),
      forcePathStyle: z.boolean().default(true),
      /** Every bucket of this region must start with it, so tenants never meet foreign upstream buckets. */
      bucketPrefix: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,30}$/, "bucketPrefix: lower-case letters, digits, dots and dashes").optional(),
    }),
  ]),
});
export type RegionConfig = z.infer<typeof regionSchema>;

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean));

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL").optional(),
  KEYGATE_DATA_DIR: z.string().default("data"),
  KEYGATE_WEB_PORT: port(3000),
  KEYGATE_GATEWAY_PORT: port(9000),
  /** Bind address of the gateway (default: every interface). */
  KEYGATE_GATEWAY_HOST: z.string().min(1).optional(),
  /** Seconds a gateway connection may stay silent mid-request (a stalled upload) before it is closed. */
  KEYGATE_GATEWAY_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** When set, the gateway's /metrics requires `Authorization: Bearer <token>`. */
  KEYGATE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  KEYGATE_WEB_HOST: z.string().min(1).default("127.0.0.1"),
  KEYGATE_PUBLIC_URL: z.url().optional(),
  KEYGATE_GATEWAY_URL: z.url().optional(),
  KEYGATE_GATEWAY_DOMAINS: csv,
  KEYGATE_GATEWAY_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  KEYGATE_SEALING_KEYS: z.string().optional(),
  KEYGATE_REGIONS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON array of regions" });
        return z.NEVER;
      }
    })
    .pipe(z.array(regionSchema).min(1).optional()),
  RESEND_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().default("Keygate <keygate@localhost>"),
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  KEYGATE_OPERATOR_EMAILS: csv,
  KEYGATE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(183),
  KEYGATE_SHARE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  KEYGATE_INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(168),
  // Proxies whose X-Forwarded-For is believed (lib/net/client-ip.ts). Empty: nobody's.
  KEYGATE_TRUSTED_PROXIES: csv.superRefine((list, ctx) => {
    for (const item of list) {
      const parsed = parseCidr(item);
      if (typeof parsed !== "string") ctx.addIssue({ code: "custom", message: parsed.error });
    }
  }),
  // Who may create an account and an organization (lib/auth/signup-policy.ts).
  KEYGATE_SIGNUP: z
    .string()
    .default("invite-only")
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.union([
      z.enum(["open", "invite-only"]),
      z.string().regex(/^@?[a-z0-9.-]+\.[a-z]{2,}(\s*,\s*@?[a-z0-9.-]+\.[a-z]{2,})*$/, 'use "open", "invite-only" or a comma-separated list of email domains'),
    ])),
  // GitHub secret-scanning partner reports (lib/leaks, docs/secret-scanning.md): the public keys
  // that sign them, as JSON; unset: the endpoint answers 404.
  KEYGATE_SECRET_SCANNING_KEYS: z.string().optional().transform((v, ctx) => {
    if (!v?.trim()) return undefined;
    try {
      return parseScanningKeys(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  }),
  /** What a reported leak does to a live key: disable (reversible, default) or revoke. */
  KEYGATE_LEAKED_KEY_ACTION: z.enum(["disable", "revoke"]).default("disable"),
  KEYGATE_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  KEYGATE_DB_POOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  KEYGATE_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(2000),
});

export type Env = ReturnType<typeof resolve>;

function resolve(raw: z.infer<typeof envSchema>) {
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.KEYGATE_DATA_DIR);
  const publicUrl = (raw.KEYGATE_PUBLIC_URL ?? `http://localhost:${raw.KEYGATE_WEB_PORT}`).replace(/\/$/, "");
  const gatewayUrl = (raw.KEYGATE_GATEWAY_URL ?? `http://localhost:${raw.KEYGATE_GATEWAY_PORT}`).replace(/\/$/, "");
  const regions: RegionConfig[] = raw.KEYGATE_REGIONS ?? [{ id: "local", backend: { type: "fs" } }];
  const ids = new Set(regions.map((r) => r.id));
  return {
    ...raw,
    dataDir,
    publicUrl,
    gatewayUrl,
    gatewayDomains: raw.KEYGATE_GATEWAY_DOMAINS.length ? raw.KEYGATE_GATEWAY_DOMAINS : ["localhost"],
    gatewayWorkers: raw.KEYGATE_GATEWAY_WORKERS ?? os.availableParallelism(),
    regions: regions.map((r, i) => ({
      ...r,
      aliases: regionAliases(r, i === 0, ids),
      endpoint: (r.endpoint ?? gatewayUrl).replace(/\/$/, ""),
      backend: r.backend.type === "fs" ? { ...r.backend, path: path.resolve(/*turbopackIgnore: true*/ r.backend.path ?? path.join(dataDir, "objects")) } : r.backend,
    })),
    operatorEmails: raw.KEYGATE_OPERATOR_EMAILS.map((e) => e.toLowerCase()),
    trustedProxies: raw.KEYGATE_TRUSTED_PROXIES.map((c) => parseCidr(c) as string),
    signup: signupPolicy(raw.KEYGATE_SIGNUP),
  };
}

export type SignupPolicy = { mode: "open" } | { mode: "invite-only" } | { mode: "domains"; domains: string[] };

function signupPolicy(value: string): SignupPolicy {
  if (value === "open" || value === "invite-only") return { mode: value };
  return { mode: "domains", domains: value.split(",").map((d) => d.trim().replace(/^@/, "")).filter(Boolean) };
}

/**
 * Every AWS SDK, boto3, the aws CLI, rclone and s3cmd sign for `us-east-1` when no region is
 * configured, and R2-style tools for `auto`: the default (first) region accepts both unless it
 * names its own aliases. An alias that is another region's id would make the wrong-region error
 * misleading, so configured ones are refused and default ones dropped.
 */
function regionAliases(r: RegionConfig, isDefault: boolean, ids: Set<string>): string[] {
  const clash = r.aliases?.find((a) => ids.has(a) && a !== r.id);
  if (clash) throw new Error(`Invalid configuration:\n  KEYGATE_REGIONS: alias "${clash}" of region "${r.id}" is another region's id`);
  const aliases = r.aliases ?? (isDefault ? ["us-east-1", "auto"] : []);
  return [...new Set(aliases)].filter((a) => a !== r.id && !ids.has(a));
}

/** Parses an environment; throws an Error whose message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>) {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${String(i.path[0] ?? "environment")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return resolve(result.data);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Parses process.env again: for tests that configure regions after something already read them. */
export function reloadEnv(): Env {
  cached = undefined;
  return getEnv();
}

/** For process entry points: print the problem and exit instead of a stack trace. */
export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
