// Directory fsyncs for the fs backend, shared between concurrent writers (group commit).
import { closeNow, fsync, open } from "./fs-fd";

const errCode = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;

type DirSync = { running: Promise<void>; next?: Promise<void> };
const dirSyncs = new Map<string, DirSync>();

/**
 * Makes a rename or unlink in `dir` durable. Concurrent callers share fsyncs (group commit): a
 * caller joins the sync queued to start after the running one, because the running one may
 * have begun before the caller's rename. So every caller still waits for an fsync that started
 * after its change, and 16 concurrent PUTs into one directory cost two fsyncs instead of 16.
 */
export function fsyncDir(dir: string): Promise<void> {
  const current = dirSyncs.get(dir);
  if (!current) {
    const entry: DirSync = { running: syncDirNow(dir) };
    dirSyncs.set(dir, entry);
    void entry.running.then(() => advance(dir, entry), () => advance(dir, entry));
    return entry.running;
  }
  current.next ??= current.running.then(() => syncDirNow(dir), () => syncDirNow(dir));
  return current.next;
}

function advance(dir: string, entry: DirSync): void {
  if (!entry.next) {
    dirSyncs.delete(dir);
    return;
  }
  const next = entry.next;
  entry.running = next;
  entry.next = undefined;
  void next.then(() => advance(dir, entry), () => advance(dir, entry));
}

/** One fsync of a directory. Some platforms cannot fsync directories. */
async function syncDirNow(dir: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = await open(dir, "r");
    await fsync(fd);
  } catch (err) {
    if (!["EISDIR", "EPERM", "EINVAL", "EBADF", "ENOENT"].includes(errCode(err) ?? "")) throw err;
  } finally {
    if (fd !== undefined) closeNow(fd); // synced already
  }
}
