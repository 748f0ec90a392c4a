// External S3 clients for the gateway tests: the aws CLI, rclone, s3cmd and boto3, as Debian
// packages them. CI starts from a fresh machine, so a missing tool is installed with apt-get
// when we run as root; otherwise its tests are skipped with a loud message naming the package.
// Clients run with async spawn: the gateway under test lives in this same process, so a
// blocking spawnSync would stop it from answering the client it waits for.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type ToolName = "aws" | "rclone" | "s3cmd" | "boto3";

const PACKAGES: Record<ToolName, string> = { aws: "awscli", rclone: "rclone", s3cmd: "s3cmd", boto3: "python3-boto3" };

/** How to start each tool: a command + leading args, or null when unavailable. */
export type Tools = Record<ToolName, string[] | null>;

const works = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: "ignore", timeout: 60_000 });
  return r.status === 0;
};

function probe(tool: ToolName): string[] | null {
  switch (tool) {
    case "aws":
      return works("aws", ["--version"]) ? ["aws"] : null;
    case "rclone":
      return works("rclone", ["version"]) ? ["rclone"] : null;
    case "s3cmd":
      return works("s3cmd", ["--version"]) ? ["s3cmd"] : null;
    case "boto3":
      // A python on PATH may be a virtualenv/pyenv one without boto3; Debian's package installs
      // into the system python.
      for (const py of ["python3", "/usr/bin/python3"]) if (works(py, ["-c", "import boto3"])) return [py];
      return null;
  }
}

let aptUpdated = false;
function aptInstall(pkg: string): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const sh = (args: string[]) => spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env, timeout: 600_000 }).status === 0;
  console.log(`[cli-tools] installing Debian package ${pkg}…`);
  if (!aptUpdated) aptUpdated = sh(["update", "-q"]);
  return sh(["install", "-y", "-q", "--no-install-recommends", pkg]);
}

/**
 * Finds (and as root installs) each tool. Runs once at collection time, before any gateway
 * starts, so the blocking probes cannot stall a server.
 */
export function ensureTools(wanted: ToolName[]): Tools {
  const tools = { aws: null, rclone: null, s3cmd: null, boto3: null } as Tools;
  for (const tool of wanted) {
    let found = probe(tool);
    if (!found && process.getuid?.() === 0 && aptInstall(PACKAGES[tool])) found = probe(tool);
    if (!found) {
      const bar = "!".repeat(78);
      console.error(`\n${bar}\n!!! SKIPPING the ${tool} client tests: install the Debian package "${PACKAGES[tool]}"` +
        `\n!!! (apt-get install -y ${PACKAGES[tool]}); ${process.getuid?.() === 0 ? "installing it failed" : "not root, so it was not installed"}.\n${bar}\n`);
    }
    tools[tool] = found;
  }
  return tools;
}

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs a client to completion (async; bounded by `timeoutMs`). */
export function run(cmd: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A client that exits without reading its input (most do) closes the pipe: EPIPE here is
    // no failure, the exit code and output below are what counts.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

export type ClientCreds = { accessKeyId: string; secret: string };

/**
 * A private HOME per client identity, so no ~/.aws, ~/.s3cfg or rclone.conf of the machine
 * leaks in. Path-style addressing everywhere: the endpoint is an IP address.
 */
const homes: string[] = [];

/** Removes every private HOME clientEnv created (call from afterAll). */
export function removeClientHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
}

/** `region: null` configures none at all: each client falls back to its own default (us-east-1). */
export function clientEnv(endpoint: string, creds: ClientCreds, region: string | null = "local") {
  const home = mkdtempSync(path.join(os.tmpdir(), "keygate-cli-"));
  if (homes.push(home) === 1) process.once("exit", removeClientHomes); // also when afterAll never ran
  const awsConfig = path.join(home, "aws-config");
  writeFileSync(awsConfig, `[default]\n${region ? `region = ${region}\n` : ""}s3 =\n  addressing_style = path\n`);
  const s3cfg = path.join(home, "s3cfg");
  writeFileSync(s3cfg, "[default]\n");
  const env: Record<string, string> = {
    HOME: home,
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "aws-credentials"),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secret,
    ...(region ? { AWS_DEFAULT_REGION: region, AWS_REGION: region, RCLONE_CONFIG_KG_REGION: region } : {}),
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    AWS_RETRY_MODE: "standard",
    // Plain-http loopback endpoint: a CA bundle from the machine's environment means nothing
    // here, and rclone's AWS SDK refuses to start when it cannot apply one to its transport.
    AWS_CA_BUNDLE: "",
    RCLONE_CONFIG: path.join(home, "rclone.conf"),
    RCLONE_CONFIG_KG_TYPE: "s3",
    RCLONE_CONFIG_KG_PROVIDER: "Other",
    RCLONE_CONFIG_KG_ENDPOINT: endpoint,
    RCLONE_CONFIG_KG_ACCESS_KEY_ID: creds.accessKeyId,
    RCLONE_CONFIG_KG_SECRET_ACCESS_KEY: creds.secret,
    RCLONE_CONFIG_KG_FORCE_PATH_STYLE: "true",
    RCLONE_LOW_LEVEL_RETRIES: "1",
    RCLONE_RETRIES: "1",
  };
  const host = new URL(endpoint).host;
  const s3cmdArgs = [
    `--config=${s3cfg}`, `--host=${host}`, `--host-bucket=${host}`, "--no-ssl", `--access_key=${creds.accessKeyId}`,
    `--secret_key=${creds.secret}`, ...(region ? [`--region=${region}`] : []),
  ];
  return { home, env, s3cmdArgs };
}
