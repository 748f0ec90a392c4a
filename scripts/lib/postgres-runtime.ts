// Where the embedded PostgreSQL binaries run from, and as whom.
//
// PostgreSQL refuses to run as root. As an ordinary user it runs as that user, straight from
// node_modules. As root it runs as the `postgres` system user, which usually cannot enter the
// clone (a clone under /root sits in a 0700 directory), so its binaries run from a root-owned,
// read-only copy under /var/cache/keygate (the same files anyone can download; nothing in it is
// secret or writable by others). The data stays where KEYGATE_DATA_DIR says: see
// embedded-postgres.ts for how the server reaches it without opening any parent directory.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { chmod, cp, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type PostgresRuntime = { bin: (name: "initdb" | "postgres") => string; user?: { uid: number; gid: number } };

const CACHE_ROOT = "/var/cache/keygate";

export const isRoot = () => process.getuid?.() === 0;

/** The platform package's `native` directory (bin, lib, share) and its version. */
async function packagedNative(): Promise<{ dir: string; version: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const { initdb } = (await import(pkg)) as { initdb: string };
  const dir = path.dirname(path.dirname(initdb));
  const { version } = JSON.parse(await readFile(path.join(dir, "..", "package.json"), "utf8")) as { version: string };
  return { dir, version };
}

export async function preparePostgresRuntime(): Promise<PostgresRuntime> {
  const native = await packagedNative();
  if (!isRoot()) return { bin: (name) => path.join(native.dir, "bin", name) };
  const user = ensurePostgresUser();
  const dir = await rootOwnedCopy(native.dir, path.join(CACHE_ROOT, `postgres-${native.version}`));
  return { bin: (name) => path.join(dir, "bin", name), user };
}

function idOf(flag: "-u" | "-g", name: string): number | null {
  const res = spawnSync("id", [flag, name], { encoding: "utf8" });
  return res.status === 0 ? Number(res.stdout.trim()) : null;
}

/** The unprivileged account PostgreSQL runs as when we are root; created once when missing. */
function ensurePostgresUser(): { uid: number; gid: number } {
  if (idOf("-u", "postgres") === null) {
    if (spawnSync("getent", ["group", "postgres"]).status !== 0) spawnSync("groupadd", ["--system", "postgres"]);
    spawnSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "postgres"]);
  }
  const uid = idOf("-u", "postgres");
  const gid = idOf("-g", "postgres");
  if (uid === null || gid === null) {
    throw new Error("PostgreSQL cannot run as root and no `postgres` user could be created: create one (useradd --system postgres), run Keygate as an ordinary user, or set DATABASE_URL.");
  }
  return { uid, gid };
}

/** Only root may write a directory we execute as root's delegate; anything else is refused. */
function assertRootOnly(dir: string): void {
  const st = statSync(dir);
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be owned by root and writable only by root (it holds the PostgreSQL binaries Keygate runs); remove it and start again.`);
  }
}

async function rootOwnedCopy(source: string, target: string): Promise<string> {
  try {
    await mkdir(CACHE_ROOT, { recursive: true, mode: 0o755 });
    assertRootOnly(CACHE_ROOT);
    const complete = path.join(target, ".complete");
    if (!existsSync(complete)) {
      // Copy next to the target, then rename: an interrupted copy is never used, and a copy
      // finished meanwhile by a parallel start (tests) is kept, never replaced under it.
      const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      try {
        await rm(tmp, { recursive: true, force: true });
        await cp(source, tmp, { recursive: true, verbatimSymlinks: true });
        await makeReadable(tmp);
        await writeFile(path.join(tmp, ".complete"), "");
        if (existsSync(target) && !existsSync(complete)) await rm(target, { recursive: true, force: true });
        await rename(tmp, target).catch((err: unknown) => {
          if (!existsSync(complete)) throw err;
        });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
    assertRootOnly(target);
    return target;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (why.includes("must be owned by root")) throw err;
    throw new Error(`Could not copy the PostgreSQL binaries to ${target} (${why}): as root, Keygate runs PostgreSQL from there. Make ${CACHE_ROOT} writable by root, run as an ordinary user, or set DATABASE_URL.`);
  }
}

/** Whatever the clone's modes or umask: directories 0755, executables 0755, other files 0644. */
async function makeReadable(p: string): Promise<void> {
  const st = await lstat(p);
  if (st.isSymbolicLink()) return;
  if (!st.isDirectory()) return chmod(p, st.mode & 0o100 ? 0o755 : 0o644);
  await chmod(p, 0o755);
  for (const entry of await readdir(p)) await makeReadable(path.join(p, entry));
}
